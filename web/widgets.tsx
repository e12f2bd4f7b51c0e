/// <reference lib="dom" />
import { formatCount } from "../lib/format/mod.ts";

/** Previous / next and "page N of M (T rows)". */
export function Pager(
  props: { page: number; pages: number; total: number; unit?: string; onPage(page: number): void },
) {
  const { page, pages, total, unit = "rows" } = props;
  return (
    <nav className="pager" aria-label="Pages" data-pager>
      <button type="button" disabled={page <= 1} onClick={() => props.onPage(page - 1)}>
        ← Previous
      </button>
      <span data-page-info>
        page {formatCount(page)} of {formatCount(Math.max(1, pages))} ({formatCount(total)} {unit})
      </span>
      <button type="button" disabled={page >= pages} onClick={() => props.onPage(page + 1)}>
        Next →
      </button>
    </nav>
  );
}

/** A column header that sorts by its column: a click sorts ascending, a second click descending. */
export function SortHeader(
  props: {
    column: string;
    label?: string;
    sort: string;
    order: "asc" | "desc";
    numeric?: boolean;
    onSort(column: string, order: "asc" | "desc"): void;
  },
) {
  const active = props.sort === props.column;
  const next = active && props.order === "asc" ? "desc" : "asc";
  return (
    <th
      className={props.numeric ? "num" : undefined}
      aria-sort={active ? (props.order === "asc" ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        className="sort"
        data-sort={props.column}
        onClick={() => props.onSort(props.column, next)}
      >
        {props.label ?? props.column}
        <span className="sort-mark">{active ? (props.order === "asc" ? " ▲" : " ▼") : ""}</span>
      </button>
    </th>
  );
}

/** A big number with its label. */
export function Kpi(props: { label: string; value: string; note?: string; id?: string }) {
  return (
    <div className="kpi" data-kpi={props.id}>
      <span className="label">{props.label}</span>
      <span className="value">{props.value}</span>
      {props.note ? <span className="note">{props.note}</span> : null}
    </div>
  );
}

/** A value as a table cell shows it: NULL as a dash, long text cut. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  }
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** An error banner, or nothing. */
export function ErrorBanner(props: { error: string | null }) {
  return props.error ? <div className="banner error" role="alert">{props.error}</div> : null;
}
