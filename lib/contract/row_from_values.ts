import type { RawRow } from "./types.ts";
import type { ResolvedHeader } from "./resolve_header.ts";

/**
 * Picks the values of the canonical columns out of one CSV record.
 *
 * Columns absent from the header stay undefined; checking the field count is the reader's job (`malformed`).
 *
 * @example
 * ```ts
 * import { resolveHeader, rowFromValues } from "./mod.ts";
 *
 * const header = resolveHeader("users", ["id", "age"], "users.csv");
 * rowFromValues(header, ["U0001", "21"]); // { user_id: "U0001", age: "21" }
 * ```
 */
export function rowFromValues(header: ResolvedHeader, values: string[]): RawRow {
  const row: RawRow = {};
  const { index } = header;
  for (const column in index) row[column] = values[index[column]];
  return row;
}
