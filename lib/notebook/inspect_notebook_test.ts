import assert from "node:assert/strict";
import {
  clearOutputs,
  hasKernel,
  inspectNotebook,
  nbconvertArgs,
  type NotebookOutput,
} from "./inspect_notebook.ts";

const code = (outputs: NotebookOutput[], tags?: string[], execution_count: number | null = 1) => ({
  cell_type: "code",
  execution_count,
  metadata: tags ? { tags } : {},
  source: "x",
  outputs,
});

Deno.test("inspectNotebook() finds errors and chart cells without SVG", () => {
  const svg = { output_type: "display_data", data: { "image/svg+xml": "<svg></svg>" } };
  const figure = {
    output_type: "display_data",
    data: { "text/html": ["<figure><h2>t</h2>", "<svg viewBox='0 0 1 1'>"] },
  };
  const plain = { output_type: "execute_result", data: { "text/html": "<p>no chart</p>" } };
  const inspection = inspectNotebook({
    cells: [
      { cell_type: "markdown", source: "# t" },
      code([svg], ["chart"]),
      code([figure], ["chart"]),
      code([plain], ["chart"]),
      code([], ["chart"]),
      code([{ output_type: "error", ename: "TypeError", evalue: "x is undefined" }]),
      code([{ output_type: "stream", name: "stderr", text: ["warning\n"] }]),
      code([{ output_type: "stream", name: "stdout", text: "fine" }], undefined, null),
    ],
  });
  assert.deepEqual(inspection, {
    codeCells: 7,
    executedCells: 6,
    errors: [{ cell: 5, message: "TypeError: x is undefined" }, { cell: 6, message: "warning" }],
    chartCells: [1, 2, 3, 4],
    chartCellsWithoutSvg: [3, 4],
  });
  assert.throws(() => inspectNotebook({} as never), TypeError);
});

Deno.test("clearOutputs() empties outputs and counts, keeps sources and markdown", () => {
  const nb = {
    cells: [{ cell_type: "markdown", source: "m" }, code([{ output_type: "stream" }], ["chart"], 3)],
    nbformat: 4,
  };
  const cleared = clearOutputs(nb);
  assert.deepEqual(cleared.cells[1], { ...nb.cells[1], outputs: [], execution_count: null });
  assert.equal(cleared.cells[0], nb.cells[0]);
  assert.equal(cleared.nbformat, 4);
});

Deno.test("nbconvertArgs() executes with the Deno kernel into the output folder, then exports HTML", () => {
  const args = nbconvertArgs("notebooks/01_x.ipynb", {
    outDir: "/o/nb/",
    cellTimeoutS: 960,
    pythonPath: "/p",
  });
  assert.deepEqual(args.execute, [
    "nbconvert",
    "--to",
    "notebook",
    '--NotebookExporter.preprocessors=["late_output.LateOutputExecutePreprocessor"]',
    "--LateOutputExecutePreprocessor.kernel_name=deno",
    "--LateOutputExecutePreprocessor.timeout=960",
    "--output-dir",
    "/o/nb/",
    "notebooks/01_x.ipynb",
  ]);
  assert.equal(args.executedPath, "/o/nb/01_x.ipynb");
  assert.deepEqual(args.html, ["nbconvert", "--to", "html", "--output-dir", "/o/nb/", "/o/nb/01_x.ipynb"]);
  const [preprocessorDir, rest] = args.env.PYTHONPATH.split(":");
  assert.ok(Deno.statSync(`${preprocessorDir}/late_output.py`).isFile, "PYTHONPATH finds late_output.py");
  assert.equal(rest, "/p");
  assert.throws(() => nbconvertArgs("a.ipynb", { outDir: "o", cellTimeoutS: 0 }), RangeError);
});

Deno.test("hasKernel() reads jupyter kernelspec list --json", () => {
  const listed = JSON.stringify({ kernelspecs: { deno: { resource_dir: "/k/deno" }, python3: {} } });
  assert.equal(hasKernel(listed), true);
  assert.equal(hasKernel(JSON.stringify({ kernelspecs: { python3: {} } })), false);
  assert.equal(hasKernel("not json"), false);
});
