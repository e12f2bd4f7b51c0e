import { clearOutputs, type NotebookCell } from "./inspect_notebook.ts";

/** Cell metadata that Jupyter writes while running a cell (timings, scroll state), not part of the notebook. */
const RUN_METADATA = ["execution", "ExecuteTime", "scrolled", "collapsed"];

/** JSON as nbformat writes it: keys sorted, one-space indent, a final newline. */
function nbformatJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === "object"
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
      : v;
  return JSON.stringify(sorted(value), null, 1) + "\n";
}

/**
 * A notebook's text as it is committed: outputs, execution counts and Jupyter's run metadata removed, in
 * nbformat's layout; `changed` says whether that differs from `text`.
 *
 * @example
 * ```ts
 * const { text, changed } = cleanNotebookText(await Deno.readTextFile("notebooks/01.ipynb"));
 * ```
 */
export function cleanNotebookText(text: string): { text: string; changed: boolean } {
  const notebook = JSON.parse(text) as { cells: NotebookCell[] };
  if (!notebook || !Array.isArray(notebook.cells)) {
    throw new TypeError("Cannot clean: not a notebook (no cells)");
  }
  const cleaned = clearOutputs(notebook);
  for (const cell of cleaned.cells) {
    const metadata = cell.metadata as Record<string, unknown> | undefined;
    if (metadata) { for (const key of RUN_METADATA) delete metadata[key]; }
  }
  const out = nbformatJson(cleaned);
  return { text: out, changed: out !== text };
}
