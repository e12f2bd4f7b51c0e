import mysql, { type PoolConnection, type PoolOptions, type ResultSetHeader } from "mysql2/promise";
import { checkColumns } from "../_check_rows.ts";
import { writeError } from "../_write_error.ts";
import type { MysqlHost, MysqlLocation } from "../parse_warehouse_url.ts";
import { MYSQL_DIALECT } from "./dialect.ts";
import type {
  BulkInsertOptions,
  RowBatches,
  SqlValue,
  UpsertCounts,
  Warehouse,
  WarehouseTraits,
} from "../types.ts";
import {
  connectError,
  connectErrorForHosts,
  requiresTlsError,
  SECURE_TRANSPORT_REQUIRED,
} from "./connect_error.ts";
import { FailoverPool, isHostDown } from "./failover_pool.ts";
import { chunkedBatches, serverTransactionRows } from "./bounded_transactions.ts";
import { tlsOptions } from "./tls_options.ts";
import { loadDataSql, loadDataStream } from "./load_data.ts";
import { upsertCounts } from "./upsert_counts.ts";
import { ValuesLists } from "./values_lists.ts";

/** Options of {@linkcode openMysqlWarehouse}. */
export interface MysqlWarehouseOptions {
  /** Connections in the pool. @default 4 */
  poolSize?: number;
  /** How long to wait for a connection before giving up, in milliseconds. @default 10_000 */
  connectTimeoutMs?: number;
  /**
   * Whether bulkInsert uses `LOAD DATA LOCAL INFILE`; when false, or when the server refuses it
   * (`local_infile=OFF`), it falls back to multi-row INSERTs. @default true
   */
  loadData?: boolean;
  /**
   * At most this many rows per transaction of a bulk insert outside a transaction: each chunk commits on its
   * own (what a cluster with `wsrep_max_ws_rows` or a managed server with a transaction size limit needs).
   * Below the server's `wsrep_max_ws_rows` or `wsrep_max_ws_size` (at an estimated row size) when the
   * server reports one. The URL's `max-transaction-rows` sets it too. @default unbounded (one transaction)
   */
  maxTransactionRows?: number;
}

/** Server errors meaning "LOAD DATA LOCAL is disabled here" (MySQL 8 ships with local_infile=OFF). */
const LOCAL_INFILE_DISABLED = new Set([1148, 2068, 3948]);

type Queryable = FailoverPool | PoolConnection;

/** The connection of an open transaction, shared with its nested transactions so savepoint names never clash. */
interface TransactionState {
  connection: PoolConnection;
  savepoints: number;
}

/** A warehouse on MySQL 8 or MariaDB 10.11 through a mysql2 pool. */
class MysqlWarehouse implements Warehouse {
  readonly dialect = "mysql" as const;
  readonly sql = MYSQL_DIALECT;
  /** A server: the run store's live rows go to the warehouse itself, on their own pooled connection. */
  readonly liveChannel = "self" as const;
  readonly #pool: FailoverPool;
  /** Set inside a transaction: every call runs on this connection, and writes use savepoints. */
  readonly #transaction: TransactionState | undefined;
  readonly #options: MysqlWarehouseOptions;
  #ended = false;

  constructor(
    pool: FailoverPool,
    readonly label: string,
    options: MysqlWarehouseOptions,
    readonly traits: WarehouseTraits,
    transaction?: TransactionState,
  ) {
    this.#pool = pool;
    this.#options = options;
    this.#transaction = transaction;
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const [result] = await this.#runner().query(sql, params.length > 0 ? [...params] : undefined);
    return (result as Partial<ResultSetHeader>).affectedRows ?? 0;
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const [rows] = await this.#runner().query(sql, params.length > 0 ? [...params] : undefined);
    return rows as T[];
  }

