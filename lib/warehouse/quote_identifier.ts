import { MYSQL_DIALECT } from "./mysql/dialect.ts";
import { SQLITE_DIALECT } from "./sqlite/dialect.ts";
import type { Dialect, SqlDialect } from "./types.ts";

/** Each engine's dialect by name. */
export const DIALECTS: Readonly<Record<Dialect, SqlDialect>> = {
  mysql: MYSQL_DIALECT,
  sqlite: SQLITE_DIALECT,
};

/**
 * Quotes one table or column name for `dialect`: MySQL with backticks, SQLite with double quotes, the quote
 * character doubled inside. A dot is part of the name, not a schema separator. (With a warehouse at hand,
 * `wh.sql.quote(name)` says the same.)
 *
 * @example
 * ```ts
 * quoteIdentifier("mysql", "user`s"); // "`user``s`"
 * quoteIdentifier("sqlite", "order"); // "\"order\""
 * ```
 */
export function quoteIdentifier(dialect: Dialect, name: string): string {
  return DIALECTS[dialect].quote(name);
}
