import type { FileQuality } from "../pipelines/mod.ts";
import { fitLine } from "./fit_text.ts";

const count = (n: number) => n.toLocaleString("en-US");
const quoted = (value: string | null) => value === null ? "NULL" : JSON.stringify(value);

/** Options of {@linkcode formatRunQuality}. */
export interface FormatRunQualityOptions {
  /** Named in the closing hint (`deno task rejects RUN_ID`). */
  runId: string;
  /** Lines are cut to fit a terminal this wide. @default no limit */
  columns?: number;
}

/**
 * The part of `deno task etl`'s summary under the table: per file, the rejects by reason with example
 * lines, the rows replaced by a later duplicate, the values set to NULL per field, and how to see them all.
 *
 * @example
 * ```ts
 * import type { WarehouseRunStore } from "../pipelines/mod.ts";
 * import { formatRunQuality } from "./run_quality_text.ts";
 *
 * declare const runStore: WarehouseRunStore;
 * declare const runId: string;
 * console.log(formatRunQuality(await runStore.fileQuality(runId), { runId, columns: 80 }));
 * ```
 */
export function formatRunQuality(files: readonly FileQuality[], options: FormatRunQualityOptions): string {
  const { runId, columns = Infinity } = options;
  const width = Math.max(1, columns - 1);
  const lines: string[] = [];
  for (const f of files) {
    const parts = [`${count(f.rowsRead)} read`, `${count(f.loaded)} loaded`, `${count(f.rejected)} rejected`];
    if (f.duplicates > 0) parts.push(`${count(f.duplicates)} replaced by a later duplicate`);
    const nulls = f.coercions.reduce((sum, c) => sum + c.values, 0);
    if (nulls > 0) parts.push(`${count(nulls)} values set to NULL or a default`);
    lines.push(...wrapList(`${f.file}: `, parts, width));
    for (const r of f.rejects) {
      lines.push(`  rejected ${count(r.rows)} ${r.reason}`);
      for (const e of r.examples) lines.push(`    line ${e.line}: ${e.raw ?? ""}`);
    }
    if (f.coercions.length > 0) {
      lines.push(
        ...wrapList(
          "  set to NULL or a default: ",
          f.coercions.map((c) => `${count(c.values)} ${c.field}`),
          width,
        ),
      );
      for (const c of f.coercions) {
        for (const e of c.examples) {
          lines.push(`    line ${e.line}: ${c.field} ${quoted(e.value)} -> ${quoted(e.stored)}`);
        }
      }
    }
  }
  if (files.some((f) => f.rejects.length > 0 || f.coercions.length > 0)) {
    lines.push(`All of them: deno task rejects ${runId}`);
    lines.push("  (--file F, --reason R, --coercions; --csv exports the raw lines for fixing)");
  }
  return lines.map((l) => fitLine(l, width)).join("\n");
}

/** `head` and the items joined by ", ", wrapped at `width` with continuation lines indented by 4. */
export function wrapList(head: string, items: string[], width: number): string[] {
  const lines: string[] = [];
  let line = head;
  for (const [i, item] of items.entries()) {
    const piece = item + (i < items.length - 1 ? "," : "");
    if (line !== head && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = "    " + piece;
    } else line += (line === head ? "" : " ") + piece;
  }
  lines.push(line);
  return lines;
}
