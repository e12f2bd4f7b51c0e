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
  let picks = PICKS.get(header.index);
  if (picks === undefined) {
    picks = { columns: Object.keys(header.index), positions: Object.values(header.index) };
    PICKS.set(header.index, picks);
  }
  const row: RawRow = {};
  const { columns, positions } = picks;
  for (let i = 0; i < columns.length; i++) row[columns[i]] = values[positions[i]];
  return row;
}

/** A header's columns and their positions as arrays, made once per header (called once per record). */
const PICKS = new WeakMap<Record<string, number>, { columns: string[]; positions: number[] }>();
