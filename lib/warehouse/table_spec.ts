/**
 * Tables described once, as data: each adapter's {@linkcode SqlDialect} turns a {@linkcode TableSpec} into its
 * own DDL. A leaf module: it imports nothing.
 *
 * @example
 * ```ts
 * import { col, decimal, type TableSpec, text } from "./table_spec.ts";
 *
 * const prices: TableSpec = {
 *   name: "prices",
 *   columns: [col("plan", text(20)), col("monthly", decimal(6, 2))],
 *   primaryKey: ["plan"],
 * };
 * ```
 *
 * @module
 */

/** A column's type, independent of the engine. */
export type ColumnType =
  | { kind: "text"; length: number }
  | { kind: "int" }
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "real" }
  | { kind: "date" }
  | { kind: "datetime" }
  | { kind: "longtext" };

/** A column of a table: name, type and whether it may be NULL. */
export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

/** A secondary index. */
export interface IndexSpec {
  name: string;
  columns: string[];
}

/** A table as every engine should have it. */
export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  primaryKey: string[];
  indexes?: IndexSpec[];
}

/** Text of at most `length` characters. */
export const text = (length: number): ColumnType => ({ kind: "text", length });
/** A 64-bit integer. */
export const int: ColumnType = { kind: "int" };
/** A floating-point number (shares, averages). */
export const real: ColumnType = { kind: "real" };
/** A fixed-point number. */
export const decimal = (precision: number, scale: number): ColumnType => ({
  kind: "decimal",
  precision,
  scale,
});
/** A `YYYY-MM-DD` date. */
export const date: ColumnType = { kind: "date" };
/** A `YYYY-MM-DD HH:MM:SS` date and time. */
export const datetime: ColumnType = { kind: "datetime" };
/** Text of any length (JSON, error messages, raw lines). */
export const longtext: ColumnType = { kind: "longtext" };
/** A column spec. */
export const col = (name: string, type: ColumnType, nullable = false): ColumnSpec => ({
  name,
  type,
  nullable,
});
