import assert from "node:assert/strict";
import { generateDataset } from "../generate/mod.ts";
import { DOCUMENT_NODES } from "./document/nodes.ts";
import { RELATIONAL_NODES } from "./relational/nodes.ts";
import { LeaseBusyError } from "./run_store.ts";
import { startStepRun } from "./step_run.ts";
import { openWorkbench, runWorkbench, type Workbench } from "./workbench.ts";

const RELATIONAL = RELATIONAL_NODES.map((n) => n.id);

let dataset: Promise<string> | undefined;
/** A small dataset, generated once for the file. */
function dataDir(): Promise<string> {
  dataset ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "step_run_data_" });
    await generateDataset({ outDir: dir, seed: 5, users: 120, sessions: 1500, messy: true });
    return dir;
  })();
  return dataset;
}

async function withWorkbench(
  fn: (wb: Workbench, dataDir: string, stateDir: string) => Promise<void>,
): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "step_run_state_" });
  try {
    await using wb = await openWorkbench({ stateDir });
    await fn(wb, await dataDir(), stateDir);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("startStepRun() records the eight relational nodes, run one at a time, as one run", async () => {
  await withWorkbench(async (wb, dir) => {
    const before = await wb.runStore.listRuns();
    const steps = await startStepRun(wb, { dataDir: dir, missingWatchDateLimit: 1 });
    const [started] = await wb.runStore.listRuns(1);
    assert.equal(started.runId, steps.runId);
    assert.equal(started.status, "running");
    assert.equal(started.options?.steps, true);
    const events: string[] = [];
    for (const id of RELATIONAL) {
      const result = await steps.runNode(id, { onEvent: (e) => events.push(`${e.type}:${e.runId}`) });
      assert.equal(result.status, "success", `${id}: ${result.error}`);
      assert.equal(result.nodeId, id);
    }
    assert.ok(events.length >= RELATIONAL.length * 3);
    assert.ok(events.every((e) => e.endsWith(`:${steps.runId}`)), "every event carries the run id");
    const result = await steps.finish();
    assert.equal(result.status, "success");
    assert.deepEqual(result.nodes.map((n) => n.nodeId), RELATIONAL);

    const runs = await wb.runStore.listRuns();
    assert.equal(runs.length, before.length + 1, "one run for eight steps");
    assert.equal(runs[0].status, "success");
    assert.ok(runs[0].finishedAt);
    const nodeRuns = await wb.runStore.nodeRuns(steps.runId);
    assert.deepEqual(nodeRuns.map((n) => n.nodeId).sort(), [...RELATIONAL].sort());
    assert.ok(nodeRuns.every((n) => n.status === "success"));
    // validate_data reconciles per file within the run id, so its success means the rejects were found there.
    const rejects = await wb.runStore.countRejects(steps.runId);
    assert.ok(rejects > 0, "the messy dataset's rejects are recorded under the step run's id");

    // From the terminal, --resume now has only the document branch left.
    const resumed = await runWorkbench(wb, { dataDir: dir, resume: true, missingWatchDateLimit: 1 });
    assert.deepEqual(
      resumed.nodes.map((n) => n.nodeId).sort(),
      DOCUMENT_NODES.map((n) => n.id).sort(),
    );
    assert.equal(resumed.status, "success");
  });
});

Deno.test("startStepRun() leaves a cancelled or unfinished run for --resume to complete", async (t) => {
  await withWorkbench(async (wb, dir, stateDir) => {
    const steps = await startStepRun(wb, { dataDir: dir, missingWatchDateLimit: 1 });
    for (const id of RELATIONAL.slice(0, 3)) assert.equal((await steps.runNode(id)).status, "success");
    const cancelled = await steps.runNode("process_users", { signal: AbortSignal.abort() });
    assert.equal(cancelled.status, "skipped");
    assert.equal(cancelled.error, "the run was cancelled");

    await t.step("a node after a failed dependency is refused", async () => {
      await assert.rejects(
        steps.runNode("process_sessions"),
        (e) => e instanceof RangeError && /"process_users" skipped in this run/.test(e.message),
      );
    });
    await t.step("an unknown node is a TypeError", async () => {
      await assert.rejects(steps.runNode("nope"), TypeError);
    });

    // Between cells the step run holds the warehouse's lease: another run is refused, naming it.
    const [open] = await wb.runStore.listRuns(1);
    assert.equal(open.status, "running");
    await assert.rejects(
      runWorkbench(wb, { dataDir: dir, resume: true, missingWatchDateLimit: 1 }),
      (e) =>
        e instanceof LeaseBusyError &&
        e.message.includes(
          `run ${steps.runId} is live on this warehouse, started by notebook (pid ${Deno.pid}`,
        ),
    );
    // The kernel could die here: once its heartbeat is older than the lease timeout (here a workbench that
    // allows 1 ms), the run reads "abandoned", and --resume takes the lease and redoes what is missing.
    await using impatient = await openWorkbench({ stateDir, leaseTimeoutMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal((await impatient.runStore.listRuns(1))[0].status, "abandoned");
    const resumed = await runWorkbench(impatient, { dataDir: dir, resume: true, missingWatchDateLimit: 1 });
    const resumedRelational = resumed.nodes.map((n) => n.nodeId).filter((id) => RELATIONAL.includes(id));
    assert.deepEqual(resumedRelational, RELATIONAL.slice(3));
    assert.equal(resumed.status, "success");

    const finished = await steps.finish();
    assert.equal(finished.status, "cancelled");
    const stored = (await wb.runStore.listRuns()).find((r) => r.runId === steps.runId);
    assert.equal(stored?.status, "cancelled");
    await assert.rejects(steps.runNode("validate_files"), TypeError);
  });
});

Deno.test("startStepRun() keeps a rerun node's first position and latest result", async () => {
  await withWorkbench(async (wb, dir) => {
    const steps = await startStepRun(wb, { dataDir: dir });
    assert.equal((await steps.runNode("validate_files", { signal: AbortSignal.abort() })).status, "skipped");
    assert.equal((await steps.runNode("validate_files")).status, "success");
    await steps.runNode("create_schema");
    const again = await steps.runNode("validate_files");
    assert.equal(again.status, "success");
    assert.deepEqual([...steps.results.keys()], ["validate_files", "create_schema"]);
    const result = await steps.finish();
    assert.equal(result.status, "success");
    const stored = await wb.runStore.nodeRuns(steps.runId);
    assert.deepEqual(stored.map((n) => [n.nodeId, n.status]).sort(), [
      ["create_schema", "success"],
      ["validate_files", "success"],
    ]);
  });
});

Deno.test("startStepRun() again in the same process (a notebook run again) finishes the earlier step run", async () => {
  await withWorkbench(async (wb, dir, stateDir) => {
    const first = await startStepRun(wb, { dataDir: dir });
    await first.runNode("validate_files");
    // The notebook's first cells run again: a new workbench on the same stores, a new step run.
    await using again = await openWorkbench({ stateDir });
    const second = await startStepRun(again, { dataDir: dir });
    assert.equal((await again.runStore.leaseHolder())?.runId, second.runId);
    const runs = await again.runStore.listRuns(2);
    assert.deepEqual(runs.map((r) => [r.runId, r.status]), [[second.runId, "running"], [
      first.runId,
      "success",
    ]]);
    await assert.rejects(first.runNode("create_schema"), TypeError);
    await second.finish();
    assert.equal(await again.runStore.leaseHolder(), null);
  });
});

Deno.test("a step run disposed with await using is finished and gives the lease back", async () => {
  await withWorkbench(async (wb, dir) => {
    let runId = "";
    {
      await using steps = await startStepRun(wb, { dataDir: dir });
      runId = steps.runId;
      await steps.runNode("validate_files");
      assert.equal((await wb.runStore.leaseHolder())?.runId, runId);
    }
    assert.equal(await wb.runStore.leaseHolder(), null);
    assert.equal((await wb.runStore.getRun(runId))?.status, "success");
  });
});

Deno.test("a step run hands the cubes process_sessions summed to generate_stats, until a node above reruns", async () => {
  const dir = await Deno.makeTempDir({ prefix: "step_run_clean_" });
  const stateDir = await Deno.makeTempDir({ prefix: "step_run_state_" });
  try {
    await generateDataset({ outDir: dir, seed: 9, users: 80, sessions: 1200 });
    await using wb = await openWorkbench({ stateDir });
    // Every read of the sessions' cube, as generate_stats would scan for it.
    const scans: string[] = [];
    const readQuery = wb.warehouse.readQuery.bind(wb.warehouse);
    wb.warehouse.readQuery = (sql, params) => {
      if (/GROUP BY COALESCE\(u\.country, 'Unknown'\), COALESCE\(u\.subscription_type/.test(sql)) {
        scans.push(sql);
      }
      return readQuery(sql, params);
    };
    await using steps = await startStepRun(wb, { dataDir: dir, fresh: true, missingWatchDateLimit: 1 });
    for (const id of RELATIONAL.slice(0, RELATIONAL.indexOf("generate_stats"))) {
      assert.equal((await steps.runNode(id)).status, "success", id);
    }
    const loaded = steps.results.get("process_sessions")!.details as { cubes: string };
    assert.equal(loaded.cubes, "summed while loading");
    assert.equal((await steps.runNode("generate_stats")).status, "success");
    assert.deepEqual(scans, [], "generate_stats took the summed cube");
    const summed = await wb.warehouse.query("SELECT * FROM stats_month_device ORDER BY month, device_type");

    await steps.finish();

    // A new run: process_users again before generate_stats: the sums may no longer match the users, so
    // generate_stats scans.
    await using again = await startStepRun(wb, { dataDir: dir, fresh: true, missingWatchDateLimit: 1 });
    for (const id of RELATIONAL.slice(0, RELATIONAL.indexOf("generate_stats"))) {
      assert.equal((await again.runNode(id)).status, "success", id);
    }
    assert.equal(
      (again.results.get("process_sessions")!.details as { cubes: string }).cubes,
      "summed while loading",
    );
    assert.equal((await again.runNode("process_users")).status, "success");
    assert.equal((await again.runNode("generate_stats")).status, "success");
    assert.equal(scans.length, 1, "generate_stats scanned the sessions");
    const scanned = await wb.warehouse.query("SELECT * FROM stats_month_device ORDER BY month, device_type");
    assert.ok(summed.length > 0);
    assert.deepEqual(scanned, summed, "the same statistics either way");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(stateDir, { recursive: true });
  }
});
