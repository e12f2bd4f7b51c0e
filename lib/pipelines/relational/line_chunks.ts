import type { RowBatches, SqlValue } from "../../warehouse/mod.ts";

/** One chunk of {@linkcode lineChunks}: its batches, its row count and the input line of its last row. */
export interface LineChunk {
  batches: SqlValue[][][];
  rows: number;
  lastLine: number;
}

/**
 * Regroups batches of rows whose first value is their line in the input file into chunks of at most
 * `maxRows` rows (one committed transaction each), telling the line of each chunk's last row, so that a load
 * can record where the next chunk starts. Reads ahead at most one batch.
 */
export async function* lineChunks(batches: RowBatches, maxRows: number): AsyncGenerator<LineChunk> {
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new RangeError(`Rows per chunk must be a positive integer (got ${maxRows})`);
  }
  let chunk: SqlValue[][][] = [];
  let rows = 0;
  let lastLine = 0;
  for await (const batch of batches) {
    let start = 0;
    while (start < batch.length) {
      const take = Math.min(batch.length - start, maxRows - rows);
      const part = batch.slice(start, start + take) as SqlValue[][];
      chunk.push(part);
      lastLine = Number(part[part.length - 1][0]);
      rows += take;
      start += take;
      if (rows === maxRows) {
        yield { batches: chunk, rows, lastLine };
        chunk = [];
        rows = 0;
      }
    }
  }
  if (rows > 0) yield { batches: chunk, rows, lastLine };
}
