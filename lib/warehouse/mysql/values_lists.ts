import { escape } from "mysql2/promise";
import { checkRow, type WriteAction } from "../_check_rows.ts";
import type { SqlValue } from "../types.ts";

/** A ready `VALUES` list: `(1, 'a'), (2, 'b')` and how many rows it holds. */
export interface ValuesList {
  sql: string;
  rowCount: number;
}

/** Limits of {@linkcode ValuesLists}. */
export interface ValuesListsOptions {
  /** Most rows in one list. @default 2000 */
  maxRows?: number;
  /** A list is closed once it reaches this many characters, well under `max_allowed_packet` (16 MB by default). @default 2_000_000 */
  maxChars?: number;
}

/**
 * Groups rows into escaped multi-row `VALUES` lists sized to stay under the server's packet limit, checking
 * each row on the way.
 *
 * @example
 * ```ts
 * import type { Connection } from "mysql2/promise";
 * import type { SqlValue } from "../mod.ts";
 * import { ValuesLists } from "./mod.ts";
 *
 * declare const conn: Connection, rows: SqlValue[][];
 * const lists = new ValuesLists("upsert", "t", ["id", "n"]);
 * for (const row of rows) {
 *   const full = lists.add(row);
 *   if (full) await conn.query(`INSERT INTO t (id, n) VALUES ${full.sql}`);
 * }
 * const rest = lists.flush();
 * ```
 */
export class ValuesLists {
  readonly #maxRows: number;
  readonly #maxChars: number;
  #tuples: string[] = [];
  #chars = 0;
  #rowsSeen = 0;

  constructor(
    readonly action: WriteAction,
    readonly table: string,
    readonly columns: readonly string[],
    options: ValuesListsOptions = {},
  ) {
    const { maxRows = 2000, maxChars = 2_000_000 } = options;
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`maxRows must be a positive integer`);
    if (!(maxChars > 0)) throw new RangeError(`maxChars must be positive`);
    this.#maxRows = maxRows;
    this.#maxChars = maxChars;
  }

  /** Adds one row; returns the list when this row filled it. */
  add(row: readonly SqlValue[]): ValuesList | undefined {
    checkRow(this.action, this.table, this.columns, row, ++this.#rowsSeen);
    const tuple = `(${row.map((value) => escape(value)).join(",")})`;
    this.#tuples.push(tuple);
    this.#chars += tuple.length + 1;
    if (this.#tuples.length >= this.#maxRows || this.#chars >= this.#maxChars) return this.flush();
    return undefined;
  }

  /** Returns the rows added since the last full list, if any, and starts a new list. */
  flush(): ValuesList | undefined {
    if (this.#tuples.length === 0) return undefined;
    const list = { sql: this.#tuples.join(","), rowCount: this.#tuples.length };
    this.#tuples = [];
    this.#chars = 0;
    return list;
  }
}
