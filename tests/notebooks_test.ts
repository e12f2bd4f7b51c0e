/**
 * Executes every notebook headlessly with the Deno kernel, as `deno task notebooks` does, on a small dataset
 * in a temp folder (parameters through the environment), and checks: no error output, every chart cell drew
 * SVG, each node cell's progress display was updated in place to its final state, the relational notebook
 * shows its coerced values, and its run is in `etl_runs` with its eight nodes succeeded. Once on the embedded
 * stores with a messy dataset, and once with WAREHOUSE_URL on MariaDB (required in CI) with a clean one.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { inspectNotebook, nbconvertArgs, type NotebookCell } from "../lib/notebook/mod.ts";
import { openWorkbench, RELATIONAL_NODES } from "../lib/pipelines/mod.ts";
import { type Jupyter, jupyterTest } from "./_jupyter.ts";
import { integrationTest, serverUrl, uniqueDatabaseUrl } from "./_servers.ts";

const NOTEBOOKS_DIR = fileURLToPath(new URL("../notebooks/", import.meta.url));
const NOTEBOOKS = [
  "01_relational_pipeline.ipynb",
  "02_content_pipeline.ipynb",
  "03_device_and_geography.ipynb",
  "04_a_new_day.ipynb",
];

/** Executes one notebook into outDir with the given parameters; returns the executed notebook's JSON. */
async function execute(jupyter: Jupyter, name: string, outDir: string, env: Record<string, string>) {
  const args = nbconvertArgs(`${NOTEBOOKS_DIR}${name}`, {
    outDir,
    cellTimeoutS: 300,
    pythonPath: Deno.env.get("PYTHONPATH"),
  });
  const run = await jupyter.run(args.execute, { cwd: NOTEBOOKS_DIR, env: { ...env, ...args.env } });
  assert.ok(run.success, `${name} failed to execute:\n${run.stderr.split("\n").slice(-30).join("\n")}`);
  return JSON.parse(await Deno.readTextFile(args.executedPath)) as { cells: NotebookCell[] };
}

const text = (value: string | string[] | undefined) => Array.isArray(value) ? value.join("") : value ?? "";

/** Each `await step(steps, "node")` cell's node id and the HTML its progress display ended with. */
function progressDisplays(notebook: { cells: NotebookCell[] }): [string, string][] {
  return notebook.cells.flatMap((cell) => {
    const node = /^await step\(steps, "(\w+)"\);$/.exec(text(cell.source).trim())?.[1];
    if (!node) return [];
    const progress = (cell.outputs ?? []).find((o) => text(o.data?.["text/html"]).includes("wb-progress"));
    return [[node, text(progress?.data?.["text/html"])]];
  });
}

/** Executes the notebooks in order with these stores and checks their outputs and the recorded run. */
async function runNotebooks(
  jupyter: Jupyter,
  t: Deno.TestContext,
  stores: Record<string, string>,
  { messy }: { messy: boolean },
) {
  const dir = await Deno.makeTempDir({ prefix: "notebooks_test_" });
  const stateDir = `${dir}/state`;
  const env = {
    DATA_DIR: `${dir}/data`,
    WORKBENCH_STATE_DIR: stateDir,
    NOTEBOOK_USERS: "150",
    NOTEBOOK_SESSIONS: "2500",
    NOTEBOOK_MESSY: String(messy),
    NOTEBOOK_TIME_BUDGET_S: "240",
    ...stores,
  };
  try {
    for (const name of NOTEBOOKS) {
      await t.step(name, async () => {
        const notebook = await execute(jupyter, name, `${dir}/out`, env);
        const inspection = inspectNotebook(notebook);
        assert.deepEqual(inspection.errors, [], "no error output");
        assert.equal(inspection.executedCells, inspection.codeCells, "every code cell ran");
        assert.equal(
          inspection.chartCells.length,
          name.startsWith("04") ? 1 : name.startsWith("03") ? 9 : name.startsWith("02") ? 4 : 2,
        );
        assert.deepEqual(inspection.chartCellsWithoutSvg, [], "every chart cell produced SVG");
        // Each progress table was first drawn "pending": ending "success" means it was updated in place.
        const displays = progressDisplays(notebook);
        assert.equal(
          displays.length,
          name.startsWith("01") ? 8 : name.startsWith("02") ? 5 : 0,
          "node cells",
        );
        for (const [node, html] of displays) {
          assert.match(html, new RegExp(`<code>${node}</code></td><td[^>]*>success<`), node);
        }
        if (name.startsWith("01")) {
          // Coercions are shown where rejects are: under each load node, and beside the run's rejects.
          const html = notebook.cells.flatMap((c) => c.outputs ?? []).map((o) => text(o.data?.["text/html"]))
            .join("\n");
          if (messy) {
            assert.match(
              html,
              /Values of (users|viewing_sessions)\.csv stored as NULL or a default, by field/,
            );
            assert.match(html, /[\d,]+ values loaded as NULL or a default, by file and field/);
          } else assert.match(html, /No value of run <code>[^<]+<\/code> was stored as NULL or a default/);
        }
      });
    }

    await t.step(
      "the relational notebook's run is one run in etl_runs with the eight nodes succeeded",
      async () => {
        await using wb = await openWorkbench({ stateDir, ...urls(stores) });
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
        if (messy) assert.ok(Number(rejects) > 0, "the messy rows were rejected under the notebook's run");
        else assert.equal(Number(rejects), 0, "a clean dataset has no rejects (and the charts still draw)");
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The store URLs as openWorkbench options (an empty one means the embedded default). */
function urls(stores: Record<string, string>) {
  return { warehouseUrl: stores.WAREHOUSE_URL || undefined, docstoreUrl: stores.DOCSTORE_URL || undefined };
}

jupyterTest("notebooks execute with the Deno kernel on the embedded stores", async (jupyter, t) => {
  // Empty: the embedded stores in the state folder, whatever the developer's shell says.
  await runNotebooks(jupyter, t, { WAREHOUSE_URL: "", DOCSTORE_URL: "" }, { messy: true });
});

const NAME_ON_MARIADB = "notebooks execute with the Deno kernel with WAREHOUSE_URL on MariaDB";
const mysql = serverUrl("mysql");
if (mysql) {
  jupyterTest(NAME_ON_MARIADB, async (jupyter, t) => {
    // The document store stays embedded: FerretDB lacks the $avg, $min and $max that content_stats needs.
    // A clean dataset here, as `deno task notebooks` uses by default: no rejects, and every chart still draws.
    await runNotebooks(jupyter, t, {
      WAREHOUSE_URL: uniqueDatabaseUrl(mysql, "notebooks"),
      DOCSTORE_URL: "",
    }, { messy: false });
  });
} else {
  // Fails in CI, is ignored with a hint elsewhere.
  integrationTest("mysql", NAME_ON_MARIADB, () => Promise.resolve());
}
