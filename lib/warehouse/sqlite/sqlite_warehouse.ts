import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { checkColumns, checkRow } from "../_check_rows.ts";
import { writeError } from "../_write_error.ts";
import type {
  BulkInsertOptions,
  LiveChannel,
  RowBatches,
  SqlValue,
  UpsertCounts,
  Warehouse,
  WarehouseTraits,
} from "../types.ts";
import { SQLITE_DIALECT } from "./dialect.ts";
import { yieldToEventLoop } from "./_yield_to_event_loop.ts";
import { Mutex } from "./_mutex.ts";
import { sqliteCountKeysSql, sqliteInsertSql, sqliteUpsertSql } from "./upsert_sql.ts";

/** SQLite's limit on bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const MAX_PARAMETERS = 32_766;
/**
 * Read workers (each a connection of its own, for `readQuery`): two, so that two long aggregation scans
 * (e.g. the cubes of `generate_stats` and `cross_store_stats`) run side by side on two cores instead of one
 * after the other, while the main connection goes on.
 */
const READ_WORKERS = 2;
/** Rows per multi-row statement: more saves little and makes statements long to prepare. */
const MAX_ROWS_PER_STATEMENT = 500;

/** Options of {@linkcode openSqliteWarehouse}. */
export interface SqliteWarehouseOptions {
  /** Printed name of the database, e.g. `sqlite:.workbench/warehouse.db`. @default `sqlite:<path>` */
  label?: string;
  /** How many prepared statements to keep for reuse, least recently used dropped first. @default 256 */
  statementCacheSize?: number;
}

/** The one connection and its state, shared by a warehouse and the transactions it opens. */
class SqliteConnection {
  readonly mutex = new Mutex();
  #statements = new Map<string, StatementSync>();
  #savepoints = 0;

  #readers: { worker: Worker; inFlight: number }[] = [];
  #pending = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();
  #nextRead = 0;

  /** `path`: the database file, or `:memory:` (then reads run on this connection). */
  constructor(readonly db: DatabaseSync, readonly cacheSize: number, readonly path: string) {}

  /** Whether a read worker is free, or one more can be started. */
  get readerFree(): boolean {
    return this.#readers.length < READ_WORKERS || this.#readers.some((r) => r.inFlight === 0);
  }

  /**
   * Runs a read-only query on a worker's own connection: a free one, else a new one (up to
   * {@linkcode READ_WORKERS}), else the one with the fewest reads queued.
   */
  read(sql: string, params: SQLInputValue[]): Promise<unknown[]> {
    let reader = this.#readers.find((r) => r.inFlight === 0);
    if (!reader && this.#readers.length < READ_WORKERS) {
      const worker = new Worker(new URL("./_read_worker.ts", import.meta.url), { type: "module" });
      const started = { worker, inFlight: 0 };
      worker.onmessage = (event) => {
        const { id, rows, error } = event.data;
        const pending = this.#pending.get(id)!;
        this.#pending.delete(id);
        started.inFlight--;
        if (error) pending.reject(Object.assign(new Error(error.message), { code: error.code }));
        else pending.resolve(rows);
      };
      this.#readers.push(started);
      reader = started;
    }
    reader ??= this.#readers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const chosen = reader;
    const id = ++this.#nextRead;
    chosen.inFlight++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      chosen.worker.postMessage({ id, path: this.path, sql, params });
    });
  }

  /**
   * Stops the read workers, each closing its connection first (at most 2 s each, then it is terminated);
   * reads still waiting fail.
   */
  async stopReader(): Promise<void> {
    const readers = this.#readers;
    this.#readers = [];
    for (const { reject } of this.#pending.values()) reject(new Error("The warehouse was closed"));
    this.#pending.clear();
    await Promise.all(readers.map(({ worker }) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        worker.onmessage = (event) => {
          if (!event.data?.closed) return;
          clearTimeout(timer);
          resolve();
        };
        worker.postMessage({ close: true });
      }).finally(() => worker.terminate())
    ));
  }

  /** A prepared statement for `sql`, reused while it stays among the most recently used. */
  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement) {
      this.#statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.#statements.size >= this.cacheSize) {
        this.#statements.delete(this.#statements.keys().next().value!);
      }
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  nextSavepoint(): string {
    return `workbench_sp_${++this.#savepoints}`;
  }
}

/** node:sqlite binds every JS number as REAL; integers go as BigInt so a TEXT column stores "3", not "3.0". */
function toParameter(value: SqlValue): SQLInputValue {
  return typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
}

function toParameters(values: readonly SqlValue[]): SQLInputValue[] {
  return values.map(toParameter);
}

/** Rows per committed chunk of a bulk load (see `SqliteWarehouse.traits`). */
const LOAD_CHUNK_ROWS = 50_000;

