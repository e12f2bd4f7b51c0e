import assert from "node:assert/strict";
import type { DagEvent, NodeRunResult } from "../dag/mod.ts";
import { LiveDag } from "./dag_status.ts";

const graph = {
  order: ["validate_files", "process_sessions", "validate_content"],
  nodes: new Map([
    ["validate_files", { name: "Validate files", dependencies: [] }],
    ["process_sessions", { name: "Process sessions", dependencies: ["validate_files"] }],
    ["validate_content", { name: "Validate content", dependencies: [], description: "Checks content.json" }],
  ]),
};
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const result = (nodeId: string, status: NodeRunResult["status"], from: number, to: number, rows = 0) => ({
  nodeId,
  status,
  attempts: 1,
  startedAt: at(from),
  finishedAt: at(to),
  durationMs: (to - from) * 1000,
  error: status === "failed" ? "boom" : null,
  rowsRead: rows,
  rowsWritten: rows,
  rowsRejected: 0,
});

Deno.test("LiveDag.view() follows a run from idle to its end", async (t) => {
  const dag = new LiveDag(graph, { instance: "test" });
  await t.step("idle before any run", () => {
    const view = dag.view(at(0));
    assert.equal(view.status, "idle");
    assert.equal(view.runId, null);
    assert.equal(view.instance, "test");
    assert.deepEqual(view.nodes.map((n) => n.status), ["pending", "pending", "pending"]);
    assert.equal(view.nodes[2].branch, "document");
    assert.equal(view.nodes[2].description, "Checks content.json");
    assert.deepEqual(view.nodes[1].dependencies, ["validate_files"]);
  });
  const events: DagEvent[] = [
    { type: "run-started", runId: "r1", nodeIds: ["validate_files", "process_sessions"], at: at(0) },
    { type: "node-started", runId: "r1", nodeId: "validate_files", attempt: 1, at: at(0) },
    {
      type: "node-finished",
      runId: "r1",
      nodeId: "validate_files",
      result: result("validate_files", "success", 0, 1, 3),
      at: at(1),
    },
    { type: "node-started", runId: "r1", nodeId: "process_sessions", attempt: 1, at: at(1) },
    {
      type: "node-progress",
      runId: "r1",
      nodeId: "process_sessions",
      metrics: { rowsRead: 500, rowsWritten: 400, rowsRejected: 2, totalRows: 2000 },
      at: at(2),
    },
  ];
  await t.step("running: progress, speed, current node, unselected nodes skipped", () => {
    const before = dag.view(at(0)).revision;
    for (const e of events) dag.apply(e);
    const view = dag.view(at(3));
    assert.equal(view.revision, before + events.length, "each event makes a newer revision");
    assert.equal(view.status, "running");
    assert.equal(view.runId, "r1");
    assert.equal(view.currentNode, "process_sessions");
    assert.equal(view.elapsedMs, 3000);
    const sessions = view.nodes[1];
    assert.equal(sessions.status, "running");
    assert.equal(sessions.percent, 25);
    assert.equal(sessions.totalRows, 2000);
    assert.equal(sessions.durationMs, 2000);
    assert.equal(sessions.rowsPerSecond, 250);
    assert.equal(sessions.endTime, null);
    assert.equal(view.nodes[2].status, "skipped");
    assert.equal(view.nodes[2].error, "Not part of this run");
    assert.deepEqual(view.stats, { totalNodes: 3, completed: 1, running: 1, failed: 0, skipped: 1 });
  });
  await t.step("finished in error: the failed node keeps its message and counts", () => {
    const failed = result("process_sessions", "failed", 1, 5, 800);
    dag.apply({
      type: "run-finished",
      runId: "r1",
      result: {
        runId: "r1",
        status: "failed",
        startedAt: at(0),
        finishedAt: at(5),
        nodes: [result("validate_files", "success", 0, 1, 3), failed],
      },
      at: at(5),
    });
    const view = dag.view(at(60));
    assert.equal(view.status, "error");
    assert.equal(view.elapsedMs, 5000, "the clock stops at the run's end");
    assert.equal(view.currentNode, null);
    assert.equal(view.nodes[1].error, "boom");
    assert.equal(view.nodes[1].durationMs, 4000);
    assert.equal(view.nodes[1].rowsRead, 800);
    assert.equal(view.nodes[1].percent, 40);
    assert.equal(view.endTime, at(5).toISOString());
  });
  await t.step("reset goes back to idle", () => {
    dag.reset();
    const view = dag.view(at(61));
    assert.equal(view.status, "idle");
    assert.equal(view.elapsedMs, 0);
    assert.ok(view.nodes.every((n) => n.status === "pending" && n.rowsRead === 0));
  });
});
