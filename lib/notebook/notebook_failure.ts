import type { NotebookCell, NotebookInspection } from "./inspect_notebook.ts";

const joined = (text: string | string[] | undefined) => Array.isArray(text) ? text.join("") : text ?? "";

/**
 * One sentence on why an executed notebook failed: which cell (its index and first line) and the error's
 * first line, and where the notebook and its HTML, kept up to that cell, are.
 *
 * @example
 * ```ts
 * import { failureSentence } from "./notebook_failure.ts";
 * import { inspectNotebook, type NotebookCell } from "./inspect_notebook.ts";
 *
 * declare const notebook: { cells: NotebookCell[] };
 * failureSentence("01.ipynb", notebook, inspectNotebook(notebook), "out/notebooks/01.html");
 * // '01.ipynb failed in cell 14 (await step(steps, "process_sessions");): RangeError: Cannot run ...; kept up to that cell in out/notebooks/01.html'
 * ```
 */
export function failureSentence(
  name: string,
  notebook: { cells: NotebookCell[] },
  inspection: NotebookInspection,
  keptAt: string,
): string | undefined {
  const first = inspection.errors[0];
  if (!first) return undefined;
  const source = joined(notebook.cells[first.cell]?.source).split("\n").find((l) =>
    l.trim() && !l.startsWith("//")
  );
  const why = first.message.split("\n").find((l) => l.trim())?.trim() ?? "an error";
  const line = source?.trim() ?? "";
  const where = line ? ` (${line.length > 60 ? `${line.slice(0, 59)}…` : line})` : "";
  return `${name} failed in cell ${first.cell}${where}: ${why}; kept up to that cell in ${keptAt}`;
}
