/**
 * Executes every notebook headlessly with the Deno kernel, as `deno task notebooks` does, on a small messy
 * dataset in a temp folder (parameters through the environment), and checks: no error output, every chart
 * cell drew SVG, and the relational notebook's run is in `etl_runs` with its eight nodes succeeded.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { inspectNotebook, nbconvertArgs, onlyLostDisplays } from "../lib/notebook/mod.ts";
import { openWorkbench, RELATIONAL_NODES } from "../lib/pipelines/mod.ts";
import { type Jupyter, jupyterTest } from "./_jupyter.ts";

const NOTEBOOKS_DIR = fileURLToPath(new URL("../notebooks/", import.meta.url));
const NOTEBOOKS = [
  "01_relational_pipeline.ipynb",
  "02_content_pipeline.ipynb",
  "03_device_and_geography.ipynb",
];

/** Executes one notebook into outDir with the given parameters; returns the executed notebook's JSON. */
async function execute(jupyter: Jupyter, name: string, outDir: string, env: Record<string, string>) {
  const args = nbconvertArgs(`${NOTEBOOKS_DIR}${name}`, { outDir, cellTimeoutS: 300 });
  const run = await jupyter.run(args.execute, { cwd: NOTEBOOKS_DIR, env });
  assert.ok(run.success, `${name} failed to execute:\n${run.stderr.split("\n").slice(-30).join("\n")}`);
  return JSON.parse(await Deno.readTextFile(args.executedPath));
}

jupyterTest(
  "notebooks execute with the Deno kernel: no errors, SVG charts, one recorded relational run",
  async (jupyter, t) => {
    const dir = await Deno.makeTempDir({ prefix: "notebooks_test_" });
    const stateDir = `${dir}/state`;
    const env = {
      DATA_DIR: `${dir}/data`,
      WORKBENCH_STATE_DIR: stateDir,
      // Empty: the embedded stores in the state folder, whatever the developer's shell says.
      WAREHOUSE_URL: "",
      DOCSTORE_URL: "",
      NOTEBOOK_USERS: "150",
      NOTEBOOK_SESSIONS: "2500",
      NOTEBOOK_MESSY: "true",
      NOTEBOOK_TIME_BUDGET_S: "240",
    };
    try {
      const executed: Record<string, ReturnType<typeof inspectNotebook>> = {};
      for (const name of NOTEBOOKS) {
        await t.step(name, async () => {
          let inspection = inspectNotebook(await execute(jupyter, name, `${dir}/out`, env));
          // The Deno kernel now and then publishes a display after "idle", which nbclient drops: once more.
          if (onlyLostDisplays(inspection)) {
            console.warn(
              `${name}: chart cells ${inspection.chartCellsWithoutOutput} lost their display; again`,
            );
            inspection = inspectNotebook(await execute(jupyter, name, `${dir}/out`, env));
          }
          executed[name] = inspection;
          assert.deepEqual(inspection.errors, [], "no error output");
          assert.equal(inspection.executedCells, inspection.codeCells, "every code cell ran");
          assert.ok(inspection.chartCells.length >= 2, "the notebook has chart cells");
          assert.deepEqual(inspection.chartCellsWithoutSvg, [], "every chart cell produced SVG");
        });
      }
      assert.deepEqual(executed["03_device_and_geography.ipynb"]?.chartCells.length, 9);

      await t.step(
        "the relational notebook's run is one run in etl_runs with the eight nodes succeeded",
        async () => {
          await using wb = await openWorkbench({ stateDir });
          const runs = await wb.runStore.listRuns(50);
          // The newest, should the notebook have been executed again.
          const run = runs.find((r) => r.options?.notebook === "01_relational_pipeline");
          assert.ok(run, "the notebook's run is in etl_runs");
          assert.equal(run.status, "success");
          assert.equal(run.options?.steps, true);
          const nodes = await wb.runStore.nodeRuns(run.runId);
          assert.deepEqual(
            nodes.map((n) => [n.nodeId, n.status]).sort(),
            RELATIONAL_NODES.map((n) => [n.id, "success"]).sort(),
          );
          const [{ rejects }] = await wb.warehouse.query<{ rejects: number }>(
            "SELECT COUNT(*) AS rejects FROM etl_rejects WHERE run_id = ?",
            [run.runId],
          );
          assert.ok(Number(rejects) > 0, "the messy rows were rejected under the notebook's run");
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
