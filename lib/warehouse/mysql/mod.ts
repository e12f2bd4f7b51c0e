/**
 * The MySQL / MariaDB warehouse adapter, on `npm:mysql2`.
 *
 * @module
 */
export { connectError } from "./connect_error.ts";
export { loadDataLine, loadDataSql, loadDataStream } from "./load_data.ts";
export { type MysqlWarehouseOptions, openMysqlWarehouse } from "./mysql_warehouse.ts";
export { upsertCounts, type UpsertResultHeader } from "./upsert_counts.ts";
export { type ValuesList, ValuesLists, type ValuesListsOptions } from "./values_lists.ts";
