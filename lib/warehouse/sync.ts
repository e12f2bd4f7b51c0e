/**
 * Keeping a derived table equal to a query or to rows in memory, changing only what differs, on any engine
 * (through the warehouse's {@linkcode SqlDialect}). What every aggregation node writes with.
 *
 * @module
 */
import type { SqlValue, TempColumn, Warehouse } from "./types.ts";

/** Counts of {@linkcode syncFromSelect} and {@linkcode syncRows}: keys new, changed, already equal, removed. */
export interface SyncCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/** Options of {@linkcode syncFromSelect}. */
export interface SyncFromSelectOptions {
  /** Delete rows whose key the SELECT no longer gives, so the table ends up equal to the query. */
  deleteMissing?: boolean;
  params?: readonly SqlValue[];
  /** Rows the SELECT gives, when the caller knows: the SELECT is then not materialised (faster for big loads). */
  incoming?: number;
}

/**
 * Upserts the rows of a SELECT into a table by its key, changing only rows whose values differ, so that a
 * second run reports nothing changed. The SELECT must give the columns in `columns` order and at most one row
 * per key. With `deleteMissing`, rows whose key the SELECT no longer gives are deleted.
 *
 * The SELECT is materialised once into a temporary table (in one transaction, since MySQL temporary tables
 * belong to a connection): counting, upserting and deleting then read it instead of recomputing it.
 *
 * @example
 * ```ts
 * import { openWarehouse } from "./mod.ts";
 * import { syncFromSelect } from "./sync.ts";
 *
 * await using wh = await openWarehouse("sqlite::memory:");
 * await wh.execute("CREATE TABLE s (g TEXT, n INTEGER)");
 * await wh.execute("CREATE TABLE totals (g TEXT PRIMARY KEY, n INTEGER)");
 * const sql = "SELECT g, SUM(n) AS n FROM s GROUP BY g";
 * await syncFromSelect(wh, "totals", ["g", "n"], ["g"], sql, { deleteMissing: true });
 * ```
 */
export function syncFromSelect(
  wh: Warehouse,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  select: string,
  options: SyncFromSelectOptions = {},
): Promise<SyncCounts> {
  const { deleteMissing = false, params = [] } = options;
  const tempName = `tmp_${table}`;
  return wh.transaction(async (tx) => {
    const { sql } = tx;
    const q = sql.quote;
    const temp = q(tempName);
    const cols = columns.map(q).join(", ");
    const [{ n: before }] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
    // Into an empty table (a first or --fresh run) every row is new and nothing is missing: the SELECT goes
    // straight in, without a temporary copy of its rows.
    const direct = before === 0 || (options.incoming !== undefined && !deleteMissing);
    let incoming = options.incoming ?? 0;
    if (!direct) {
      await tx.execute(sql.dropTempTable(tempName));
      // Keyed, so the anti-join of deleteMissing is a lookup per row rather than a scan (seconds on MariaDB).
      const made = sql.createTempTableAs(tempName, keys, select, await tempColumns(tx, table, columns));
      for (const [i, statement] of made.statements.entries()) {
        await tx.execute(statement, i === made.fill ? params : []);
      }
      [{ n: incoming }] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${temp}`);
    }
    const source = direct ? `(${select}) src` : temp;
    // WHERE true: SQLite's parser needs a WHERE before ON CONFLICT in INSERT ... SELECT.
    let insert = `INSERT INTO ${q(table)} (${cols}) SELECT ${cols} FROM ${source} WHERE true`;
    // Into an empty table nothing conflicts (the SELECT gives each key once): a plain insert skips key checks.
    if (before > 0) insert += ` ${sql.upsertClause(table, columns, keys)}`;
    const changed = await tx.execute(insert, direct ? params : []);
    const [{ n: after }] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
    const inserted = after - before;
    const updated = sql.updatedRows(changed, inserted);
    if (before === 0) incoming = inserted;
    let deleted = 0;
    if (deleteMissing && before > 0) {
      const match = keys.map((k) => `src.${q(k)} = ${q(table)}.${q(k)}`).join(" AND ");
      deleted = await tx.execute(
        `DELETE FROM ${q(table)} WHERE NOT EXISTS (SELECT 1 FROM ${temp} src WHERE ${match})`,
      );
    }
    if (!direct) await tx.execute(sql.dropTempTable(tempName));
    return { inserted, updated, unchanged: incoming - inserted - updated, deleted };
  });
}

/** The temporary table's columns: declared as in `table` where the engine needs declared columns. */
async function tempColumns(
  wh: Warehouse,
  table: string,
  columns: readonly string[],
): Promise<TempColumn[]> {
  const { columnTypesSql } = wh.sql;
  if (columnTypesSql === undefined) return columns.map((name) => ({ name, type: "", nullable: true }));
  const declared = await wh.query<{ name: string; type: string; nullable: number }>(columnTypesSql, [table]);
  return columns.map((name) => {
    const column = declared.find((c) => c.name === name);
    if (!column) throw new RangeError(`Cannot sync "${table}": it has no column "${name}"`);
    return { name, type: column.type, nullable: Number(column.nullable) === 1 };
  });
}

/**
 * Makes a small table hold exactly `rows` (given from memory, where {@linkcode syncFromSelect} takes a query),
 * changing only what differs: upserts every row (an equal row counts as unchanged and is not written), then
 * deletes the rows whose key is not among them. Never empties the table in between, so readers see the old
 * or the new rows. Meant for tables of a few thousand rows at most: the stored keys are read into memory.
 */
export async function syncRows(
  wh: Warehouse,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  rows: readonly SqlValue[][],
): Promise<SyncCounts> {
  const q = wh.sql.quote;
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