  readQuery<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.query<T>(sql, params);
  }

  async upsert(
    table: string,
    columns: readonly string[],
    keyColumns: readonly string[],
    rows: readonly SqlValue[][],
  ): Promise<UpsertCounts> {
    checkColumns("upsert", table, columns, keyColumns);
    const statementStart = `INSERT INTO ${q(table)} (${columns.map(q).join(", ")}) VALUES `;
    // MariaDB rejects MySQL 8's `AS new` row alias; VALUES(col) works on both (deprecated on MySQL 8 only).
    const others = columns.filter((column) => !keyColumns.includes(column));
    const updates = (others.length > 0 ? others : keyColumns.slice(0, 1)).map((c) =>
      `${q(c)} = VALUES(${q(c)})`
    );
    const statementEnd = ` ON DUPLICATE KEY UPDATE ${updates.join(", ")}`;
    const upsertRows = async (connection: PoolConnection) => {
      const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
      const lists = new ValuesLists("upsert", table, columns);
      const apply = async (list: { sql: string; rowCount: number }) => {
        const [result] = await connection.query<ResultSetHeader>(statementStart + list.sql + statementEnd);
        const chunk = upsertCounts(list.rowCount, result);
        counts.inserted += chunk.inserted;
        counts.updated += chunk.updated;
        counts.unchanged += chunk.unchanged;
      };
      for (const row of rows) {
        const full = lists.add(row);
        if (full) await apply(full);
      }
      const rest = lists.flush();
      if (rest) await apply(rest);
      return counts;
    };
    try {
      return await this.#atomically(upsertRows);
    } catch (error) {
      throw writeError("upsert", table, error);
    }
  }

  async bulkInsert(
    table: string,
    columns: readonly string[],
    batches: RowBatches,
    options: BulkInsertOptions = {},
  ): Promise<number> {
    checkColumns("bulk insert", table, columns);
    const replace = options.replace ?? false;
    const chunkRows = this.#transaction ? undefined : this.#options.maxTransactionRows;
    try {
      if (chunkRows !== undefined) {
        // Bounded transactions: each chunk commits on its own, so no write set exceeds the limit.
        let loaded = 0;
        for await (const chunk of chunkedBatches(batches, chunkRows)) {
          loaded += await this.#atomically(async (connection) => {
            if (this.#options.loadData !== false) {
              const done = await loadData(connection, table, columns, chunk, replace);
              if (done !== undefined) return done;
            }
            return await insertBatches(connection, table, columns, chunk, replace);
          });
        }
        return loaded;
      }
      return await this.#atomically(async (connection) => {
        if (this.#options.loadData !== false) {
          const loaded = await loadData(connection, table, columns, batches, replace);
          if (loaded !== undefined) return loaded;
        }
        return await insertBatches(connection, table, columns, batches, replace);
      });
    } catch (error) {
      throw writeError("bulk insert", table, error);
    }
  }

  transaction<T>(fn: (tx: Warehouse) => Promise<T>): Promise<T> {
    return this.#atomically(async (connection) => {
      const state = this.#transaction ?? { connection, savepoints: 0 };
      const tx = new MysqlWarehouse(this.#pool, this.label, this.#options, this.traits, state);
      try {
        return await fn(tx);
      } finally {
        tx.#ended = true;
      }
    });
  }

  async close(): Promise<void> {
    if (this.#transaction) return;
    await this.#pool.end();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #runner(): Queryable {
    if (this.#ended) throw new Error(`Cannot use a transaction of "${this.label}" after it has ended`);
    return this.#transaction?.connection ?? this.#pool;
  }

  /** Runs `fn` on one connection in a transaction, or in a savepoint inside one: all its writes or none. */
  async #atomically<T>(fn: (connection: PoolConnection) => Promise<T>): Promise<T> {
    this.#runner();
    if (this.#transaction) {
      const { connection } = this.#transaction;
      const savepoint = `workbench_sp_${++this.#transaction.savepoints}`;
      await connection.query(`SAVEPOINT ${savepoint}`);
      try {
        const result = await fn(connection);
        await connection.query(`RELEASE SAVEPOINT ${savepoint}`);
        return result;
      } catch (error) {
        // If even this fails, the caller's transaction is broken and will roll back as a whole.
        await connection.query(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => {});
        throw error;
      }
    }
    const connection = await this.#pool.getConnection();
    let reusable = true;
    try {
      await connection.beginTransaction();
      const result = await fn(connection);
      await connection.commit();
      return result;
    } catch (error) {
      try {
        await connection.rollback();
      } catch {
        // The original error matters more; a connection that cannot roll back is not given back to the pool.
        reusable = false;
      }
      if (isHostDown(error)) this.#pool.renew();
      throw error;
    } finally {
      if (reusable) connection.release();
      else connection.destroy();
    }
  }
}

function q(name: string): string {
  return MYSQL_DIALECT.quote(name);
}

