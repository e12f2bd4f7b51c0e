import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { cleanNotebookText } from "./clean_notebook.ts";

const path = fileURLToPath(new URL("../../notebooks/01_relational_pipeline.ipynb", import.meta.url));

Deno.test("cleanNotebookText() strips what running a notebook adds, and leaves a clean one byte for byte", async () => {
  const committed = await Deno.readTextFile(path);
  assert.deepEqual(cleanNotebookText(committed), { text: committed, changed: false });
  // As JupyterLab autosaves it after a run: outputs, counts, timings, in its own key order.
  const ran = JSON.parse(committed);
  ran.cells.forEach((cell: Record<string, unknown>, i: number) => {
    if (cell.cell_type !== "code") return;
    cell.execution_count = i;
    cell.outputs = [{ output_type: "stream", name: "stdout", text: ["hello\n"] }];
    cell.metadata = {
      ...(cell.metadata as object),
      execution: { "iopub.status.busy": "2026-01-01T00:00:00Z" },
    };
  });
  const dirty = JSON.stringify(ran, null, 2);
  const cleaned = cleanNotebookText(dirty);
  assert.equal(cleaned.changed, true);
  assert.equal(cleaned.text, committed);
  assert.throws(() => cleanNotebookText("{}"), TypeError);
});
