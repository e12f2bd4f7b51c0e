import type { FileQuality } from "../pipelines/mod.ts";
import { escapeHtml } from "./_escape_html.ts";
import { htmlTable } from "./html_table.ts";

/**
 * A notebook's closing view of a run's coercions, beside its rejects: per file and field, how many values
 * were stored as NULL or a default instead of what the file said, with the first example lines, and the
 * command that lists all of them.
 *
 * @example
 * ```ts
 * import type { WarehouseRunStore } from "../pipelines/mod.ts";
 * import { coercionsSummaryHtml } from "./coercions_summary.ts";
 * import { HtmlBlock } from "./html_block.ts";
 *
 * declare const runStore: WarehouseRunStore;
 * declare const show: (value: unknown) => Promise<void>;
 * const runId = "…";
 * await show(new HtmlBlock(coercionsSummaryHtml(await runStore.fileQuality(runId), runId)));
 * ```
 */
export function coercionsSummaryHtml(files: readonly FileQuality[], runId: string): string {
  const rows = files.flatMap((f) =>
    f.coercions.flatMap((c) =>
      (c.examples.length ? c.examples : [null]).map((e, i) => ({
        file: i === 0 ? f.file : "",
        field: i === 0 ? c.field : "",
        values: i === 0 ? c.values : null,
        line: e?.line ?? null,
        "in the file": e?.value ?? null,
        stored: e ? e.stored ?? "NULL" : null,
      }))
    )
  );
  if (rows.length === 0) {
    return `<p class="wb-coercions">No value of run <code>${
      escapeHtml(runId)
    }</code> was stored as NULL or a default.</p>`;
  }
  const total = files.reduce((s, f) => s + f.coercions.reduce((t, c) => t + c.values, 0), 0);
  return `<div class="wb-coercions">${
    htmlTable(rows, {
      caption: `${
        total.toLocaleString("en-US")
      } values loaded as NULL or a default, by file and field, with example lines (all: deno task rejects ${runId} --coercions, or the dashboard's Rejects page)`,
      limit: 1000,
      columns: ["file", "field", "values", "line", "in the file", "stored"],
      nullText: "",
    })
  }</div>`;
}
