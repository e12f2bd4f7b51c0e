import { quoteIdentifier, type Warehouse } from "../warehouse/mod.ts";
import type { Dialect } from "../warehouse/mod.ts";

/** Counts of {@linkcode syncFromSelect}: keys new, changed, already equal, and removed. */
export interface SyncCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

/**
 * Upserts the rows of a SELECT into a table by its key, on either engine, changing only rows whose values
 * differ, so that a second run reports nothing changed. The SELECT must give the columns in `columns` order
 * and at most one row per key. With `deleteMissing`, rows whose key the SELECT no longer gives are deleted,
 * so the table ends up equal to the query.
 *
 * The SELECT is materialised once into a temporary table (in one transaction, since MySQL temporary tables
 * belong to a connection): counting, upserting and deleting then read it instead of recomputing it.
 */
export function syncFromSelect(
  wh: Warehouse,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  select: string,
  options: {
    deleteMissing?: boolean;
    params?: readonly (string | number | null)[];
    /** Rows the SELECT gives, when the caller knows: the SELECT is then not materialised (faster for big loads). */
    incoming?: number;
  } = {},
): Promise<SyncCounts> {
  const { deleteMissing = false, params = [] } = options;
  const direct = options.incoming !== undefined && !deleteMissing;
  const q = (name: string) => quoteIdentifier(wh.dialect, name);
  const temp = q(`tmp_${table}`);
  const cols = columns.map(q).join(", ");
  const values = columns.filter((c) => !keys.includes(c));
  return wh.transaction(async (tx) => {
    const dropTemp = `DROP ${tx.dialect === "mysql" ? "TEMPORARY " : ""}TABLE IF EXISTS ${temp}`;
    let incoming = options.incoming ?? 0;
    if (!direct) {
      await tx.execute(dropTemp);
      // Keyed, so the anti-join of deleteMissing is a lookup per row rather than a scan (seconds on MariaDB).
      // On MySQL the index is declared in the CREATE: an ALTER TABLE would commit, even of a temporary table,
      // and end the savepoint this may run in.
      const keyList = keys.map(q).join(", ");
      if (tx.dialect === "mysql") {
        await tx.execute(`CREATE TEMPORARY TABLE ${temp} (INDEX (${keyList})) AS ${select}`, params);
      } else {
        await tx.execute(`CREATE TEMP TABLE ${temp} AS ${select}`, params);
        await tx.execute(`CREATE INDEX temp.${q(`ix_tmp_${table}`)} ON ${temp} (${keyList})`);
      }
      [{ n: incoming }] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${temp}`);
    }
    const [{ n: before }] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
    const source = direct ? `(${select}) src` : temp;
    // WHERE true: SQLite's parser needs a WHERE before ON CONFLICT in INSERT ... SELECT.
    let sql = `INSERT INTO ${q(table)} (${cols}) SELECT ${cols} FROM ${source} WHERE true `;
    if (before === 0) {
      // Nothing to conflict with (the SELECT gives each key once): a plain insert skips the per-row key checks.
    } else if (tx.dialect === "mysql") {
      const set = (values.length > 0 ? values : keys).map((c) => `${q(c)} = VALUES(${q(c)})`).join(", ");
      sql += `ON DUPLICATE KEY UPDATE ${set}`;
    } else if (values.length === 0) {
      sql += `ON CONFLICT (${keys.map(q).join(", ")}) DO NOTHING`;
    } else {
      const set = values.map((c) => `${q(c)} = excluded.${q(c)}`).join(", ");
      const differs = values.map((c) => `${q(table)}.${q(c)} IS NOT excluded.${q(c)}`).join(" OR ");
      sql += `ON CONFLICT (${keys.map(q).join(", ")}) DO UPDATE SET ${set} WHERE ${differs}`;
    }
    const changed = await tx.execute(sql, direct ? params : []);
    const [{ n: after }] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(table)}`);
    const inserted = after - before;
    // MySQL without FOUND_ROWS counts an updated row twice; SQLite's changes() counts it once.
    const updated = tx.dialect === "mysql" ? (changed - inserted) / 2 : changed - inserted;
    let deleted = 0;
    if (deleteMissing) {
      const match = keys.map((k) => `src.${q(k)} = ${q(table)}.${q(k)}`).join(" AND ");
      deleted = await tx.execute(
        `DELETE FROM ${q(table)} WHERE NOT EXISTS (SELECT 1 FROM ${temp} src WHERE ${match})`,
      );
    }
    if (!direct) await tx.execute(dropTemp);
    return { inserted, updated, unchanged: incoming - inserted - updated, deleted };
  });
}

/** `CAST(expr AS <floating point>)` on either engine, for shares and averages. */
export function asReal(dialect: Dialect, expr: string): string {
  return dialect === "mysql" ? `CAST(${expr} AS DOUBLE)` : `CAST(${expr} AS REAL)`;
}
