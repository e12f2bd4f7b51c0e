import type { SqlValue } from "./types.ts";

/** What a row-writing call is doing, for error messages: `Cannot upsert into "users": ...`. */
export type WriteAction = "upsert" | "bulk insert";

/**
 * Throws a RangeError unless `columns` is a non-empty list of distinct names and every key column is one
 * of them (keys only for upserts, where at least one is required).
 */
export function checkColumns(
  action: WriteAction,
  table: string,
  columns: readonly string[],
  keyColumns?: readonly string[],
): void {
  const fail = (problem: string): never => {
    throw new RangeError(`Cannot ${action} into "${table}": ${problem}`);
  };
  if (columns.length === 0) fail("no columns given");
  const repeated = columns.find((column, index) => columns.indexOf(column) !== index);
  if (repeated !== undefined) fail(`column "${repeated}" is listed twice`);
  if (keyColumns === undefined) return;
  if (keyColumns.length === 0) fail("no key columns given");
  const unknown = keyColumns.find((key) => !columns.includes(key));
  if (unknown !== undefined) {
    fail(`key column "${unknown}" is not among the columns (${columns.map((c) => `"${c}"`).join(", ")})`);
  }
}

/**
 * Throws a RangeError unless `row` has one value per column, each a string, a finite number or null.
 * `rowNumber` counts from 1 across the whole call, so the message points at the caller's row.
 */
export function checkRow(
  action: WriteAction,
  table: string,
  columns: readonly string[],
  row: readonly SqlValue[],
  rowNumber: number,
): void {
  if (row.length !== columns.length) {
    throw new RangeError(
      `Cannot ${action} into "${table}": row ${rowNumber} has ${row.length} values for ${columns.length} columns`,
    );
  }
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (
      value === null || typeof value === "string" || (typeof value === "number" && Number.isFinite(value))
    ) {
      continue;
    }
    const shown = typeof value === "number" ? String(value) : `a value of type ${typeof value}`;
    throw new RangeError(
      `Cannot ${action} into "${table}": row ${rowNumber}, column "${columns[i]}" holds ${shown} ` +
        "(expected a string, a finite number or null)",
    );
  }
}