/**
 * A warehouse in one SQLite database on `node:sqlite`. Calls are synchronous underneath and run one at a
 * time: a transaction or bulk insert in progress makes other callers wait.
 */
class SqliteWarehouse implements Warehouse {
  readonly dialect = "sqlite" as const;
  readonly sql = SQLITE_DIALECT;
  readonly label: string;
  /**
   * Bulk loads commit every {@linkcode LOAD_CHUNK_ROWS} rows: SQLite has one writer per file, and a load in
   * one transaction would hold back every other node's writes until it ends (the document branch's few
   * hundred rows waited a whole sessions load); the mutex is FIFO, so they get in between two chunks. The
   * chunks' progress records also let a killed load go on from the last one (`--resume`).
   */
  readonly traits: WarehouseTraits = { cluster: false, maxTransactionRows: LOAD_CHUNK_ROWS };
  readonly #connection: SqliteConnection;
  /** Inside a transaction: calls skip the mutex (the transaction holds it) and writes use savepoints. */
  readonly #inTransaction: boolean;
  #ended = false;

  /** Use {@linkcode openSqliteWarehouse}. */
  constructor(connection: SqliteConnection, label: string, inTransaction: boolean) {
    this.#connection = connection;
    this.label = label;
    this.#inTransaction = inTransaction;
  }

  /** A sidecar file beside the database (`warehouse.db` -> `warehouse.live.db`); none for `:memory:`. */
  get liveChannel(): LiveChannel {
    const path = this.#connection.path;
    if (path === ":memory:") return null;
    return {
      sidecarUrl: `sqlite:${/\.db$/.test(path) ? path.replace(/\.db$/, ".live.db") : `${path}.live.db`}`,
    };
  }

  execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.#exclusive(() =>
      Number(this.#connection.statement(sql).run(...toParameters(params)).changes)
    );
  }

  query<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    // Plain objects, as MySQL returns, so rows compare equal across engines.
    return this.#exclusive(() =>
      this.#connection.statement(sql).all(...toParameters(params)).map((row) => ({ ...row }) as T)
    );
  }

  readQuery<T = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    if (this.#inTransaction || this.#connection.path === ":memory:") return this.query<T>(sql, params);
    if (this.#ended) {
      return Promise.reject(new Error(`Cannot use a transaction of "${this.label}" after it has ended`));
    }
    // Each worker runs one read at a time: when all are busy and the main connection is free, read here.
    if (!this.#connection.readerFree && this.#connection.mutex.pending === 0) {
      return this.query<T>(sql, params);
    }
    return this.#connection.read(sql, toParameters(params)) as Promise<T[]>;
  }

  async upsert(
    table: string,
    columns: readonly string[],
    keyColumns: readonly string[],
    rows: readonly SqlValue[][],
  ): Promise<UpsertCounts> {
    checkColumns("upsert", table, columns, keyColumns);
    try {
      return await this.#exclusive(() =>
        this.#atomically(() => Promise.resolve(this.#upsertRows(table, columns, keyColumns, rows)))
      );
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
    try {
      return await this.#exclusive(() =>
        this.#atomically(() => this.#insertBatches(table, columns, batches, options.replace ?? false))
      );
    } catch (error) {
      throw writeError("bulk insert", table, error);
    }
  }

  transaction<T>(fn: (tx: Warehouse) => Promise<T>): Promise<T> {
    return this.#exclusive(() =>
      this.#atomically(async () => {
        const tx = new SqliteWarehouse(this.#connection, this.label, true);
        try {
          return await fn(tx);
        } finally {
          tx.#ended = true;
        }
      })
    );
  }

  close(): Promise<void> {
    if (this.#inTransaction) return Promise.resolve();
    return this.#connection.mutex.run(async () => {
      await this.#connection.stopReader();
      if (this.#connection.db.isOpen) this.#connection.db.close();
    });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Runs `fn` alone on the connection: after pending calls, or at once inside a transaction. */
  #exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.#ended) {
      return Promise.reject(new Error(`Cannot use a transaction of "${this.label}" after it has ended`));
    }
    const yieldingFn = async () => {
      await yieldToEventLoop();
      return await fn();
    };
    if (this.#inTransaction) return yieldingFn();
    return this.#connection.mutex.run(yieldingFn);
  }

  /** Runs `fn` in a transaction, or a savepoint inside one: all its writes or none. */
  async #atomically<T>(fn: () => Promise<T>): Promise<T> {
    const run = (sql: string) => this.#connection.statement(sql).run();
    const savepoint = this.#inTransaction ? this.#connection.nextSavepoint() : undefined;
    run(savepoint ? `SAVEPOINT ${savepoint}` : "BEGIN IMMEDIATE");
    try {
      const result = await fn();
      run(savepoint ? `RELEASE ${savepoint}` : "COMMIT");
      return result;
    } catch (error) {
      // SQLite may have rolled back already (e.g. on a full disk): then there is nothing left to undo.
      if (this.#connection.db.isTransaction) {
        if (savepoint) {
          run(`ROLLBACK TO ${savepoint}`);
          run(`RELEASE ${savepoint}`);
        } else {
          run("ROLLBACK");
        }
      }
      throw error;
    }
  }

  /**
   * Upserts chunk by chunk. Per chunk, `changes()` = inserted + updated, and inserted = distinct new keys
   * (counted before the statement), so unchanged rows are what remains.
   */
  #upsertRows(
    table: string,
    columns: readonly string[],
    keyColumns: readonly string[],
    rows: readonly SqlValue[][],
  ): UpsertCounts {
    const chunkSize = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length));
    const keyIndexes = keyColumns.map((key) => columns.indexOf(key));
    const countKeys = this.#connection.statement(sqliteCountKeysSql(table, keyColumns, chunkSize));
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < rows.length; start += chunkSize) {
      const chunk = rows.slice(start, start + chunkSize);
      const distinctKeys = new Map<string, SqlValue[]>();
      // A NULL in a key never conflicts: such a row is always inserted.
      let nullKeyRows = 0;
      chunk.forEach((row, i) => {
        checkRow("upsert", table, columns, row, start + i + 1);
        const key = keyIndexes.map((index) => row[index]);
        if (key.includes(null)) nullKeyRows++;
        // As text, so 1 and "1" count as one key, as they do in a column with affinity.
        else distinctKeys.set(JSON.stringify(key.map(String)), key);
      });
      let existing = 0;
      if (distinctKeys.size > 0) {
        const keys = [...distinctKeys.values()];
        // Padding with the first key keeps one cached statement per chunk size.
        while (keys.length < chunkSize) keys.push(keys[0]);
        existing = Number((countKeys.get(...toParameters(keys.flat())) as { n: number }).n);
      }
      const statement = this.#connection.statement(sqliteUpsertSql(table, columns, keyColumns, chunk.length));
      const changes = Number(statement.run(...toParameters(chunk.flat())).changes);
      const chunkInserted = distinctKeys.size - existing + nullKeyRows;
      inserted += chunkInserted;
      updated += changes - chunkInserted;
    }
    return { inserted, updated, unchanged: rows.length - inserted - updated };
  }

  /** Appends rows with one cached multi-row INSERT, flushing whenever a full statement's worth is queued. */
  async #insertBatches(
    table: string,
    columns: readonly string[],
    batches: RowBatches,
    replace: boolean,
  ): Promise<number> {
    const chunkSize = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length));
    const insertChunk = this.#connection.statement(sqliteInsertSql(table, columns, chunkSize, replace));
    let pending: SQLInputValue[] = [];
    let pendingRows = 0;
    let loaded = 0;
    for await (const batch of batches) {
      for (const row of batch) {
        checkRow("bulk insert", table, columns, row, loaded + pendingRows + 1);
        for (const value of row) pending.push(toParameter(value));
        if (++pendingRows === chunkSize) {
          insertChunk.run(...pending);
          loaded += pendingRows;
          pending = [];
          pendingRows = 0;
        }
      }
    }
    if (pendingRows > 0) {
      this.#connection.statement(sqliteInsertSql(table, columns, pendingRows, replace)).run(...pending);
      loaded += pendingRows;
    }
    return loaded;
  }
}

/**
 * Opens (creating it and its parent folders if needed) a SQLite warehouse at `path`, relative to the working
 * directory, or `:memory:` for a private in-memory one; in WAL mode with `synchronous=NORMAL`, a 2 MiB page
 * cache, two sorter threads and foreign keys on.
 */
// deno-lint-ignore require-await -- async so that every failure is a rejection
export async function openSqliteWarehouse(
  path: string,
  options: SqliteWarehouseOptions = {},
): Promise<Warehouse> {
  const { label = `sqlite:${path}`, statementCacheSize = 256 } = options;
  if (!Number.isInteger(statementCacheSize) || statementCacheSize < 1) {
    throw new RangeError(
      `Cannot open SQLite warehouse "${path}": statementCacheSize must be a positive integer`,
    );
  }
  let db: DatabaseSync | undefined;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
    // SQLite's own 2 MiB page cache: at scale 10 a 32 MiB one was no faster (the load, the covering index
    // and user_metrics took the same time or longer) and made the peak RSS 90 MiB higher. Two helper threads
    // for the sorts: the covering index built after the load took 7.2 s without them, 5.1 s with them.
    db.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; " +
        "PRAGMA cache_size = -2000; PRAGMA threads = 2",
    );
  } catch (error) {
    db?.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot open SQLite warehouse "${path}": ${reason}`, { cause: error });
  }
  return new SqliteWarehouse(new SqliteConnection(db, statementCacheSize, path), label, false);
}
