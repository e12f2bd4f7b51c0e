import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import type { SqlValue } from "../../warehouse/mod.ts";

const LINE_SEPARATORS = /[\u2028\u2029]/g;
const escapeSeparator = (char: string) => char === "\u2028" ? "\\u2028" : "\\u2029";

/** Options of {@linkcode RejectSpool}. */
export interface RejectSpoolOptions {
  /**
   * Rows held in memory before they are written to a temporary file.
   * @default 10_000
   */
  memoryRows?: number;
  /**
   * Rows per batch given back by {@linkcode RejectSpool.batches}.
   * @default 1000
   */
  batchSize?: number;
  /** Folder of the temporary file. @default the system's (`TMPDIR`) */
  dir?: string;
}

/**
 * Holds the reject rows of a load until they can be written to the run store (on SQLite nothing else can
 * write while the load's own transaction streams), spilling them to a temporary file as JSON lines past a
 * limit, so that a file where every row is bad costs disk, not memory.
 *
 * @example
 * ```ts
 * import type { WarehouseRunStore } from "../run_store.ts";
 * import { RejectSpool } from "./reject_spool.ts";
 *
 * declare const runStore: WarehouseRunStore, runId: string;
 * await using spool = new RejectSpool();
 * spool.add([runId, "users.csv", 7, "missing_key", "user_id", null, ",34,US"]);
 * await spool.spillIfFull(); // once per batch
 * for await (const batch of spool.batches()) await runStore.insertRejects([batch]);
 * ```
 */
export class RejectSpool implements AsyncDisposable {
  readonly #memoryRows: number;
  readonly #batchSize: number;
  readonly #dir: string | undefined;
  #rows: SqlValue[][] = [];
  #file: { path: string; handle: Deno.FsFile } | undefined;
  #count = 0;
  readonly #encoder = new TextEncoder();

  constructor(options: RejectSpoolOptions = {}) {
    const { memoryRows = 10_000, batchSize = 1000 } = options;
    if (!Number.isInteger(memoryRows) || memoryRows < 1) {
      throw new RangeError(`memoryRows must be a positive integer (got ${memoryRows})`);
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer (got ${batchSize})`);
    }
    this.#memoryRows = memoryRows;
    this.#batchSize = batchSize;
    this.#dir = options.dir;
  }

  /** Rows added so far. */
  get count(): number {
    return this.#count;
  }

  /** Adds one row (synchronous: cheap to call per record). */
  add(row: SqlValue[]): void {
    this.#rows.push(row);
    this.#count++;
  }

  /** Writes the rows held in memory to the temporary file when there are more than the limit. */
  async spillIfFull(): Promise<void> {
    if (this.#rows.length < this.#memoryRows) return;
    if (!this.#file) {
      const path = await Deno.makeTempFile({ prefix: "workbench_rejects_", suffix: ".jsonl", dir: this.#dir })
        .catch((error) => {
          throw new Error(
            `Cannot create a temporary file for rejects in ${this.#dir ?? tmpdir()} (set by TMPDIR): ${
              (error as Error).message
            }`,
            { cause: error },
          );
        });
      this.#file = { path, handle: await Deno.open(path, { write: true, append: true }) };
    }
    // JSON escapes \n and \r but not U+2028/U+2029, which readline also takes for line ends.
    const text = this.#rows.map((row) => JSON.stringify(row).replace(LINE_SEPARATORS, escapeSeparator))
      .join("\n") + "\n";
    this.#rows = [];
    const bytes = this.#encoder.encode(text);
    try {
      for (let written = 0; written < bytes.length;) {
        written += await this.#file.handle.write(bytes.subarray(written));
      }
    } catch (error) {
      // A full disk here is the temporary folder's, not the input's or the warehouse's: say which file.
      throw new Error(
        `Cannot spill rejects to the temporary file "${this.#file.path}" (in ${
          dirname(this.#file.path)
        }, set by TMPDIR): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Every row added, in order, in batches. */
  async *batches(): AsyncGenerator<SqlValue[][]> {
    let batch: SqlValue[][] = [];
    if (this.#file) {
      const lines = createInterface({ input: createReadStream(this.#file.path), crlfDelay: Infinity });
      for await (const line of lines) {
        batch.push(JSON.parse(line));
        if (batch.length === this.#batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    for (const row of this.#rows) {
      batch.push(row);
      if (batch.length === this.#batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Removes the temporary file. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#file) return;
    const { path, handle } = this.#file;
    this.#file = undefined;
    handle.close();
    await Deno.remove(path).catch(() => {});
  }
}
