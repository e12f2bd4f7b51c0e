/**
 * Readers of a run's rejects and coercions, private to the run store (`WarehouseRunStore`), which
 * is the one owner of the run tables.
 * @module
 */
import type { Warehouse } from "../warehouse/mod.ts";

/** One reject of a run, as `etl_rejects` holds it. */
export interface RejectRow {
  file: string;
  line: number;
  reason: string;
  field: string | null;
  value: string | null;
  raw: string | null;
}

/** One value stored as NULL (or a default) instead of what the file said, as `etl_coercions` holds it. */
export interface CoercionRow {
  file: string;
  line: number;
  field: string;
  value: string | null;
  /** What was stored: `null` for NULL. */
  stored: string | null;
}

/** What happened to one input file in a run, beyond the counts: why rows were rejected or changed. */
export interface FileQuality {
  file: string;
  rowsRead: number;
  loaded: number;
  rejected: number;
  /** Rows replaced by a later row with the same key. */
  duplicates: number;
  /** Rejects per reason, most first, with the first example lines. */
  rejects: { reason: string; rows: number; examples: RejectRow[] }[];
  /** Values stored as NULL per field (all of them counted), most first, with the first examples. */
  coercions: { field: string; values: number; examples: CoercionRow[] }[];
}

/** Options of {@linkcode readRunQuality}. */
export interface ReadRunQualityOptions {
  /** Example lines per reason and per coerced field. @default 2 */
  examples?: number;
  /** Only this file. */
  file?: string;
}

const int = (v: unknown) => Number(v ?? 0);

/** `etl_file_stats.details` as text (SQLite, MariaDB longtext) or as an object (a JSON column). */
export function coercedCounts(details: unknown): Record<string, number> {
  let parsed: unknown = details;
  if (typeof details === "string") {
    try {
      parsed = JSON.parse(details);
    } catch {
      return {};
    }
  }
  const coerced = (parsed as { coerced?: unknown } | null)?.coerced;
  if (!coerced || typeof coerced !== "object") return {};
  return Object.fromEntries(
    Object.entries(coerced as Record<string, unknown>).filter(([, n]) => typeof n === "number" && n > 0),
  ) as Record<string, number>;
}

/**
 * Reads, per input file of a run, the rejects by reason and the coerced values by field with a few example
 * lines each, and the duplicates replaced: what the summary of `deno task etl`, `deno task rejects` and a
 * notebook's node report show under the counts.
 */
export async function readRunQuality(
  wh: Warehouse,
  runId: string,
  options: ReadRunQualityOptions = {},
): Promise<FileQuality[]> {
  const { examples = 2, file } = options;
  const limit = Math.max(0, Math.floor(examples));
  const onlyFile = file === undefined ? "" : " AND file = ?";
  const params = file === undefined ? [runId] : [runId, file];
  const stats = await wh.query<Record<string, string | number | null>>(
    `SELECT file, rows_read, rows_loaded, rows_rejected, rows_duplicate, details FROM etl_file_stats
     WHERE run_id = ?${onlyFile} ORDER BY file`,
    params,
  );
  const files: FileQuality[] = [];
  for (const s of stats) {
    const name = String(s.file);
    const reasons = await wh.query<{ reason: string; n: number }>(
      "SELECT reason, COUNT(*) AS n FROM etl_rejects WHERE run_id = ? AND file = ? GROUP BY reason",
      [runId, name],
    );
    reasons.sort((a, b) => int(b.n) - int(a.n) || (a.reason < b.reason ? -1 : 1));
    const rejects: FileQuality["rejects"] = [];
    for (const { reason, n } of reasons) {
      const rows = await wh.query<Record<string, string | number | null>>(
        `SELECT file, line, reason, field, value, raw FROM etl_rejects WHERE run_id = ? AND file = ? AND reason = ?
         ORDER BY line LIMIT ${limit}`,
        [runId, name, reason],
      );
      rejects.push({ reason, rows: int(n), examples: rows.map(toRejectRow) });
    }
    const coercions: FileQuality["coercions"] = [];
    const counted = Object.entries(coercedCounts(s.details)).sort((a, b) =>
      b[1] - a[1] || (a[0] < b[0] ? -1 : 1)
    );
    for (const [field, values] of counted) {
      const rows = await wh.query<Record<string, string | number | null>>(
        `SELECT file, line, field, value, stored FROM etl_coercions WHERE run_id = ? AND file = ? AND field = ?
         ORDER BY line LIMIT ${limit}`,
        [runId, name, field],
      );
      coercions.push({ field, values, examples: rows.map(toCoercionRow) });
    }
    files.push({
      file: name,
      rowsRead: int(s.rows_read),
      loaded: int(s.rows_loaded),
      rejected: int(s.rows_rejected),
      duplicates: int(s.rows_duplicate),
      rejects,
      coercions,
    });
  }
  return files;
}

/** Options of {@linkcode listRejects} and {@linkcode listCoercions}. */
export interface ListRunRowsOptions {
  file?: string;
  /** Only rejects with this reason (rejects), or coercions of this field (coercions). */
  reason?: string;
  /** @default 1000 */
  limit?: number;
}

/** A run's rejects in file and line order, optionally of one file and reason. */
export async function listRejects(
  wh: Warehouse,
  runId: string,
  options: ListRunRowsOptions = {},
): Promise<RejectRow[]> {
  const { file, reason, limit = 1000 } = options;
  const where = ["run_id = ?"];
  const params: string[] = [runId];
  if (file !== undefined) where.push("file = ?"), params.push(file);
  if (reason !== undefined) where.push("reason = ?"), params.push(reason);
  const rows = await wh.query<Record<string, string | number | null>>(
    `SELECT file, line, reason, field, value, raw FROM etl_rejects WHERE ${where.join(" AND ")}
     ORDER BY file, line LIMIT ${Math.max(0, Math.floor(limit))}`,
    params,
  );
  return rows.map(toRejectRow);
}

/** A run's recorded coercions in file and line order, optionally of one file and field. */
export async function listCoercions(
  wh: Warehouse,
  runId: string,
  options: ListRunRowsOptions & { field?: string } = {},
): Promise<CoercionRow[]> {
  const { file, field, limit = 1000 } = options;
  const where = ["run_id = ?"];
  const params: string[] = [runId];
  if (file !== undefined) where.push("file = ?"), params.push(file);
  if (field !== undefined) where.push("field = ?"), params.push(field);
  const rows = await wh.query<Record<string, string | number | null>>(
    `SELECT file, line, field, value, stored FROM etl_coercions WHERE ${where.join(" AND ")}
     ORDER BY file, line, field LIMIT ${Math.max(0, Math.floor(limit))}`,
    params,
  );
  return rows.map(toCoercionRow);
}

/** The id of the newest run, or undefined when none is recorded. */
export async function latestRunId(wh: Warehouse): Promise<string | undefined> {
  const [row] = await wh.query<{ run_id: string }>(
    "SELECT run_id FROM etl_runs ORDER BY started_at DESC LIMIT 1",
  );
  return row?.run_id;
}

const toRejectRow = (r: Record<string, string | number | null>): RejectRow => ({
  file: String(r.file),
  line: int(r.line),
  reason: String(r.reason),
  field: r.field === null ? null : String(r.field),
  value: r.value === null ? null : String(r.value),
  raw: r.raw === null ? null : String(r.raw),
});

const toCoercionRow = (r: Record<string, string | number | null>): CoercionRow => ({
  file: String(r.file),
  line: int(r.line),
  field: String(r.field),
  value: r.value === null ? null : String(r.value),
  stored: r.stored === null ? null : String(r.stored),
});