/**
 * Streams the rows with `LOAD DATA LOCAL INFILE`; resolves to the rows given, or `undefined` when the server
 * refuses LOAD DATA LOCAL before reading any row. Any warning (a duplicate key, a value that does not fit)
 * is an error: LOAD DATA LOCAL would otherwise skip or truncate silently.
 */
async function loadData(
  connection: PoolConnection,
  table: string,
  columns: readonly string[],
  batches: RowBatches,
  replace: boolean,
): Promise<number | undefined> {
  let started = false;
  let given = 0;
  // With REPLACE, affectedRows counts a replaced row twice: count the rows on their way instead.
  async function* counted() {
    for await (const batch of batches) {
      given += batch.length;
      yield batch;
    }
  }
  let result: ResultSetHeader;
  try {
    [result] = await connection.query<ResultSetHeader>({
      sql: loadDataSql(table, columns, replace),
      infileStreamFactory: () => {
        started = true;
        return loadDataStream(table, columns, counted());
      },
    });
  } catch (error) {
    const errno = (error as { errno?: number }).errno;
    if (!started && errno !== undefined && LOCAL_INFILE_DISABLED.has(errno)) return undefined;
    throw error;
  }
  if (result.warningStatus > 0) {
    const [warnings] = await connection.query<(mysql.RowDataPacket & { Level: string; Message: string })[]>(
      "SHOW WARNINGS",
    );
    const problems = warnings.filter((warning) => warning.Level !== "Note");
    if (problems.length > 0) {
      const count = result.warningStatus;
      throw new Error(
        `the server reported ${count} warning${count === 1 ? "" : "s"}, first: ${problems[0].Message}`,
      );
    }
  }
  return given;
}

/** Appends the rows with multi-row INSERTs (or REPLACEs), for servers without LOAD DATA LOCAL. */
async function insertBatches(
  connection: PoolConnection,
  table: string,
  columns: readonly string[],
  batches: RowBatches,
  replace: boolean,
): Promise<number> {
  const statementStart = `${replace ? "REPLACE" : "INSERT"} INTO ${q(table)} (${
    columns.map(q).join(", ")
  }) VALUES `;
  const lists = new ValuesLists("bulk insert", table, columns);
  let loaded = 0;
  const insert = async (list: { sql: string; rowCount: number }) => {
    await connection.query(statementStart + list.sql);
    loaded += list.rowCount;
  };
  for await (const batch of batches) {
    for (const row of batch) {
      const full = lists.add(row);
      if (full) await insert(full);
    }
  }
  const rest = lists.flush();
  if (rest) await insert(rest);
  return loaded;
}

/** The printable address of a location: `mysql://etl@127.0.0.1:3306/workbench` (all hosts of a list). */
function labelOf({ user, database }: MysqlLocation, hosts: readonly MysqlHost[]): string {
  const addresses = hosts.map(({ host, port }) => `${host.includes(":") ? `[${host}]` : host}:${port}`);
  return `mysql://${encodeURIComponent(user)}@${addresses.join(",")}/${encodeURIComponent(database)}`;
}

/** `SET SESSION` for the URL's session variables and UTC, run on every new connection. */
function sessionSql(variables: Record<string, string> | undefined): string {
  const settings = ["time_zone = '+00:00'"];
  for (const [name, value] of Object.entries(variables ?? {})) {
    // Names and values were checked by parseWarehouseUrl (letters, digits, _ . + -): words are quoted.
    settings.push(`${name} = ${/^-?\d+(\.\d+)?$/.test(value) ? value : `'${value}'`}`);
  }
  return `SET SESSION ${settings.join(", ")}`;
}

/**
 * Opens a pool on a MySQL or MariaDB server, creating the database first if it does not exist (with
 * `utf8mb4_bin`, so text compares and sorts as in SQLite). Sessions run in UTC; numbers (DECIMAL, SUM,
 * COUNT) come back as JS numbers and dates as strings. With several hosts, the first reachable one is used
 * and the next takes over when it fails; the URL's options set TLS, the connect timeout, session variables
 * and the transaction size of bulk loads.
 */
