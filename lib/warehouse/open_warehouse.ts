import { join } from "node:path";
import type { MysqlWarehouseOptions } from "./mysql/mysql_warehouse.ts";
import { type MysqlLocation, parseWarehouseUrl } from "./parse_warehouse_url.ts";
import type { SqliteWarehouseOptions } from "./sqlite/sqlite_warehouse.ts";
import type { Warehouse } from "./types.ts";

// The adapters are imported when one is first opened: a run on SQLite does not load the MySQL driver
// (about 40 ms of start-up), and the heartbeat and read threads load only the adapter they use.

/** Opens a MySQL / MariaDB warehouse (see `mysql/mysql_warehouse.ts`), importing the driver on first use. */
export async function openMysqlWarehouse(
  location: MysqlLocation,
  options: MysqlWarehouseOptions = {},
): Promise<Warehouse> {
  const adapter = await import("./mysql/mysql_warehouse.ts");
  return await adapter.openMysqlWarehouse(location, options);
}

/** Opens a SQLite warehouse file (see `sqlite/sqlite_warehouse.ts`), importing the adapter on first use. */
export async function openSqliteWarehouse(
  path: string,
  options: SqliteWarehouseOptions = {},
): Promise<Warehouse> {
  const adapter = await import("./sqlite/sqlite_warehouse.ts");
  return await adapter.openSqliteWarehouse(path, options);
}

/** Options of {@linkcode openWarehouse}; the adapter-specific ones apply to their engine only. */
export interface OpenWarehouseOptions
  extends Omit<SqliteWarehouseOptions, "label">, Omit<MysqlWarehouseOptions, "label"> {
  /** The workbench's state folder: `sqlite:` with no path means `<stateDir>/warehouse.db`. @default ".workbench" */
  stateDir?: string;
}

/**
 * Opens the warehouse a URL points to: `sqlite:PATH` (relative to the working directory, parent folders
 * created), `sqlite::memory:`, or `mysql://user:pass@host:port/db` (`mariadb://` too; the database is created
 * if missing). Close it with `close()`, or let `await using` do it.
 *
 * @throws {TypeError} for a URL of none of these forms.
 * @throws {Error} `Cannot connect to MySQL at 127.0.0.1:3306: connection refused` and the like.
 *
 * @example
 * ```ts
 * await using wh = await openWarehouse("sqlite:.workbench/warehouse.db");
 * console.log(wh.label, await wh.query("SELECT 1 AS one"));
 * ```
 */
export function openWarehouse(url: string, options: OpenWarehouseOptions = {}): Promise<Warehouse> {
  const { stateDir = ".workbench", ...adapterOptions } = options;
  let location;
  try {
    location = parseWarehouseUrl(url);
  } catch (error) {
    return Promise.reject(error);
  }
  if (location.dialect === "mysql") return openMysqlWarehouse(location, adapterOptions);
  const path = location.path || join(stateDir, "warehouse.db");
  return openSqliteWarehouse(path, { ...adapterOptions, label: `sqlite:${path}` });
}
