/** A page of a run's coercions (the run store's `WarehouseRunStore.coercionsPage`). @module */
import { coercedCounts, type CoercionRow } from "./_run_quality.ts";
import type { SqlValue, Warehouse } from "../warehouse/mod.ts";

/** What to read of a run's coercions (values stored as NULL or a default instead of what the file said). */
export interface CoercionsQuery {
  runId: string;
  /** Only this input file. */
  file?: string;
  /** Only this field. */
  field?: string;
  /** @default 1 */
  page?: number;
  /** @default 50 */
  limit?: number;
}

/** Coerced values of one field of one file in a run. */
export interface CoercionGroup {
  file: string;
  field: string;
  /** Values coerced, all of them (the load counts every one). */
  count: number;
  /** Of those, the ones recorded with their line in `etl_coercions` (the load keeps the first ones per field). */
  recorded: number;
}

/** A page of a run's coercions, with the files and fields it has for filters. */
export interface CoercionsPage {
  runId: string;
  coercions: CoercionRow[];
  /** Coerced values by file and field in the whole run (whatever the filter), by file then most first. */
  groups: CoercionGroup[];
  page: number;
  limit: number;
  /** Recorded rows that match the filter. */
  total: number;
  pages: number;
}

/**
 * One page of a run's coercions, by file, line and field, optionally of one file and one field (bound as
 * parameters), with every file's and field's count: all values coerced (from the load's `etl_file_stats`)
 * and how many of them are recorded line by line in `etl_coercions`, which keeps the first ones per field.
 * Reads only those two tables, so it works while a run is writing.
 */
export async function readCoercions(wh: Warehouse, query: CoercionsQuery): Promise<CoercionsPage> {
  const { runId, file, field, page = 1, limit = 50 } = query;
  const where = ["run_id = ?"];
  const params: SqlValue[] = [runId];
  if (file !== undefined) {
    where.push("file = ?");
    params.push(file);
  }
  if (field !== undefined) {
    where.push("field = ?");
    params.push(field);
  }
  const filter = where.join(" AND ");
  const [rows, [{ n }], recorded, stats] = await Promise.all([
    wh.query<Record<string, SqlValue>>(
      `SELECT file, line, field, value, stored FROM etl_coercions WHERE ${filter}
       ORDER BY file, line, field LIMIT ? OFFSET ?`,
      [...params, limit, (page - 1) * limit],
    ),
    wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM etl_coercions WHERE ${filter}`, params),
    wh.query<{ file: string; field: string; n: number }>(
      "SELECT file, field, COUNT(*) AS n FROM etl_coercions WHERE run_id = ? GROUP BY file, field",
      [runId],
    ),
    wh.query<{ file: string; details: unknown }>(
      "SELECT file, details FROM etl_file_stats WHERE run_id = ?",
      [runId],
    ),
  ]);
  const groups = new Map<string, CoercionGroup>();
  const key = (f: string, c: string) => JSON.stringify([f, c]);
  for (const s of stats) {
    for (const [name, count] of Object.entries(coercedCounts(s.details))) {
      groups.set(key(String(s.file), name), { file: String(s.file), field: name, count, recorded: 0 });
    }
  }
  for (const r of recorded) {
    const k = key(String(r.file), String(r.field));
    const group = groups.get(k) ?? { file: String(r.file), field: String(r.field), count: 0, recorded: 0 };
    group.recorded = Number(r.n);
    // A load that stopped before writing its stats still has its recorded rows: count those.
    group.count = Math.max(group.count, group.recorded);
    groups.set(k, group);
  }
  const total = Number(n);
  return {
    runId,
    coercions: rows.map((r) => ({
      file: String(r.file),
      line: Number(r.line),
      field: String(r.field),
      value: r.value === null ? null : String(r.value),
      stored: r.stored === null ? null : String(r.stored),
    })),
    groups: [...groups.values()].sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : b.count - a.count || (a.field < b.field ? -1 : 1)
    ),
    page,
    limit,
    total,
    pages: Math.ceil(total / limit),
  };
}
