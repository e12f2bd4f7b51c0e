/** The warehouse interface every adapter implements (SQLite and MySQL/MariaDB). */

import type { ColumnType, IndexSpec, TableSpec } from "./table_spec.ts";

/** The SQL engine behind a warehouse. */
export type Dialect = "mysql" | "sqlite";

/**
 * What differs between engines, as SQL text and error tests: each adapter has one
 * (`lib/warehouse/mysql/dialect.ts`, `lib/warehouse/sqlite/dialect.ts`), and code above the adapters asks it
 * instead of testing the engine's name. A new engine is a new folder with a dialect and a warehouse.
 */
export interface SqlDialect {
  readonly name: Dialect;
  /** One table or column name, quoted (a dot is part of the name). */
  quote(name: string): string;
  /** `CREATE TABLE IF NOT EXISTS` with its primary key, then whatever creates its secondary indexes. */
  createTable(table: TableSpec): string[];
  /** Whether {@linkcode SqlDialect.createTable}'s statements also create indexes missing on an existing table. */
  readonly createTableAddsMissingIndexes: boolean;
  createIndex(table: string, index: IndexSpec): string;
  dropIndex(table: string, index: string): string;
  /** A query giving `{ name }` for each index of the table bound to its one `?`. */
  readonly indexNamesSql: string;
  dropTable(table: string): string;
  /** Empties a table as fast as the engine can. */
  truncate(table: string): string;
  /**
   * Statements making a connection-local temporary table from a SELECT (its columns given in `columns`
   * order), indexed on `keys`. Where the engine needs it (MySQL: Galera refuses keyless tables and
   * `CREATE ... AS SELECT`), the table is declared with `columns` and a primary key, then filled by
   * `INSERT ... SELECT`; elsewhere `columns` may be ignored.
   */
  createTempTableAs(
    name: string,
    keys: readonly string[],
    select: string,
    columns: readonly TempColumn[],
  ): TempTableStatements;
  /**
   * A query giving `{ name, type, nullable }` for each column of the table bound to its one `?`, in table
   * order (`type` in the engine's own words), when {@linkcode SqlDialect.createTempTableAs} needs declared
   * columns; `undefined` when it does not.
   */
  readonly columnTypesSql?: string;
  dropTempTable(name: string): string;
  /**
   * The statement that refreshes the optimizer's statistics of tables just loaded, or `undefined` where the
   * engine plans well without (SQLite keeps its plans as they were).
   */
  analyze(tables: readonly string[]): string | undefined;
  /**
   * Clusters only: a query giving `{ engine }`, a storage engine whose writes the cluster does not replicate
   * (for staging tables that only the loading connection reads), or `engine: null` when none may be used
   * (the cluster replicates or refuses them). `undefined` where every table is replicated or local anyway.
   */
  readonly unreplicatedEngineSql?: string;
  /** Clusters only: a query giving `{ node }`, which server of the cluster the connection is on. */
  readonly nodeIdentitySql?: string;
  /** {@linkcode SqlDialect.createTable}'s table statement for `table` in another storage engine, without indexes. */
  createTableInEngine?(table: TableSpec, engine: string): string;
  /** `expr` cast to a floating-point number, for shares and averages. */
  real(expr: string): string;
  /**
   * The clause that turns `INSERT INTO table (columns) SELECT ... WHERE true` into an upsert: on a key
   * conflict it updates the other columns (where the engine can tell, only when a value differs).
   */
  upsertClause(table: string, columns: readonly string[], keys: readonly string[]): string;
  /** How many rows an upsert updated, from the rows it reported changed and the rows it added. */
  updatedRows(changed: number, inserted: number): number;
  /**
   * Catalog queries, for tools that show the schema. `tablesSql` gives `{ name }` per base table, sorted;
   * `columnsSql` (table bound to `?`) gives `{ name, type, nullable (0/1), pk (position in the primary key,
   * 0 if not in it), k (the engine's key flag or ""), dflt, extra }` in column order; `indexColumnsSql`
   * (table bound to `?`) gives `{ name, col }` per column of each secondary index, in order; `databaseSql`
   * gives `{ db }`: the database's name or file.
   */
  readonly catalog: {
    readonly tablesSql: string;
    readonly columnsSql: string;
    readonly indexColumnsSql: string;
    readonly databaseSql: string;
  };
  /** Whether the error says a table does not exist (e.g. before the first run). */
  isMissingTable(error: unknown): boolean;
  /** Whether the error (or a cause) is one a retry may cure: a lost connection, a deadlock, a busy lock. */
  isTransient(error: unknown): boolean;
}

/** A column of a temporary table: a portable type, or the engine's own type text (as a table declares it). */
export interface TempColumn {
  name: string;
  type: ColumnType | string;
  nullable?: boolean;
}

/** What {@linkcode SqlDialect.createTempTableAs} gives: run `statements` in order; the SELECT's parameters bind to `statements[fill]`. */
export interface TempTableStatements {
  statements: string[];
  fill: number;
}

/** A value bound to a `?` placeholder or stored in a row: numbers, text (dates as text) or NULL. */
export type SqlValue = string | number | null;

