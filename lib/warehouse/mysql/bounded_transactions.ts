/**
 * Bounded transactions: a bulk load cut into chunks of at most N rows, each committed on its own, for
 * servers that limit a transaction's size (Galera's `wsrep_max_ws_rows` and `wsrep_max_ws_size`, managed
 * services).
 *
 * @module
 */
import type { RowBatches, SqlValue } from "../types.ts";

/** Row size assumed when turning `wsrep_max_ws_size` (bytes) into rows: generous for the workbench's tables. */
export const ASSUMED_ROW_BYTES = 1024;

/** What a server reports about its write-set limits (0: no limit). */
export interface WriteSetLimits {
  wsrepOn: boolean;
  maxWsRows: number;
  maxWsSize: number;
}

/**
 * Rows per committed chunk: the smaller of the option and half of what the server allows (a row may count
 * twice, e.g. an upsert that updates), or `undefined` for one transaction.
 *
 * @example
 * ```ts
 * serverTransactionRows({ wsrepOn: true, maxWsRows: 50_000, maxWsSize: 2 ** 31 - 1 }, undefined); // 25000
 * ```
 */
export function serverTransactionRows(
  limits: WriteSetLimits | undefined,
  option: number | undefined,
): number | undefined {
  const bounds: number[] = option !== undefined ? [option] : [];
  if (limits?.wsrepOn) {
    if (limits.maxWsRows > 0) bounds.push(Math.floor(limits.maxWsRows / 2));
    if (limits.maxWsSize > 0) bounds.push(Math.floor(limits.maxWsSize / ASSUMED_ROW_BYTES / 2));
  }
  if (bounds.length === 0) return undefined;
  return Math.max(1, Math.min(...bounds));
}

/**
 * Regroups batches into chunks of at most `maxRows` rows, each an iterable of batches for one transaction,
 * without reading ahead more than one batch: memory stays bounded by the batch size.
 */
export async function* chunkedBatches(
  batches: RowBatches,
  maxRows: number,
): AsyncGenerator<readonly SqlValue[][][]> {
  let chunk: SqlValue[][][] = [];
  let rows = 0;
  for await (const batch of batches) {
    let start = 0;
    while (start < batch.length) {
      const take = Math.min(batch.length - start, maxRows - rows);
      chunk.push(batch.slice(start, start + take) as SqlValue[][]);
      rows += take;
      start += take;
      if (rows === maxRows) {
        yield chunk;
        chunk = [];
        rows = 0;
      }
    }
  }
  if (rows > 0) yield chunk;
}
