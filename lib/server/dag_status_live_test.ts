import assert from "node:assert/strict";
import type { LiveRunState } from "../pipelines/mod.ts";
import { LiveDag } from "./dag_status.ts";

const graph = {
  order: ["validate_files", "process_sessions", "validate_content"],
  nodes: new Map([
    ["validate_files", { name: "Validate files", dependencies: [] }],
    ["process_sessions", { name: "Process sessions", dependencies: ["validate_files"] }],
    ["validate_content", { name: "Validate content", dependencies: [] }],
  ]),
};
const node = (nodeId: string, status: LiveRunState["nodes"][number]["status"], rows: number) => ({
  nodeId,
  status,
  startedAt: "2026-01-01 00:00:01.000",
  finishedAt: status === "success" ? "2026-01-01 00:00:02.000" : null,
  attempts: 1,
  rowsRead: rows,
  rowsWritten: 0,
  rowsRejected: 0,
  totalRows: status === "running" ? 1000 : null,
  error: null,
});
const running: LiveRunState = {
  runId: "r1",
  status: "running",
  startedAt: "2026-01-01 00:00:00.000",
  finishedAt: null,
  origin: { source: "cli", host: "lab1", pid: 42 },
  nodeIds: ["validate_files", "process_sessions"],
  message: null,
  nodes: [node("validate_files", "success", 0), node("process_sessions", "running", 250)],
  heartbeatAt: "2026-01-01 00:00:04.000",
};

Deno.test("LiveDag.show() draws a run of another process from the live channel", () => {
  const dag = new LiveDag(graph, { instance: "test" });
  dag.show(running);
  const view = dag.view(new Date("2026-01-01T00:00:05Z"));
  assert.equal(view.status, "running");
  assert.equal(view.runId, "r1");
  assert.deepEqual(view.startedBy, { source: "cli", host: "lab1", pid: 42 });
  const [files, sessions, content] = view.nodes;
  assert.equal(files.status, "success");
  assert.equal(files.durationMs, 1000);
  assert.equal(sessions.status, "running");
  assert.equal(sessions.rowsRead, 250);
  assert.equal(sessions.percent, 25);
  assert.equal(sessions.durationMs, 4000, "a running node's time goes on up to now");
  assert.equal(content.status, "skipped", "a node outside the run");
  assert.equal(view.currentNode, "process_sessions");
  assert.equal(view.elapsedMs, 5000);
});

Deno.test("LiveDag.show() shows an abandoned run, its running node failed with the reason", () => {
  const dag = new LiveDag(graph, { instance: "test" });
  const message = "abandoned: no heartbeat for 16.0 s (since 2026-01-01 00:00:04 UTC)";
  dag.show({
    ...running,
    status: "abandoned",
    message,
    nodes: [node("validate_files", "success", 0), {
      ...node("process_sessions", "abandoned", 250),
      error: message,
    }],
  });
  const view = dag.view(new Date("2026-01-01T00:00:20Z"));
  assert.equal(view.status, "abandoned");
  assert.equal(view.error, message);
  const sessions = view.nodes[1];
  assert.equal(sessions.status, "failed");
  assert.equal(sessions.error, message);
  assert.equal(view.endTime, "2026-01-01T00:00:04.000Z", "it ended with its last heartbeat");
  assert.equal(view.stats.failed, 1);
});
