import assert from "node:assert/strict";
import type { RunResult } from "../dag/mod.ts";
import { failureNotice, postWebhook } from "./notify_webhook.ts";

const fakeFetch =
  (statuses: (number | Error)[], calls: RequestInit[]) =>
  (_url: string | URL | Request, init?: RequestInit) => {
    calls.push(init!);
    const next = statuses.shift()!;
    return next instanceof Error
      ? Promise.reject(next)
      : Promise.resolve(new Response("ok", { status: next }));
  };

Deno.test("postWebhook() retries network errors and 5xx, then gives up with one sentence", async (t) => {
  await t.step("succeeds on the third attempt", async () => {
    const calls: RequestInit[] = [];
    const attempts = await postWebhook("http://hook.test/x", { text: "hi" }, {
      delayMs: 1,
      fetch: fakeFetch([new Error("connection refused"), 503, 200], calls) as typeof fetch,
    });
    assert.equal(attempts, 3);
    assert.equal(calls.length, 3);
    assert.equal(calls[0].method, "POST");
    assert.deepEqual(JSON.parse(String(calls[0].body)), { text: "hi" });
  });
  await t.step("does not retry a 4xx", async () => {
    const calls: RequestInit[] = [];
    await assert.rejects(
      postWebhook("http://hook.test/secret/path", {}, {
        delayMs: 1,
        fetch: fakeFetch([404], calls) as typeof fetch,
      }),
      { message: 'Cannot deliver the webhook to "http://hook.test": HTTP 404' },
    );
    assert.equal(calls.length, 1);
  });
  await t.step("stops after the retries", async () => {
    const calls: RequestInit[] = [];
    await assert.rejects(
      postWebhook("http://hook.test/", {}, {
        retries: 1,
        delayMs: 1,
        fetch: fakeFetch([500, 502], calls) as typeof fetch,
      }),
      /HTTP 502/,
    );
    assert.equal(calls.length, 2);
  });
});

Deno.test("failureNotice() names the failed node in Slack's text and lists it in the details", () => {
  const at = new Date("2026-01-01T00:00:00Z");
  const node = (nodeId: string, status: "success" | "failed" | "skipped", error: string | null) => ({
    nodeId,
    status,
    error,
    attempts: 1,
    startedAt: at,
    finishedAt: at,
    durationMs: 0,
    rowsRead: 0,
    rowsWritten: 0,
    rowsRejected: 0,
  });
  const result: RunResult = {
    runId: "r9",
    status: "failed",
    startedAt: at,
    finishedAt: at,
    nodes: [
      node("a", "success", null),
      node("b", "failed", "Cannot read x"),
      node("c", "skipped", "b failed"),
    ],
  };
  const notice = failureNotice(result);
  assert.equal(notice.text, 'ETL workbench: run r9 ended in error, node "b" failed: Cannot read x');
  assert.deepEqual(notice.run.failedNodes, [{ id: "b", error: "Cannot read x" }]);
  assert.deepEqual(notice.run.skippedNodes, ["c"]);
});
