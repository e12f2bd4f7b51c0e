/**
 * A run that fails outside any node (a store error after it started) ends `error`, never `running`: in
 * `etl_runs` with its message, in the live channel, in the server's status and event stream and in its log;
 * and the live channel's lease and counters as any process reads them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { RunRecorder } from "../lib/dag/mod.ts";
import { generateDataset } from "../lib/generate/mod.ts";
import { LiveRun, openWorkbench, runWorkbench, thisProcess, type Workbench } from "../lib/pipelines/mod.ts";
import { createApp, EtlMonitor } from "../lib/server/mod.ts";

const BROKEN = "Lost connection to the warehouse (simulated)";

/** A recorder whose node records fail once `process_users` ends: a store error outside any node. */
const breakAfterUsers = (inner: RunRecorder): RunRecorder => ({
  ...inner,
  runStarted: (...a) => inner.runStarted(...a),
  nodeStarted: (...a) => inner.nodeStarted(...a),
  runFinished: (r) => inner.runFinished(r),
  nodeFinished: async (runId, result) => {
    if (result.nodeId === "process_users") throw new Error(BROKEN);
    await inner.nodeFinished(runId, result);
  },
});

async function withWorkbench(fn: (wb: Workbench, data: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "run_error_" });
  try {
    await generateDataset({ outDir: join(dir, "data"), users: 50, sessions: 400 });
    await using wb = await openWorkbench({ stateDir: join(dir, "state") });
    await fn(wb, join(dir, "data"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a run failing outside any node ends error in etl_runs and the live channel, and frees the lease", async () => {
  await withWorkbench(async (wb, data) => {
    await assert.rejects(
      runWorkbench(wb, {
        dataDir: data,
        only: ["validate_files", "process_users"],
        recorder: breakAfterUsers,
      }),
      new RegExp(BROKEN.replace(/[()]/g, "\\$&")),
    );
    const [run] = await wb.runStore.listRuns(1);
    assert.equal(run.status, "error");
    assert.equal(run.message, BROKEN);
    assert.ok(run.finishedAt, "it has an end");
    const users = (await wb.runStore.nodeRuns(run.runId)).find((n) => n.nodeId === "process_users");
    assert.equal(users?.status, "failed");
    const live = await wb.runStore.readLive(run.runId);
    assert.equal(live?.status, "error");
    assert.equal(live?.message, BROKEN);
    assert.equal(await wb.runStore.leaseHolder(), null, "the lease is free again");
    // And the next run starts.
    const next = await runWorkbench(wb, { dataDir: data, only: ["validate_files"] });
    assert.equal(next.status, "success");
  });
});

Deno.test("the server shows a run that failed outside any node as error, with its message, and logs it", async () => {
  await withWorkbench(async (wb, data) => {
    const logs: string[] = [];
    await using monitor = new EtlMonitor({
      workbench: wb,
      dataDir: data,
      onLog: (line) => logs.push(line),
      run: (options) => runWorkbench(wb, { ...options, recorder: breakAfterUsers }),
    });
    const app = createApp({ monitor });
    const events: { type: string; message?: string }[] = [];
    monitor.subscribe((event) => events.push(event as { type: string; message?: string }));
    const res = await app.request("/api/etl/start", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pipelines: "relational" }),
    });
    assert.equal(res.status, 202);
    const { runId } = await res.json();
    await monitor.idle();
    const { dag } = await (await app.request("/api/etl/status")).json();
    assert.equal(dag.status, "error");
    assert.equal(dag.runId, runId);
    assert.equal(dag.error, BROKEN);
    assert.equal(dag.startedBy.source, "dashboard");
    assert.equal(dag.startedBy.pid, Deno.pid);
    assert.deepEqual(events.at(-1), { type: "run-finished", message: BROKEN });
    assert.ok(logs.includes(`Run ${runId} ended in error: ${BROKEN}`), logs.join("\n"));
    const stored = await wb.runStore.getRun(runId);
    assert.equal(stored?.status, "error");
    assert.equal(stored?.source, "dashboard");
    app.close();
  });
});

Deno.test("the lease: taken in a transaction, refused while fresh, taken over once stale", async () => {
  await withWorkbench(async (wb) => {
    const store = wb.runStore;
    const origin = { source: "test", host: "h", pid: 1 };
    const t0 = new Date("2026-01-01T00:00:00Z");
    assert.deepEqual(await store.acquireLease("a", origin, t0), { acquired: true, previous: null });
    const refused = await store.acquireLease("b", origin, new Date(t0.getTime() + 1000));
    assert.equal(refused.acquired, false);
    assert.equal(!refused.acquired && refused.holder.runId, "a");
    // Past the timeout (15 s) the stale holder's lease is taken, and who held it is told.
    const later = new Date(t0.getTime() + 15_001);
    const taken = await store.acquireLease("b", origin, later);
    assert.equal(taken.acquired && taken.previous?.runId, "a");
    assert.equal(await store.heartbeat("a"), false, "the old holder learns it lost the lease");
    assert.equal(await store.heartbeat("b"), true);
    await store.releaseLease("a");
    assert.equal(
      (await store.leaseHolder(later))?.runId,
      "b",
      "releasing a lease one does not hold does nothing",
    );
    await store.releaseLease("b");
    assert.equal(await store.leaseHolder(), null);
  });
});

Deno.test("the heartbeat goes on from its own thread while the run's thread is blocked", async () => {
  await withWorkbench(async (wb) => {
    const runId = crypto.randomUUID();
    const live = await LiveRun.start(wb.runStore, { runId, origin: thisProcess("test") });
    try {
      // Once the heartbeat thread is up, hold this thread as a long synchronous SQLite statement would.
      assert.equal(await live.heartbeatThread(), true, "the heartbeat has a thread of its own");
      const blockedUntil = Date.now() + 2_500;
      while (Date.now() < blockedUntil) {
        // Busy: no timer of this thread runs.
      }
      const holder = await wb.runStore.leaseHolder();
      assert.equal(holder?.runId, runId);
      assert.ok(
        holder!.ageMs < 1_500,
        `the heartbeat is ${holder!.ageMs} ms old after 2.5 s of a blocked thread`,
      );
    } finally {
      await live.release();
    }
    assert.equal(await wb.runStore.leaseHolder(), null);
  });
});

Deno.test("a run over before its heartbeat thread is up: closing the workbench waits for that thread", async () => {
  const list = async (dir: string) => (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
  // The thread takes a few hundred ms to open its connection: runs of several lengths end while it does.
  for (let runMs = 0; runMs <= 300; runMs += 30) {
    const dir = await Deno.makeTempDir({ prefix: "run_error_close_" });
    try {
      const wb = await openWorkbench({ stateDir: dir });
      const live = await LiveRun.start(wb.runStore, {
        runId: crypto.randomUUID(),
        origin: thisProcess("test"),
      });
      await new Promise((resolve) => setTimeout(resolve, runMs));
      await live.release();
      assert.equal(await wb.runStore.leaseHolder(), null);
      await wb.close();
      // Nothing of the workbench opens or writes a file of its folder once it is closed.
      const closed = await list(dir);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(await list(dir), closed, `the folder changed after a run of ${runMs} ms was closed`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
