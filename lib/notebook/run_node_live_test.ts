import assert from "node:assert/strict";
import { CHECKS_TABLE, RELATIONAL_NODES, startStepRun } from "../pipelines/mod.ts";
import { withSmallWorkbench } from "./_fixture_for_tests.ts";
import { nodeReportHtml, readNodeReport } from "./node_report.ts";
import { runNodeLive } from "./run_node_live.ts";

/** A display that records what it was asked to draw. */
function recordingDisplay() {
  const calls: { kind: "show" | "update"; html: string }[] = [];
  return {
    calls,
    show: (b: Record<string, string>) => void calls.push({ kind: "show", html: b["text/html"] }),
    update: async (b: Record<string, string>) => {
      await new Promise((r) => setTimeout(r, 1)); // a slow frontend must not reorder updates
      calls.push({ kind: "update", html: b["text/html"] });
    },
  };
}

Deno.test("runNodeLive() redraws the progress table in place and reports each node from the warehouse", async () => {
  await withSmallWorkbench(async (wb, dataDir) => {
    const steps = await startStepRun(wb, { dataDir, missingWatchDateLimit: 1 });
    const displays = new Map<string, ReturnType<typeof recordingDisplay>>();
    for (const node of RELATIONAL_NODES) {
      const display = recordingDisplay();
      displays.set(node.id, display);
      const result = await runNodeLive(steps, node.id, { display, timeBudgetMs: 60_000 });
      assert.equal(result.status, "success", `${node.id}: ${result.error}`);
    }
    await steps.finish();

    const sessions = displays.get("process_sessions")!.calls;
    assert.equal(sessions[0].kind, "show");
    assert.match(sessions[0].html, /pending/);
    assert.ok(sessions.slice(1).every((c) => c.kind === "update"));
    assert.match(sessions.at(-1)!.html, /success/, "the last drawing is the finished state");
    assert.match(sessions.at(-1)!.html, /width:100%/);

    const users = await readNodeReport(wb.warehouse, wb.runStore, steps.runId, "process_users");
    assert.equal(users.node.status, "success");
    assert.ok(users.rejects.length > 0, "the messy users file has rejects");
    const total = users.rejects.reduce((s, g) => s + g.rows, 0);
    assert.equal(total, users.node.rowsRejected, "rejects by reason add up to the node's count");
    assert.ok(users.rejects.every((g) => g.examples.length >= 1 && g.examples.length <= 3));
    assert.ok(users.rejects.every((g, i) => i === 0 || users.rejects[i - 1].rows >= g.rows), "most first");
    assert.equal(users.preview?.table, "users");
    assert.equal(users.preview?.rows.length, 5);
    const [{ n }] = await wb.warehouse.query<{ n: number }>("SELECT COUNT(*) AS n FROM users");
    assert.equal(users.preview?.total, Number(n));

    const html = nodeReportHtml(users);
    assert.match(html, /process_users<\/code> <b[^>]*>success<\/b>/);
    assert.match(html, /Rejects of users.csv by reason, with example lines/);
    for (const group of users.rejects) assert.ok(html.includes(`>${group.reason}<`), group.reason);
    assert.match(html, /Timings: /);
    const loaded = users.node.details?.loaded as number;
    assert.ok(loaded > 0);
    assert.match(html, new RegExp(`${loaded.toLocaleString("en-US")} rows loaded \\(\\d[\\d,]* inserted`));
    assert.match(html, /users: \d[\d,]* rows/);

    const checks = await readNodeReport(wb.warehouse, wb.runStore, steps.runId, "validate_data");
    assert.equal(checks.preview?.table, CHECKS_TABLE);
    const stored = (await wb.runStore.checks(steps.runId)).length;
    assert.ok(stored >= 10, `the run's checks are stored (${stored})`);
    assert.equal(checks.preview!.rows.length, stored, "every check of the run");
    assert.ok(checks.preview!.rows.every((r) => !("run_id" in r) && typeof r.check_name === "string"));
    await assert.rejects(readNodeReport(wb.warehouse, wb.runStore, steps.runId, "load_content"), RangeError);
  });
});

Deno.test("runNodeLive() cancels a node at its time budget and keeps going", async () => {
  await withSmallWorkbench(async (wb, dataDir) => {
    const steps = await startStepRun(wb, { dataDir });
    const display = recordingDisplay();
    const controller = new AbortController();
    controller.abort(new Error("stop button"));
    const result = await runNodeLive(steps, "validate_files", { display, signal: controller.signal });
    assert.equal(result.status, "skipped");
    assert.equal(result.error, "the run was cancelled");
    assert.match(display.calls.at(-1)!.html, /the run was cancelled/);
    await assert.rejects(runNodeLive(steps, "validate_files", { display, timeBudgetMs: 0 }), RangeError);
    const again = await runNodeLive(steps, "validate_files", { display, timeBudgetMs: 60_000 });
    assert.equal(again.status, "success");
    const report = await readNodeReport(wb.warehouse, wb.runStore, steps.runId, "validate_files");
    assert.match(nodeReportHtml(report), /No rejects|validate_files/);
    await steps.finish();
  });
});
