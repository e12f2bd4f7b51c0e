import { quoteIdentifier, type SqlValue, type Warehouse } from "../../warehouse/mod.ts";
import type { SyncCounts } from "../sql_dialect.ts";

/**
 * Makes a small table hold exactly `rows` (given from memory, where `syncFromSelect` takes a query), changing
 * only what differs: upserts every row (an equal row
 * counts as unchanged and is not written), then deletes the rows whose key is not among them. Never empties
 * the table in between, so readers see the old or the new rows. Meant for tables of a few thousand rows at
 * most: the stored keys are read into memory.
 */
export async function syncRows(
  wh: Warehouse,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  rows: readonly SqlValue[][],
): Promise<SyncCounts> {
  const q = (name: string) => quoteIdentifier(wh.dialect, name);
  const keyAt = keys.map((key) => columns.indexOf(key));
  if (keyAt.includes(-1)) {
    throw new TypeError(
      `Cannot sync "${table}": key columns ${JSON.stringify(keys)} must be among its columns`,
    );
  }
  const counts = rows.length > 0
    ? await wh.upsert(table, columns, keys, rows as SqlValue[][])
    : { inserted: 0, updated: 0, unchanged: 0 };
  const wanted = new Set(rows.map((row) => JSON.stringify(keyAt.map((at) => row[at]))));
  const stored = await wh.query<Record<string, SqlValue>>(
    `SELECT ${keys.map(q).join(", ")} FROM ${q(table)}`,
  );
  const vanished = stored.map((row) => keys.map((key) => row[key]))
    .filter((key) => !wanted.has(JSON.stringify(key)));
  const where = keys.map((key) => `${q(key)} = ?`).join(" AND ");
  let deleted = 0;
  for (const key of vanished) deleted += await wh.execute(`DELETE FROM ${q(table)} WHERE ${where}`, key);
  return { ...counts, deleted };
}
