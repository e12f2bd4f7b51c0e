import assert from "node:assert/strict";
import { NodeStates } from "./node_states.ts";
import type { NodeRunResult } from "./types.ts";

const at = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms);
const finished = (nodeId: string, over: Partial<NodeRunResult> = {}): NodeRunResult => ({
  nodeId,
  status: "success",
  attempts: 1,
  startedAt: at(0),
  finishedAt: at(900),
  durationMs: 900,
  error: null,
  rowsRead: 10,
  rowsWritten: 9,
  rowsRejected: 1,
  ...over,
});

Deno.test("NodeStates folds a node's events into its state", () => {
  const states = new NodeStates(["load", "stats"]);
  assert.deepEqual(states.ids(), ["load", "stats"]);
  assert.equal(states.get("load")!.status, "pending");
  assert.equal(states.get("other"), undefined);

  assert.equal(states.apply({ type: "run-started", runId: "r", nodeIds: ["load"], at: at(0) }), true);
  states.apply({ type: "node-started", runId: "r", nodeId: "load", attempt: 1, at: at(10) });
  states.apply({
    type: "node-progress",
    runId: "r",
    nodeId: "load",
    metrics: { rowsRead: 4, rowsWritten: 0, rowsRejected: 1, totalRows: 10 },
    at: at(200),
  });
  let load = states.get("load")!;
  assert.equal(load.status, "running");
  assert.deepEqual(load.startedAt, at(10));
  assert.deepEqual(load.updatedAt, at(200));
  assert.deepEqual([load.rowsRead, load.rowsRejected, load.totalRows], [4, 1, 10]);

  states.apply({ type: "node-log", runId: "r", nodeId: "load", message: "staged", at: at(300) });
  assert.equal(states.get("load")!.message, "staged");
  states.apply({
    type: "node-retry",
    runId: "r",
    nodeId: "load",
    attempt: 1,
    delayMs: 250,
    error: "deadlock",
    at: at(400),
  });
  load = states.get("load")!;
  assert.deepEqual(load.retry, { attempt: 1, delayMs: 250, error: "deadlock" });
  assert.equal(load.message, null, "the latest of a log line and a retry is kept");
  states.apply({ type: "node-started", runId: "r", nodeId: "load", attempt: 2, at: at(700) });
  assert.equal(states.get("load")!.attempts, 2);
  assert.deepEqual(states.get("load")!.startedAt, at(10), "the first start stays the start");

  states.apply({ type: "node-finished", runId: "r", nodeId: "load", result: finished("load"), at: at(900) });
  load = states.get("load")!;
  assert.deepEqual(
    [load.status, load.durationMs, load.rowsWritten, load.attempts, load.finishedAt],
    ["success", 900, 9, 1, at(900)],
  );
  assert.equal(states.get("stats")!.status, "pending", "a node outside the run is left alone");
});

Deno.test("NodeStates takes final results from run-finished, learns unknown nodes, and resets", () => {
  const states = new NodeStates();
  states.apply({ type: "node-started", runId: "r", nodeId: "late", attempt: 1, at: at(0) });
  assert.deepEqual(states.ids(), ["late"]);
  states.apply({
    type: "run-finished",
    runId: "r",
    result: {
      runId: "r",
      status: "failed",
      startedAt: at(0),
      finishedAt: at(1000),
      nodes: [
        finished("late", { status: "failed", error: "boom" }),
        finished("after", { status: "skipped", error: 'dependency "late" failed', startedAt: null }),
      ],
    },
    at: at(1000),
  });
  assert.deepEqual(states.ids(), ["late", "after"]);
  assert.equal(states.get("late")!.error, "boom");
  assert.deepEqual(states.get("late")!.startedAt, at(0));
  assert.equal(states.get("after")!.status, "skipped");
  states.reset(["x"]);
  assert.deepEqual(states.ids(), ["x"]);
  assert.equal(states.get("x")!.status, "pending");
});
