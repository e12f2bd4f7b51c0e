import type { SqlValue } from "../../warehouse/mod.ts";

/**
 * Collects the values a load stored as NULL (or a default) instead of what the file said, for
 * `etl_coercions`: every one is counted per field, the first `perField` of each field are kept with their
 * line, original value and what was stored, so that a file where every row is coerced costs bounded memory.
 *
 * @example
 * ```ts
 * import { CoercionLog } from "./coercion_log.ts";
 *
 * const log = new CoercionLog("r1", "users.csv");
 * log.add(17, "age", "abc", null);
 * log.counts; // { age: 1 }
 * ```
 */
export class CoercionLog {
  readonly #runId: string;
  readonly #file: string;
  readonly #perField: number;
  readonly #rows: SqlValue[][] = [];
  /** Values coerced per field, all of them (not only those kept). */
  readonly counts: Record<string, number> = {};

  /** `perField`: rows kept per field. @default 1000 */
  constructor(runId: string, file: string, perField = 1000) {
    if (!Number.isInteger(perField) || perField < 0) {
      throw new RangeError(`perField must be a non-negative integer (got ${perField})`);
    }
    this.#runId = runId;
    this.#file = file;
    this.#perField = perField;
  }

  /** Records that `field` on `line` held `value` and `stored` was stored instead. */
  add(line: number, field: string, value: string | null | undefined, stored: unknown): void {
    const n = (this.counts[field] = (this.counts[field] ?? 0) + 1);
    if (n > this.#perField) return;
    this.#rows.push([
      this.#runId,
      this.#file,
      line,
      field,
      value ?? null,
      stored === null || stored === undefined ? null : String(stored),
    ]);
  }

  /** The rows kept, for `etl_coercions`. */
  get rows(): readonly SqlValue[][] {
    return this.#rows;
  }

  /** The rows kept (`[run_id, file, line, field, value, stored]`), in batches of `size`, for the run store. */
  *batches(size = 1000): Generator<SqlValue[][]> {
    for (let i = 0; i < this.#rows.length; i += size) yield this.#rows.slice(i, i + size);
  }
}
