import type { RowBatches, SqlValue } from "../../warehouse/mod.ts";

/** One chunk of {@linkcode lineChunks}: its rows as they are read, then its row count and last line. */
export interface LineChunk {
  /** The chunk's rows, in batches, read from the input as they are asked for: read it to the end. */
  batches: AsyncGenerator<SqlValue[][]>;
  /** Rows of the chunk read so far (all of them once `batches` is done). */
  readonly rows: number;
  /** The input line of the last row read so far. */
  readonly lastLine: number;
}

/**
 * Regroups batches of rows whose first value is their line in the input file into chunks of at most
 * `maxRows` rows (one committed transaction each), telling the line of each chunk's last row, so that a load
 * can record where the next chunk starts. A chunk streams: its rows are read as it is written, never held
 * together (a chunk of 50,000 rows would otherwise wait in memory, and the reading with it). Each chunk must
 * be read to the end before the next one is asked for; there is no empty chunk.
 */
export async function* lineChunks(batches: RowBatches, maxRows: number): AsyncGenerator<LineChunk> {
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new RangeError(`Rows per chunk must be a positive integer (got ${maxRows})`);
  }
  const input = (async function* () {
    yield* batches;
  })();
  /** The rows of a batch that did not fit in the chunk before. */
  let carry: SqlValue[][] | undefined;
  let ended = false;
  const next = async (): Promise<SqlValue[][] | undefined> => {
    if (carry) {
      const rows = carry;
      carry = undefined;
      return rows;
    }
    while (!ended) {
      const read = await input.next();
      if (read.done) ended = true;
      else if (read.value.length > 0) return read.value as SqlValue[][];
    }
    return undefined;
  };
  for (let first = await next(); first !== undefined; first = await next()) {
    let rows = 0;
    let lastLine = 0;
    let finished = false;
    let pending: SqlValue[][] | undefined = first;
    const chunkBatches = async function* (): AsyncGenerator<SqlValue[][]> {
      while (pending) {
        const take = Math.min(pending.length, maxRows - rows);
        const part = take === pending.length ? pending : pending.slice(0, take);
        if (take < pending.length) carry = pending.slice(take);
        rows += take;
        lastLine = Number(part[take - 1][0]);
        pending = undefined;
        yield part;
        if (rows < maxRows) pending = await next();
      }
      finished = true;
    };
    yield {
      batches: chunkBatches(),
      get rows() {
        return rows;
      },
      get lastLine() {
        return lastLine;
      },
    };
    if (!finished) throw new Error("A chunk of lineChunks() was not read to the end before the next one");
  }
}
