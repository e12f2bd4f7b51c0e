import assert from "node:assert/strict";
import type { DagEvent, NodeRunResult } from "../dag/mod.ts";
import { ProgressTable } from "./progress_table.ts";

const at = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms);
const result = (over: Partial<NodeRunResult>): NodeRunResult => ({
  nodeId: "load",
  status: "success",
  attempts: 1,
  startedAt: at(0),
  finishedAt: at(2000),
  durationMs: 2000,
  error: null,
  rowsRead: 1000,
  rowsWritten: 990,
  rowsRejected: 10,
  ...over,
});

Deno.test("ProgressTable follows a node from start to finish", () => {
  const table = new ProgressTable(["load"]);
  assert.deepEqual(table.statuses(), { load: "pending" });
  const events: DagEvent[] = [
    { type: "run-started", runId: "r", nodeIds: ["load"], at: at(0) },
    { type: "node-started", runId: "r", nodeId: "load", attempt: 1, at: at(0) },
    {
      type: "node-progress",
      runId: "r",
      nodeId: "load",
      metrics: { rowsRead: 250, rowsWritten: 0, rowsRejected: 3, totalRows: 1000 },
      at: at(500),
    },
  ];
  for (const e of events) assert.equal(table.apply(e), true);
  let html = table.html();
  assert.match(html, /running/);
  assert.match(html, /width:25%/);
  assert.match(html, /250 \/ 1,000/);
  assert.match(html, /500 ms/, "elapsed from event times");
  assert.match(html, />500</, "rows per second");

  table.apply({ type: "node-log", runId: "r", nodeId: "load", message: "staged <all>", at: at(900) });
  assert.match(table.html(), /staged &#60;all&#62;/);
  table.apply({ type: "node-finished", runId: "r", nodeId: "load", result: result({}), at: at(2000) });
  html = table.html();
  assert.deepEqual(table.statuses(), { load: "success" });
  assert.match(html, /width:100%/);
  assert.match(html, /2.00 s/);
  assert.match(html, />990</);
  assert.equal(table.apply({ type: "run-finished", runId: "r", result: {} as never, at: at(2001) }), false);
});

Deno.test("ProgressTable shows retries, failures and their messages", () => {
  const table = new ProgressTable();
  table.apply({ type: "node-started", runId: "r", nodeId: "x", attempt: 1, at: at(0) });
  table.apply({
    type: "node-retry",
    runId: "r",
    nodeId: "x",
    attempt: 1,
    delayMs: 250,
    error: "deadlock",
    at: at(5),
  });
  table.apply({ type: "node-started", runId: "r", nodeId: "x", attempt: 2, at: at(300) });
  assert.match(table.html(), /running \(attempt 2\)/);
  assert.match(table.html(), /deadlock; retrying in 250 ms/);
  table.apply({
    type: "node-finished",
    runId: "r",
    nodeId: "x",
    result: result({ nodeId: "x", status: "failed", error: "the run was cancelled" }),
    at: at(400),
  });
  assert.match(table.html(), /failed/);
  assert.match(table.html(), /the run was cancelled/);
});
