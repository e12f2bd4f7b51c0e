import type { ColumnSpec, SqlValue, Warehouse } from "../warehouse/mod.ts";

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
export async function readRows(
  wh: Warehouse,
  select: string,
  declared: readonly ColumnSpec[],
): Promise<ReadRows> {
  const columns = declared.map((c) => c.name);
  const found = await wh.readQuery<Record<string, SqlValue>>(select);
  return { select, columns, rows: found.map((row) => columns.map((c) => row[c] ?? null)) };
}

/**
 * Makes a connection-local temporary table `name` holding `read`'s rows, with the `declared` columns (which
 * MySQL declares, with a key, as Galera wants; SQLite takes the types of the SELECT, run with `LIMIT 0`,
 * which reads nothing) and indexed on `keys`.
 */
export async function tempTableFromRows(
  tx: Warehouse,
  name: string,
  keys: readonly string[],
  read: ReadRows,
  declared: readonly ColumnSpec[],
): Promise<void> {
  await tx.execute(tx.sql.dropTempTable(name));
  const shape = `SELECT * FROM (${read.select}) shape LIMIT 0`;
  const { statements, fill } = tx.sql.createTempTableAs(name, keys, shape, declared);
  // Where the table is declared first (fill > 0), its rows come from `read` alone: no INSERT ... SELECT.
  for (const [i, statement] of statements.entries()) {
    if (i !== fill || fill === 0) await tx.execute(statement);
  }
  if (read.rows.length > 0) await tx.bulkInsert(name, read.columns, [inKeyOrder(read, keys)]);
}

/** Compares two values, NULL first, then by `<` (the same rows always sort the same way). */
function compareValues(a: SqlValue, b: SqlValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The rows sorted by `keys`, then by the other columns: however they were read or summed, they go into the table in one order, so that
 * roll-ups over it add the same numbers in the same order (sums of REAL depend on it).
 */
function inKeyOrder(read: ReadRows, keys: readonly string[]): SqlValue[][] {
  const keyAt = keys.map((key) => read.columns.indexOf(key));
  if (keyAt.includes(-1)) throw new RangeError(`The rows have no column ${keys[keyAt.indexOf(-1)]}`);
  // Then the other columns: rows that share a key (not unique in every cube) are ordered too.
  const at = [...keyAt, ...read.columns.keys().filter((i) => !keyAt.includes(i))];
  return [...read.rows].sort((x, y) => {
    for (const i of at) {
      const order = compareValues(x[i], y[i]);
      if (order !== 0) return order;
    }
    return 0;
  });
}
