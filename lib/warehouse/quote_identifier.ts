import type { Dialect } from "./types.ts";

/**
 * Quotes one table or column name for `dialect`: MySQL with backticks, SQLite with double quotes, the quote
 * character doubled inside. A dot is part of the name, not a schema separator.
 *
 * @example
 * ```ts
 * quoteIdentifier("mysql", "user`s"); // "`user``s`"
 * quoteIdentifier("sqlite", "order"); // "\"order\""
 * ```
 */
export function quoteIdentifier(dialect: Dialect, name: string): string {
  if (name.length === 0) throw new TypeError("Cannot quote an empty identifier");
  if (name.includes("\0")) {
    throw new TypeError(`Cannot quote identifier "${name}": it contains a NUL character`);
  }
  const quote = dialect === "mysql" ? "`" : '"';
  return quote + name.replaceAll(quote, quote + quote) + quote;
}
