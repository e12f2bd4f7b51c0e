import { quoteIdentifier, type Warehouse } from "../warehouse/mod.ts";

/**
 * Refreshes the optimizer's statistics of tables just loaded. After a restart InnoDB may take freshly
 * filled small tables (`content_dim`, `content_genres`) for empty and join them first, which made
 * `cross_store_stats` run for over 13 minutes instead of 10 s; `ANALYZE TABLE` puts the counts right.
 * SQLite plans these joins well without statistics, and keeps its plans as they were.
 */
export async function analyzeTables(wh: Warehouse, tables: readonly string[]): Promise<void> {
  if (wh.dialect !== "mysql" || tables.length === 0) return;
  await wh.query(`ANALYZE TABLE ${tables.map((t) => quoteIdentifier("mysql", t)).join(", ")}`);
}
