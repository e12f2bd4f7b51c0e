import assert from "node:assert/strict";
import { generateDataset } from "../generate/mod.ts";
import { RELATIONAL_NODES } from "./relational/nodes.ts";
import { startStepRun } from "./step_run.ts";
import { downstreamOf, prerequisitesToRun } from "./step_run_order.ts";
import { openWorkbench } from "./workbench.ts";

const RELATIONAL = RELATIONAL_NODES.map((n) => n.id);

async function withFreshWorkbench(
  fn: (wb: Awaited<ReturnType<typeof openWorkbench>>, dir: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "step_run_stale_" });
  try {
    await generateDataset({ outDir: `${dir}/data`, seed: 9, users: 100, sessions: 1000 });
    await using wb = await openWorkbench({ stateDir: `${dir}/state` });
    await fn(wb, `${dir}/data`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a rerun node marks what ran below it stale until rerunStale() reruns them", async () => {
  await withFreshWorkbench(async (wb, data) => {
    assert.deepEqual(downstreamOf(wb.graph, "create_aggregations"), [
      "validate_data",
      "generate_stats",
    ]);
    const steps = await startStepRun(wb, { dataDir: data });
    for (const id of RELATIONAL) assert.equal((await steps.runNode(id)).status, "success", id);
    assert.deepEqual(steps.stale, []);
    // New data, and process_users again: what was computed from the old users is stale.
    await Deno.writeTextFile(`${data}/users.csv`, "U9001,30,Chile,Basic,2023-01-01,1.0\n", { append: true });
    assert.equal((await steps.runNode("process_users")).status, "success");
    assert.deepEqual(steps.stale, [
      "process_sessions",
      "create_aggregations",
      "validate_data",
      "generate_stats",
    ]);
    // Rerunning one clears it, and marks its own downstream (already stale) again.
    await steps.runNode("process_sessions");
    assert.deepEqual(steps.stale, ["create_aggregations", "validate_data", "generate_stats"]);
    const rerun: string[] = [];
    const done = await steps.rerunStale((id) => (rerun.push(id), steps.runNode(id)));
    assert.deepEqual(done, ["create_aggregations", "validate_data", "generate_stats"]);
    assert.deepEqual(rerun, done);
    assert.deepEqual(steps.stale, []);
    const [{ n }] = await wb.warehouse.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM user_metrics WHERE user_id = 'U9001'",
    );
    assert.equal(Number(n), 1, "user_metrics was recomputed with the new user");
    assert.equal((await steps.finish()).status, "success");
  });
});

Deno.test("out of order on a fresh warehouse, a step says what to run first; after finish() how to go on", async () => {
  await withFreshWorkbench(async (wb, data) => {
    const steps = await startStepRun(wb, { dataDir: data });
    const latest = await wb.runStore.latestNodeStatuses();
    assert.deepEqual(prerequisitesToRun(wb.graph, "process_sessions", new Set(), latest), [
      "validate_files",
      "create_schema",
      "load_dimensions",
      "process_users",
    ]);
    await assert.rejects(steps.runNode("process_sessions"), (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.equal(
        e.message,
        'Cannot run "process_sessions" yet: run validate_files, create_schema, load_dimensions and process_users first',
      );
      assert.equal(e.stack, `StepRunError: ${e.message}`, "one sentence, no trace");
      return true;
    });
    await steps.runNode("validate_files");
    await steps.runNode("create_schema");
    await assert.rejects(steps.runNode("process_sessions"), /run load_dimensions and process_users first$/);
    await steps.finish();
    await assert.rejects(steps.runNode("load_dimensions"), (e: Error) => {
      assert.ok(e instanceof TypeError);
      assert.match(
        e.message,
        /is finished \(steps\.finish\(\) was called\); run the setup cell again to start a new run$/,
      );
      assert.doesNotMatch(e.stack ?? "", /\n\s+at /);
      return true;
    });
  });
});
