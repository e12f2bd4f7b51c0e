import { fileURLToPath } from "node:url";
/** What an executed notebook's outputs show, for `deno task notebooks` and the notebook tests. */
export interface NotebookInspection {
  codeCells: number;
  /** Code cells that ran (have an execution count). */
  executedCells: number;
  /** Error outputs and stderr streams, with the cell's index. */
  errors: { cell: number; message: string }[];
  /** Indexes of the cells tagged `chart`. */
  chartCells: number[];
  /** Chart cells without an `image/svg+xml` output or an HTML output containing `<svg`. */
  chartCellsWithoutSvg: number[];
}

/** An output of a notebook cell (the fields read here). */
export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  data?: Record<string, string | string[]>;
}

/** A notebook cell (the fields read here). */
export interface NotebookCell {
  cell_type: string;
  execution_count?: number | null;
  metadata?: { tags?: string[] };
  source: string | string[];
  outputs?: NotebookOutput[];
}

const joined = (text: string | string[] | undefined) => Array.isArray(text) ? text.join("") : text ?? "";

/** Reads an executed `.ipynb` (parsed JSON): errors, and whether every chart cell drew an SVG. */
export function inspectNotebook(notebook: { cells: NotebookCell[] }): NotebookInspection {
  if (!notebook || !Array.isArray(notebook.cells)) {
    throw new TypeError("Cannot inspect: not a notebook (no cells)");
  }
  const result: NotebookInspection = {
    codeCells: 0,
    executedCells: 0,
    errors: [],
    chartCells: [],
    chartCellsWithoutSvg: [],
  };
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    result.codeCells++;
    if (typeof cell.execution_count === "number") result.executedCells++;
    const outputs = cell.outputs ?? [];
    for (const output of outputs) {
      if (output.output_type === "error") {
        result.errors.push({ cell: index, message: `${output.ename}: ${output.evalue}` });
      } else if (output.output_type === "stream" && output.name === "stderr") {
        result.errors.push({ cell: index, message: joined(output.text).trim() });
      }
    }
    if (cell.metadata?.tags?.includes("chart")) {
      result.chartCells.push(index);
      const svg = outputs.some((o) =>
        o.data !== undefined &&
        (o.data["image/svg+xml"] !== undefined || /<svg[\s>]/.test(joined(o.data["text/html"])))
      );
      if (!svg) result.chartCellsWithoutSvg.push(index);
    }
  });
  return result;
}

/** The notebook with every output and execution count removed, as notebooks are committed. */
export function clearOutputs<T extends { cells: NotebookCell[] }>(notebook: T): T {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) =>
      cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : cell
    ),
  };
}

/** Options of {@linkcode nbconvertArgs}. */
export interface NbconvertArgsOptions {
  outDir: string;
  /** Seconds a cell may run before nbconvert gives up (the cells' own budgets are shorter). */
  cellTimeoutS: number;
  /** @default "deno" */
  kernelName?: string;
  /** A PYTHONPATH to keep after the preprocessor's folder (e.g. the caller's own). */
  pythonPath?: string;
}

/** The folder of `late_output.py`, for PYTHONPATH. */
const PREPROCESSOR_DIR = fileURLToPath(new URL(".", import.meta.url));

/**
 * Arguments of `jupyter` to execute a notebook with the Deno kernel into `outDir`, then to export it to HTML,
 * and the environment the execution needs.
 *
 * Execution goes through `late_output.py`'s preprocessor rather than `--execute`: the Deno kernel (2.9)
 * publishes displays through a queue that its "idle" status overtakes, so nbconvert alone drops a cell's
 * last displays (in a test notebook, 8 to 10 cells of 12 lost their last update). The preprocessor keeps
 * what arrives for a cell until the kernel has been quiet for 0.3 s.
 */
export function nbconvertArgs(notebookPath: string, options: NbconvertArgsOptions): {
  execute: string[];
  html: string[];
  executedPath: string;
  env: Record<string, string>;
} {
  const { outDir, cellTimeoutS, kernelName = "deno", pythonPath } = options;
  if (!(cellTimeoutS > 0)) throw new RangeError(`The cell timeout must be positive (got ${cellTimeoutS})`);
  const name = notebookPath.split("/").at(-1)!;
  const executedPath = `${outDir.replace(/\/+$/, "")}/${name}`;
  const preprocessor = "LateOutputExecutePreprocessor";
  return {
    execute: [
      "nbconvert",
      "--to",
      "notebook",
      `--NotebookExporter.preprocessors=["late_output.${preprocessor}"]`,
      `--${preprocessor}.kernel_name=${kernelName}`,
      `--${preprocessor}.timeout=${Math.ceil(cellTimeoutS)}`,
      "--output-dir",
      outDir,
      notebookPath,
    ],
    html: ["nbconvert", "--to", "html", "--output-dir", outDir, executedPath],
    executedPath,
    env: { PYTHONPATH: [PREPROCESSOR_DIR.replace(/\/$/, ""), pythonPath].filter(Boolean).join(":") },
  };
}

/** Whether `jupyter kernelspec list --json` output names a kernel `name` (default `deno`). */
export function hasKernel(kernelspecJson: string, name = "deno"): boolean {
  try {
    const parsed = JSON.parse(kernelspecJson) as { kernelspecs?: Record<string, unknown> };
    return Object.hasOwn(parsed.kernelspecs ?? {}, name);
  } catch {
    return false;
  }
}
