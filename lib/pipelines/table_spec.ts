/** A column type, which each engine maps to its SQL type when it creates the table. */
export type ColumnType =
  | { kind: "text"; length: number }
  | { kind: "int" }
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "real" }
  | { kind: "date" }
  | { kind: "datetime" }
  | { kind: "longtext" };

/** A column: name, type and whether it may be NULL. */
export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

/** A table as both engines should have it. */
export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  primaryKey: string[];
  indexes?: { name: string; columns: string[] }[];
}

/** `VARCHAR(length)` on MySQL. */
export const text = (length: number): ColumnType => ({ kind: "text", length });
export const int: ColumnType = { kind: "int" };
export const real: ColumnType = { kind: "real" };
export const decimal = (precision: number, scale: number): ColumnType => ({
  kind: "decimal",
  precision,
  scale,
});
export const longtext: ColumnType = { kind: "longtext" };
/** A column, `NOT NULL` unless `nullable`. */
export const col = (name: string, type: ColumnType, nullable = false): ColumnSpec => ({
  name,
  type,
  nullable,
});
