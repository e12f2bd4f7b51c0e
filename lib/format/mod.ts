/**
 * Numbers, durations and times as every front end prints them: the terminal, the notebooks, the report and
 * the dashboard (which bundles this module). en-US grouping, so output is the same on every machine.
 *
 * @example
 * ```ts
 * import { formatCount, formatDuration, formatRows } from "./mod.ts";
 *
 * formatCount(222785); // "222,785"
 * formatRows(1); // "1 row"
 * formatDuration(2410); // "2.41 s"
 * formatDuration(245_000); // "4 min 05 s"
 * ```
 *
 * @module
 */

const grouping = new Intl.NumberFormat("en-US");

/** A count with thousands separators: `222,785`. */
export function formatCount(n: number): string {
  return grouping.format(Math.round(n));
}

/** `1 row`, `12,345 rows`. */
export function formatRows(n: number): string {
  return `${formatCount(n)} ${n === 1 ? "row" : "rows"}`;
}

/** `850 ms`, `2.41 s`, `4 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 60 ? `${minutes + 1} min 00 s` : `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}

/** `2026-11-26 01:35:07 UTC` from an ISO text or the run store's `YYYY-MM-DD HH:MM:SS.mmm` (UTC). */
export function formatTime(value: string | null): string {
  if (!value) return "–";
  const iso = value.includes("T") ? value : value.replace(" ", "T") + "Z";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? value : `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
