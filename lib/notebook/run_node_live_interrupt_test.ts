import assert from "node:assert/strict";
import type { NodeRunResult } from "../dag/mod.ts";
import { generateDataset } from "../generate/mod.ts";
import type { StepOptions, StepRun } from "../pipelines/mod.ts";
import { runNodeLive } from "./run_node_live.ts";

function recordingDisplay() {
  const html: string[] = [];
  return {
    html,
    show: (b: Record<string, string>) => void html.push(b["text/html"]),
    update: (b: Record<string, string>) => void html.push(b["text/html"]),
  };
}

Deno.test("runNodeLive() cancels the running node on SIGINT (the kernel's interrupt) and keeps going", async () => {
  const dir = await Deno.makeTempDir({ prefix: "interrupt_" });
  try {
    await generateDataset({ outDir: `${dir}/data`, seed: 4, users: 300, sessions: 30_000 });
    // Its own process, as the kernel is: the test runner would take SIGINT for itself.
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./_interrupt_fixture_for_tests.ts", import.meta.url).pathname,
        `${dir}/data`,
        `${dir}/state`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let out = "";
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      out += decoder.decode(chunk);
      // Once rows flow, press the interrupt button: the kernel's process gets SIGINT.
      if (out.includes("rows flowing\n") && !out.includes("sent")) {
        child.kill("SIGINT");
        out += "sent\n";
      }
    }
    const status = await child.status;
    assert.equal(status.code, 0, new TextDecoder().decode(await new Response(child.stderr).arrayBuffer()));
    const lines = out.trim().split("\n");
    const result = JSON.parse(lines.find((l) => l.startsWith("{"))!);
    assert.equal(result.status, "failed");
    assert.equal(result.error, "the run was cancelled");
    assert.ok(result.rowsRead < 30_000, `stopped early (${result.rowsRead} rows read)`);
    assert.match(result.html, /Interrupted: the node was cancelled and the kernel kept its state/);
    // The process lived on, and the node ran again in the same run.
    assert.equal(lines.at(-1), "again: success");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runNodeLive() ticks the elapsed time of a node that sends no events, with a moving bar", async () => {
  const at = new Date();
  const result: NodeRunResult = {
    nodeId: "create_aggregations",
    status: "success",
    attempts: 1,
    startedAt: at,
    finishedAt: at,
    durationMs: 1,
    error: null,
    rowsRead: 0,
    rowsWritten: 0,
    rowsRejected: 0,
  };
  // A step run whose node sends "started", then nothing for a while, like one long SQL statement.
  const steps = {
    stale: [],
    async runNode(nodeId: string, options: StepOptions = {}) {
      options.onEvent?.({ type: "node-started", runId: "r", nodeId, attempt: 1, at: new Date() });
      await new Promise((r) => setTimeout(r, 2300));
      return result;
    },
  } as unknown as StepRun;
  const display = recordingDisplay();
  await runNodeLive(steps, "create_aggregations", { display, tickMs: 500 });
  const running = display.html.filter((h) => />running</.test(h));
  assert.ok(running.length >= 4, `ticked (${running.length} drawings while running)`);
  const seconds = running.map((h) => h.match(/>(\d+(?:\.\d+)?) (ms|s)</)).filter(Boolean)
    .map((m) => Number(m![1]) * (m![2] === "s" ? 1000 : 1));
  assert.ok(seconds.at(-1)! >= 1500, `the elapsed time grows (${seconds.join(", ")})`);
  assert.ok(running.every((h) => h.includes("wb-indeterminate")), "an indeterminate bar");
  assert.match(running[0], />since \d\d:\d\d:\d\d UTC</, "before the first tick, when it started");
  const lefts = new Set(running.map((h) => h.match(/wb-indeterminate"[^>]*left:(\d+)%/)?.[1]));
  assert.ok(lefts.size >= 2, "the block moves");
});

Deno.test("runNodeLive() clears its table when the run refuses the node, and passes the error on", async () => {
  const steps = {
    stale: [],
    runNode: () => Promise.reject(new RangeError('Cannot run "x" yet: run a first')),
  } as unknown as StepRun;
  const display = recordingDisplay();
  await assert.rejects(runNodeLive(steps, "x", { display }), /run a first/);
  assert.equal(display.html.at(-1), "");
});
