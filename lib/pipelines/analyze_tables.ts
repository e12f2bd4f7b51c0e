import type { Warehouse } from "../warehouse/mod.ts";

/**
 * Refreshes the optimizer's statistics of tables just loaded. After a restart InnoDB may take freshly
 * filled small tables (`content_dim`, `content_genres`) for empty and join them first, which made
 * `cross_store_stats` run for over 13 minutes instead of 10 s; `ANALYZE TABLE` puts the counts right.
 * SQLite plans these joins well without statistics, and keeps its plans as they were.
 */
export async function analyzeTables(wh: Warehouse, tables: readonly string[]): Promise<void> {
  const statement = wh.sql.analyze(tables);
  // A query: MySQL's ANALYZE TABLE answers with a result set.
  if (statement) await wh.query(statement);
}
