import type { SqlValue, Warehouse } from "../warehouse/mod.ts";

/** The rows of a long aggregation, read beside other nodes' statements ({@linkcode Warehouse.readQuery}). */
export interface ReadRows {
  select: string;
  columns: readonly string[];
  rows: SqlValue[][];
}

/**
 * Runs `select` with `wh.readQuery` (on SQLite: a second connection in a worker, so other nodes go on
 * meanwhile) and keeps its rows, in `columns` order. Meant for a cube of a few thousand rows.
 */
export async function readRows(wh: Warehouse, select: string, columns: readonly string[]): Promise<ReadRows> {
  const found = await wh.readQuery<Record<string, SqlValue>>(select);
  return { select, columns, rows: found.map((row) => columns.map((c) => row[c] ?? null)) };
}

/**
 * Makes a connection-local temporary table `name` holding `read`'s rows, with the column types of its
 * SELECT (created from it with `LIMIT 0`, which runs nothing) and indexed on `keys`.
 */
export async function tempTableFromRows(
  tx: Warehouse,
  name: string,
  keys: readonly string[],
  read: ReadRows,
): Promise<void> {
  await tx.execute(tx.sql.dropTempTable(name));
  const shape = `SELECT * FROM (${read.select}) shape LIMIT 0`;
  for (const statement of tx.sql.createTempTableAs(name, keys, shape)) await tx.execute(statement);
  if (read.rows.length > 0) await tx.bulkInsert(name, read.columns, [read.rows]);
}
