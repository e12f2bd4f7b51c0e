/**
 * The relational warehouse: one {@linkcode Warehouse} interface, a SQLite adapter (the embedded default) and
 * a MySQL / MariaDB adapter, chosen by URL with {@linkcode openWarehouse}.
 *
 * @example
 * ```ts
 * import { openWarehouse } from "./mod.ts";
 *
 * await using wh = await openWarehouse("mysql://etl:secret@127.0.0.1:3306/workbench");
 * await wh.execute("CREATE TABLE IF NOT EXISTS t (id VARCHAR(32) PRIMARY KEY, n INT)");
 * await wh.upsert("t", ["id", "n"], ["id"], [["a", 1]]);
 * ```
 *
 * @module
 */
export type {
  BulkInsertOptions,
  Dialect,
  LiveChannel,
  RowBatches,
  SqlDialect,
  SqlValue,
  TempColumn,
  TempTableStatements,
  UpsertCounts,
  Warehouse,
  WarehouseTraits,
} from "./types.ts";
export {
  col,
  type ColumnSpec,
  type ColumnType,
  date,
  datetime,
  decimal,
  type IndexSpec,
  int,
  longtext,
  real,
  type TableSpec,
  text,
} from "./table_spec.ts";
export { type SyncCounts, syncFromSelect, type SyncFromSelectOptions, syncRows } from "./sync.ts";
export { openWarehouse, type OpenWarehouseOptions } from "./open_warehouse.ts";
export {
  type MysqlHost,
  type MysqlLocation,
  type MysqlUrlOptions,
  parseWarehouseUrl,
  redactUrl,
  type SqliteLocation,
  type SslMode,
  type WarehouseLocation,
} from "./parse_warehouse_url.ts";
export { DIALECTS, quoteIdentifier } from "./quote_identifier.ts";
export type { MysqlWarehouseOptions } from "./mysql/mod.ts";
export type { SqliteWarehouseOptions } from "./sqlite/mod.ts";
// Imported on first use, so that loading this module does not load both engines' drivers.
export { openMysqlWarehouse, openSqliteWarehouse } from "./open_warehouse.ts";