export async function openMysqlWarehouse(
  location: MysqlLocation,
  options: MysqlWarehouseOptions = {},
): Promise<Warehouse> {
  const urlOptions = location.options ?? {};
  const { poolSize = 4, connectTimeoutMs = urlOptions.connectTimeoutMs ?? 10_000 } = options;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new RangeError(
      `Cannot open MySQL warehouse: poolSize must be a positive integer (got ${poolSize})`,
    );
  }
  const { user, password, database } = location;
  const hosts: MysqlHost[] = location.hosts ?? [{ host: location.host, port: location.port }];
  const ssl = tlsOptions(urlOptions.sslMode, urlOptions.sslCa);
  const connectionOptions: PoolOptions = {
    user,
    password,
    connectTimeout: connectTimeoutMs,
    // Without FOUND_ROWS, affectedRows counts rows really changed: what upsert counts rely on.
    flags: ["-FOUND_ROWS"],
    decimalNumbers: true,
    supportBigNumbers: true,
    dateStrings: true,
    timezone: "Z",
    charset: "utf8mb4_bin",
    ...(ssl ? { ssl } : {}),
  };
  const setSession = sessionSql(urlOptions.sessionVariables);
  // The first host that answers creates the database (replicated to the others on a cluster).
  let limits: { wsrepOn: boolean; maxWsRows: number; maxWsSize: number } | undefined;
  let reached = false;
  let lastError: unknown;
  for (const { host, port } of hosts) {
    try {
      const bootstrap = await mysql.createConnection({ ...connectionOptions, host, port });
      try {
        await bootstrap.query(setSession);
        try {
          await bootstrap.query(
            `CREATE DATABASE IF NOT EXISTS ${q(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
          );
        } catch (error) {
          // A user without CREATE rights may still use an existing database: connecting to it will tell.
          if ((error as { code?: string }).code !== "ER_DBACCESS_DENIED_ERROR") throw error;
        }
        limits = await writeSetLimits(bootstrap);
      } finally {
        await bootstrap.end().catch(() => {});
      }
      reached = true;
      break;
    } catch (error) {
      lastError = error;
      if (ssl === undefined && await refusedForWantOfTls(error, { ...connectionOptions, host, port })) {
        throw requiresTlsError(host, port, error);
      }
      if (hosts.length === 1 || !isHostDown(error)) throw connectError(host, port, user, error);
    }
  }
  if (!reached) throw connectErrorForHosts(hosts, user, lastError);
  const pool = new FailoverPool(hosts, {
    ...connectionOptions,
    database,
    connectionLimit: poolSize,
    maxIdle: poolSize,
  }, {
    // The event hands over mysql2's callback connection; the SET is queued before any query of the caller.
    onConnection: (connection) => {
      (connection as { query(sql: string, done: () => void): void }).query(setSession, () => {});
    },
  });
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => {});
    throw connectErrorForHosts([pool.host], user, error);
  }
  const maxTransactionRows = serverTransactionRows(
    limits,
    options.maxTransactionRows ?? urlOptions.maxTransactionRows,
  );
  const loadData = options.loadData ?? urlOptions.loadData;
  return new MysqlWarehouse(pool, labelOf(location, hosts), { ...options, loadData, maxTransactionRows }, {
    cluster: limits?.wsrepOn ?? false,
    maxTransactionRows,
  });
}

/** The server's write-set limits: Galera's variables, or `undefined` on a server without them (MySQL). */
async function writeSetLimits(
  connection: mysql.Connection,
): Promise<{ wsrepOn: boolean; maxWsRows: number; maxWsSize: number } | undefined> {
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      "SELECT @@wsrep_on AS wsrep_on, @@wsrep_max_ws_rows AS max_rows, @@wsrep_max_ws_size AS max_size",
    );
    const row = rows[0];
    return {
      wsrepOn: Number(row.wsrep_on) === 1,
      maxWsRows: Number(row.max_rows),
      maxWsSize: Number(row.max_size),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether a plain connection failed because the server wants TLS: MySQL says so (3159); MariaDB says "access
 * denied", so the same login is tried once over TLS (certificate not checked: only to tell the cause).
 */
async function refusedForWantOfTls(error: unknown, options: PoolOptions): Promise<boolean> {
  const { errno, code } = (error ?? {}) as { errno?: number; code?: string };
  if (errno === SECURE_TRANSPORT_REQUIRED) return true;
  if (code !== "ER_ACCESS_DENIED_ERROR") return false;
  try {
    const probe = await mysql.createConnection({ ...options, ssl: { rejectUnauthorized: false } });
    await probe.end();
    return true;
  } catch {
    return false;
  }
}
