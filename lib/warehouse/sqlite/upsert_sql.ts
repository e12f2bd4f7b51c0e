import { SQLITE_DIALECT } from "./dialect.ts";

const q = (name: string) => SQLITE_DIALECT.quote(name);

/** `(?, ?, ?), (?, ?, ?)`: `rowCount` tuples of `width` placeholders. */
function placeholders(rowCount: number, width: number): string {
  const tuple = `(${Array(width).fill("?").join(", ")})`;
  return Array(rowCount).fill(tuple).join(", ");
}

/**
 * A SQLite upsert of `rowCount` rows: on a key conflict it updates the other columns, but only when one of
 * them differs (`IS NOT` treats NULLs as equal), so `changes()` counts inserted plus really updated rows.
 *
 * @example
 * ```ts
 * sqliteUpsertSql("t", ["id", "n"], ["id"], 1);
 * // INSERT INTO "t" ("id", "n") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "n" = excluded."n"
 * //   WHERE "t"."n" IS NOT excluded."n"
 * ```
 */
export function sqliteUpsertSql(
  table: string,
  columns: readonly string[],
  keyColumns: readonly string[],
  rowCount: number,
): string {
  const insert = `INSERT INTO ${q(table)} (${columns.map(q).join(", ")}) VALUES ${
    placeholders(rowCount, columns.length)
  }`;
  const others = columns.filter((column) => !keyColumns.includes(column));
  const target = `ON CONFLICT (${keyColumns.map(q).join(", ")})`;
  if (others.length === 0) return `${insert} ${target} DO NOTHING`;
  const set = others.map((c) => `${q(c)} = excluded.${q(c)}`).join(", ");
  const differs = others.map((c) => `${q(table)}.${q(c)} IS NOT excluded.${q(c)}`).join(" OR ");
  return `${insert} ${target} DO UPDATE SET ${set} WHERE ${differs}`;
}

/** Counts rows of `table` whose key is among `keyCount` bound key tuples (repeats in the list are harmless). */
export function sqliteCountKeysSql(table: string, keyColumns: readonly string[], keyCount: number): string {
  return `SELECT COUNT(*) AS n FROM ${q(table)} WHERE (${keyColumns.map(q).join(", ")}) IN (VALUES ${
    placeholders(keyCount, keyColumns.length)
  })`;
}

/** A plain multi-row INSERT of `rowCount` rows. */
export function sqliteInsertSql(
  table: string,
  columns: readonly string[],
  rowCount: number,
  replace = false,
): string {
  return `INSERT ${replace ? "OR REPLACE " : ""}INTO ${q(table)} (${columns.map(q).join(", ")}) VALUES ${
    placeholders(rowCount, columns.length)
  }`;
}
