/** A page of a run's rejects (the run store's `WarehouseRunStore.rejectsPage`). @module */
import type { RejectRow } from "./_run_quality.ts";
import type { SqlValue, Warehouse } from "../warehouse/mod.ts";

/** What to read of a run's rejects. */
export interface RejectsQuery {
  runId: string;
  /** Only this input file. */
  file?: string;
  /** Only this reason. */
  reason?: string;
  /** @default 1 */
  page?: number;
  /** @default 50 */
  limit?: number;
}

/** A page of a run's rejects, with the files and reasons it has for filters. */
export interface RejectsPage {
  runId: string;
  rejects: RejectRow[];
  /** Rejected rows by file and reason in the whole run (whatever the filter). */
  groups: { file: string; reason: string; count: number }[];
  page: number;
  limit: number;
  /** Rows that match the filter. */
  total: number;
  pages: number;
}

/**
 * One page of a run's rejected rows, by file then line, optionally of one file and one reason; the filters
 * are bound as parameters. Reads `etl_rejects` only, so it works while a run is writing.
 */
export async function readRejectsPage(wh: Warehouse, query: RejectsQuery): Promise<RejectsPage> {
  const { runId, file, reason, page = 1, limit = 50 } = query;
  const where = ["run_id = ?"];
  const params: SqlValue[] = [runId];
  if (file !== undefined) {
    where.push("file = ?");
    params.push(file);
  }
  if (reason !== undefined) {
    where.push("reason = ?");
    params.push(reason);
  }
  const filter = where.join(" AND ");
  const [rows, [{ n }], groups] = await Promise.all([
    wh.query<Record<string, unknown>>(
      `SELECT file, line, reason, field, value, raw FROM etl_rejects WHERE ${filter}
       ORDER BY file, line LIMIT ? OFFSET ?`,
      [...params, limit, (page - 1) * limit],
    ),
    wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM etl_rejects WHERE ${filter}`, params),
    wh.query<{ file: string; reason: string; n: number }>(
      `SELECT file, reason, COUNT(*) AS n FROM etl_rejects WHERE run_id = ?
       GROUP BY file, reason ORDER BY file, n DESC, reason`,
      [runId],
    ),
  ]);
  const total = Number(n);
  return {
    runId,
    rejects: rows.map((r) => ({
      file: String(r.file),
      line: Number(r.line),
      reason: String(r.reason),
      field: r.field === null ? null : String(r.field),
      value: r.value === null ? null : String(r.value),
      raw: r.raw === null ? null : String(r.raw),
    })),
    groups: groups.map((g) => ({ file: String(g.file), reason: String(g.reason), count: Number(g.n) })),
    page,
    limit,
    total,
    pages: Math.ceil(total / limit),
  };
}
