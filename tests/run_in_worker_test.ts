/**
 * Runs in a worker thread (`runWorkbenchInWorker`), as `deno task serve` does: events reach the calling
 * thread, the calling thread's own connections see what the run wrote (SQLite file, embedded docstore
 * files), cancellation works, and the server's API over such a run behaves like one in process.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { DagEvent } from "../lib/dag/mod.ts";
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, runWorkbenchInWorker } from "../lib/pipelines/mod.ts";
import { createApp, EtlMonitor } from "../lib/server/mod.ts";

async function withFolder(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "run_in_worker_" });
  try {
    await generateDataset({ outDir: join(dir, "data"), users: 80, sessions: 3000, messy: true });
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("runWorkbenchInWorker() runs the DAG in a worker; this thread sees its events and its data", async () => {
  await withFolder(async (dir) => {
    const open = { stateDir: join(dir, "state") };
    // Opened first, as a server does: its connections must see what the worker writes afterwards.
    await using workbench = await openWorkbench(open);
    assert.equal(await workbench.docstore.collection("content").count(), 0);

    const events: DagEvent[] = [];
    const result = await runWorkbenchInWorker(open, {
      dataDir: join(dir, "data"),
      onEvent: (event) => events.push(event),
    });
    assert.equal(result.status, "success");
    assert.ok(result.startedAt instanceof Date, "dates survive the trip");
    assert.equal(result.nodes.length, workbench.graph.order.length);
    assert.equal(events[0].type, "run-started");
    assert.equal(events.at(-1)!.type, "run-finished");
    const finished = events.filter((e) => e.type === "node-finished").map((e) => e.nodeId).sort();
    assert.deepEqual(finished, [...workbench.graph.order].sort());

    const [{ n: sessions }] = await workbench.warehouse.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM viewing_sessions",
    );
    const loaded = result.nodes.find((n) => n.nodeId === "process_sessions")!.details as { loaded: number };
    assert.equal(Number(sessions), loaded.loaded);
    assert.ok(await workbench.docstore.collection("content").count() > 0, "the docstore file was reread");
    const [run] = await workbench.runStore.listRuns(1);
    assert.equal(run.runId, result.runId);
  });
});

Deno.test("runWorkbenchInWorker() cancels on abort, and refuses in-memory stores", async () => {
  await withFolder(async (dir) => {
    const controller = new AbortController();
    const result = await runWorkbenchInWorker({ stateDir: join(dir, "state") }, {
      dataDir: join(dir, "data"),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "node-finished" && event.nodeId === "create_schema") {
          controller.abort(new Error("stop here"));
        }
      },
    });
    assert.equal(result.status, "cancelled");
    assert.ok(result.nodes.some((n) => n.status !== "success"), "the run stopped before its end");

    await assert.rejects(
      runWorkbenchInWorker({ warehouseUrl: "sqlite::memory:" }, { dataDir: join(dir, "data") }),
      { name: "TypeError", message: 'Cannot run in a worker on "sqlite::memory:": a worker cannot share it' },
    );
    await assert.rejects(
      runWorkbenchInWorker({ stateDir: join(dir, "state") }, { dataDir: join(dir, "data"), batchSize: 0 }),
      { name: "RangeError", message: /Batch size must be a positive integer/ },
    );
  });
});

Deno.test("the API over runs in a worker: status, history and content as in process", async () => {
  await withFolder(async (dir) => {
    const open = { stateDir: join(dir, "state") };
    await using workbench = await openWorkbench(open);
    const monitor = new EtlMonitor({
      workbench,
      dataDir: join(dir, "data"),
      run: (options) => runWorkbenchInWorker(open, options),
    });
    const app = createApp({ monitor });
    try {
      const start = await app.request("/api/etl/start", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ batchSize: 500 }),
      });
      assert.equal(start.status, 202);
      await monitor.idle();
      const { dag } = await (await app.request("/api/etl/status")).json();
      assert.equal(dag.status, "success");
      assert.equal(dag.stats.completed, 13);
      const sessions = dag.nodes.find((n: { id: string }) => n.id === "process_sessions");
      assert.ok(sessions.rowsRead > 0 && sessions.rowsRejected > 0, "node metrics came through the worker");
      const runs = await (await app.request("/api/etl/runs")).json();
      assert.equal(runs.runs[0].runId, dag.runId);
      const content = await (await app.request("/api/content?limit=5")).json();
      assert.equal(content.items.length, 5, "the content the worker loaded is served");
    } finally {
      app.close();
      await monitor.close();
    }
  });
});
