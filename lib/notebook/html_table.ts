import { escapeHtml } from "./_escape_html.ts";

/** Options of {@linkcode htmlTable}. */
export interface HtmlTableOptions {
  /** Columns to show, in order. @default the keys of the first row */
  columns?: readonly string[];
  /** Rows shown at most; the caption says how many were left out. @default 10 */
  limit?: number;
  caption?: string;
  /** Longest cell text before it is cut with an ellipsis. @default 80 */
  maxCellLength?: number;
  /** What a NULL (or missing) cell shows, greyed. @default "NULL" */
  nullText?: string;
}

/**
 * A preview table of rows (any objects: query rows or typed rows such as `DeviceUsageRow`): numbers
 * right-aligned with thousands separators, long text cut, HTML escaped.
 */
export function htmlTable(rows: readonly object[], options: HtmlTableOptions = {}): string {
  const { limit = 10, caption, maxCellLength = 80, nullText = "NULL" } = options;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`Limit must be a whole number (got ${limit})`);
  }
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const shown = (rows as readonly Record<string, unknown>[]).slice(0, limit);
  const cell = (value: unknown, column: string) => {
    if (typeof value === "number") {
      // Years and line numbers read as such ("2024", "line 2685"), other whole numbers with separators.
      const text = /year|^line$/i.test(column)
        ? String(value)
        : Number.isInteger(value)
        ? value.toLocaleString("en-US")
        : value.toLocaleString("en-US", { maximumFractionDigits: 4 });
      return `<td style="text-align:right">${text}</td>`;
    }
    if (value === null || value === undefined) return `<td style="color:#999">${escapeHtml(nullText)}</td>`;
    const text = typeof value === "object" ? JSON.stringify(value) : String(value);
    const cut = text.length > maxCellLength ? `${text.slice(0, maxCellLength - 1)}…` : text;
    return `<td style="text-align:left" title="${escapeHtml(text)}">${escapeHtml(cut)}</td>`;
  };
  const more = rows.length > shown.length
    ? ` (first ${shown.length} of ${rows.length.toLocaleString("en-US")})`
    : "";
  const title = caption !== undefined || more ? `<caption>${escapeHtml(caption ?? "")}${more}</caption>` : "";
  return [
    `<table class="wb-table">${title}`,
    `<thead><tr>${
      columns.map((c) => `<th style="text-align:left">${escapeHtml(c)}</th>`).join("")
    }</tr></thead>`,
    `<tbody>${shown.map((r) => `<tr>${columns.map((c) => cell(r[c], c)).join("")}</tr>`).join("")}</tbody>`,
    `</table>`,
  ].join("");
}
