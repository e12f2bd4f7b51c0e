/**
 * The SQLite warehouse adapter, on `node:sqlite`.
 *
 * @module
 */
export { openSqliteWarehouse, type SqliteWarehouseOptions } from "./sqlite_warehouse.ts";
export { sqliteCountKeysSql, sqliteInsertSql, sqliteUpsertSql } from "./upsert_sql.ts";
