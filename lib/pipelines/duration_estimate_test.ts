import assert from "node:assert/strict";
import { join } from "node:path";
import { NodeStates, timeProgress } from "../dag/mod.ts";
import type { DagEvent } from "../dag/mod.ts";
import { generateDataset } from "../generate/mod.ts";
import { ProgressView } from "../cli/mod.ts";
import { estimateDurations } from "./duration_estimate.ts";
import type { StoredNodeRun } from "./run_store.ts";
import { openWorkbench, runWorkbench } from "./workbench.ts";

const stored = (runId: string, nodeId: string, durationMs: number, details = {}): StoredNodeRun => ({
  runId,
  nodeId,
  status: "success",
  startedAt: null,
  finishedAt: null,
  durationMs,
  attempts: 1,
  rowsRead: 0,
  rowsWritten: 0,
  rowsRejected: 0,
  error: null,
  details,
});

Deno.test("estimateDurations() takes the last success at the same scale, scaled by the input size", async () => {
  const latest: Record<string, StoredNodeRun> = {
    load: stored("r1", "load", 10_000),
    stats: stored("r2", "stats", 4_000),
    partial: stored("r3", "partial", 1_000),
  };
  const runs: Record<string, StoredNodeRun[]> = {
    r1: [stored("r1", "validate_files", 5, { files: [{ bytes: 600 }, { bytes: 400 }] })],
    r2: [stored("r2", "validate_files", 5, { files: [{ bytes: 10_000 }] })], // ten times the data
    r3: [], // a run of selected nodes: its scale is unknown
  };
  const store = {
    latestSuccess: (id: string) => Promise.resolve(latest[id]),
    nodeRuns: (runId: string) => Promise.resolve(runs[runId] ?? []),
  };
  const estimates = await estimateDurations(store, ["load", "stats", "partial", "never_ran"], 1_050);
  assert.deepEqual([...estimates], [["load", 10_500]]);
  assert.deepEqual([...await estimateDurations(store, ["load"], 0)], []);
});

Deno.test("timeProgress() is elapsed over the estimate while running, capped below 100 %", () => {
  const startedAt = new Date(0);
  const running = { status: "running" as const, startedAt, estimatedMs: 40_000 };
  assert.deepEqual(timeProgress(running, new Date(10_000)), {
    elapsedMs: 10_000,
    estimatedMs: 40_000,
    fraction: 0.25,
  });
  assert.equal(timeProgress(running, new Date(90_000))!.fraction, 0.99);
  assert.equal(timeProgress({ ...running, totalRows: 100 }, new Date(10_000)), undefined);
  assert.equal(timeProgress({ ...running, status: "success" }, new Date(10_000)), undefined);
  assert.equal(timeProgress({ ...running, estimatedMs: undefined }, new Date(10_000)), undefined);

  const view = new ProgressView(["agg"], () => 30_000);
  view.apply({ type: "node-started", runId: "r", nodeId: "agg", attempt: 1, at: startedAt });
  view.apply({
    type: "node-progress",
    runId: "r",
    nodeId: "agg",
    metrics: { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, estimatedMs: 40_000 },
    at: startedAt,
  });
  const line = view.render();
  assert.match(line, /~75 % of 40\.00 s/);
  assert.match(line, /█{3,}░/, "the bar is three quarters full");
});

Deno.test("a second run at the same scale reports every node's estimate from the first", async () => {
  const dir = await Deno.makeTempDir({ prefix: "estimate_" });
  const dataDir = join(dir, "data");
  await generateDataset({ outDir: dataDir, seed: 1, users: 50, sessions: 500 });
  await using wb = await openWorkbench({
    warehouseUrl: `sqlite:${join(dir, "wh.db")}`,
    docstoreUrl: `embedded:${join(dir, "docs")}`,
    stateDir: dir,
  });
  const first = await runWorkbench(wb, { dataDir });
  const events: DagEvent[] = [];
  assert.equal(first.status, "success");

  const states = new NodeStates(wb.graph.order);
  const second = await runWorkbench(wb, {
    dataDir,
    onEvent: (e) => {
      events.push(e);
      states.apply(e);
    },
  });
  assert.equal(second.status, "success");
  for (const node of first.nodes) {
    assert.equal(states.get(node.nodeId)!.estimatedMs, node.durationMs, node.nodeId);
    const started = events.findIndex((e) => e.type === "node-started" && e.nodeId === node.nodeId);
    const next = events.slice(started + 1).find((e) => "nodeId" in e && e.nodeId === node.nodeId);
    assert.equal(next?.type, "node-progress", `${node.nodeId} reports its estimate first`);
  }

  // Other data (twice the sessions): no estimates.
  const bigger = join(dir, "bigger");
  await generateDataset({ outDir: bigger, seed: 1, users: 50, sessions: 1_000 });
  const other = new NodeStates(wb.graph.order);
  await runWorkbench(wb, { dataDir: bigger, onEvent: (e) => other.apply(e) });
  assert.deepEqual(wb.graph.order.filter((id) => other.get(id)!.estimatedMs !== undefined), []);
  await Deno.remove(dir, { recursive: true });
});