/** What an upsert did, row by row: every input row is counted exactly once. */
export interface UpsertCounts {
  /** Rows whose key was new. */
  inserted: number;
  /** Rows whose key existed and whose other columns changed something. */
  updated: number;
  /** Rows whose key existed with the very same values. */
  unchanged: number;
}

/** Batches of rows for {@linkcode Warehouse.bulkInsert}, synchronous or arriving over time. */
export type RowBatches = AsyncIterable<readonly SqlValue[][]> | Iterable<readonly SqlValue[][]>;

/** Options of {@linkcode Warehouse.bulkInsert}. */
export interface BulkInsertOptions {
  /**
   * Replace a row whose key is already stored, or given earlier in the batches, instead of failing: rows are
   * applied in order, so the last row of a key wins (MySQL `REPLACE`, SQLite `INSERT OR REPLACE`).
   * @default false
   */
  replace?: boolean;
}

/** What the server behind a warehouse is like, where it matters to how data is loaded. */
export interface WarehouseTraits {
  /**
   * A synchronously replicated cluster (Galera): DDL is total-order and stalls every node, so loads keep
   * their indexes, and `ANALYZE TABLE` follows big loads.
   */
  cluster: boolean;
  /** Rows per committed chunk of a bulk load, when the server or the URL bounds transactions. */
  maxTransactionRows?: number;
}

/**
 * Where a run's live channel (the lease, its heartbeat, the live counters) is written, so that another
 * thread or process can write and read it while a load holds the warehouse: `"self"`, the warehouse itself
 * (a server, whose connections do not block one another); a sidecar database beside it (an engine with one
 * writer per file, whose load transaction would hold back every heartbeat); or `null` when nothing outside
 * this connection can reach it (an in-memory database).
 */
export type LiveChannel = "self" | { sidecarUrl: string } | null;

/**
 * A relational warehouse: one statement at a time, upserts, bulk appends and transactions, with the same
 * results on every engine. Numbers come back as JS numbers (SUM and DECIMAL included), dates as strings.
 *
 * @example
 * ```ts
 * import { openWarehouse } from "./mod.ts";
 *
 * await using wh = await openWarehouse("sqlite::memory:");
 * await wh.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER)");
 * await wh.upsert("t", ["id", "n"], ["id"], [["a", 1], ["b", 2]]); // { inserted: 2, updated: 0, unchanged: 0 }
 * const [{ total }] = await wh.query<{ total: number }>("SELECT SUM(n) AS total FROM t");
 * ```
 */
export interface Warehouse extends AsyncDisposable {
  /** The engine's name. */
  readonly dialect: Dialect;
  /** The engine's SQL differences: use it instead of testing {@linkcode Warehouse.dialect}. */
  readonly sql: SqlDialect;
  /** Where it points, safe to print (no password): "sqlite:.workbench/warehouse.db", "mysql://etl@127.0.0.1:3306/workbench". */
  readonly label: string;
  /** What the server is like (a cluster, bounded transactions: SQLite bounds its loads to let other writers in). */
  readonly traits?: WarehouseTraits;
  /** Where the run store's live channel goes; see {@linkcode LiveChannel}. @default null */
  readonly liveChannel?: LiveChannel;
  /**
   * Runs one statement; resolves to the number of rows changed (MySQL: affected rows without FOUND_ROWS).
   * One difference remains: SQLite counts every row an UPDATE matched, even one set to its current values.
   */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs one query and returns its rows as objects keyed by column name. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Runs one read-only query that may run beside other callers' statements, seeing what is committed: for a
   * long aggregation whose few result rows are all it needs. SQLite runs it on a second, read-only
   * connection in a worker thread (the one connection would otherwise make every other node wait, and the
   * thread answer nothing); MySQL on a pooled connection, as {@linkcode Warehouse.query}. Inside a
   * transaction it is `query`, so that it sees the transaction's writes.
   */
  readQuery<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Multi-row upsert in chunks: insert, or on a key conflict update the other columns; rows applied in order,
   * so the last row wins for a repeated key. Counts unchanged rows separately (an upsert that changes
   * nothing is not "updated"). `keyColumns` must be a primary or unique key of the table. All or nothing.
   */
  upsert(
    table: string,
    columns: readonly string[],
    keyColumns: readonly string[],
    rows: readonly SqlValue[][],
  ): Promise<UpsertCounts>;
  /**
   * Fastest plain append of many rows into a table (no conflict handling: a repeated key is an error, unless
   * `replace`). Accepts batches as they arrive so memory stays bounded. All or nothing. Returns the rows
   * given.
   */
  bulkInsert(
    table: string,
    columns: readonly string[],
    batches: RowBatches,
    options?: BulkInsertOptions,
  ): Promise<number>;
  /**
   * Runs fn in one transaction on one connection (commit, or roll back and rethrow). Inside, use `tx` only
   * and await its calls one at a time; a nested `tx.transaction()` is a savepoint. (Calling the outer
   * warehouse inside would wait forever on SQLite, whose one connection the transaction holds.)
   */
  transaction<T>(fn: (tx: Warehouse) => Promise<T>): Promise<T>;
  /** Closes the connections; a transaction's `tx.close()` does nothing (its owner closes). */
  close(): Promise<void>;
}
