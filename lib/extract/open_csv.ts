import { basename } from "node:path";
import { type CsvRecord, CsvRecordSplitter } from "./csv_record_splitter.ts";

/** Records of one batch, in file order, and the lines of that stretch that could not be read as a record. */
export interface CsvBatch {
  records: CsvRecord[];
  /** Broken quoting or a field count other than the header's: rejected as `malformed`. */
  malformed: CsvRecord[];
}

/** An open CSV file whose header is already read. */
export interface CsvSource extends AsyncDisposable {
  /** The base name, as rejects name it (`viewing_sessions.csv`). */
  readonly file: string;
  readonly path: string;
  /** Header names as written (BOM removed). */
  readonly header: string[];
  /** The physical line of the header. */
  readonly headerLine: number;
  /** Reads the rest of the file in batches; call once. */
  batches(): AsyncGenerator<CsvBatch>;
  close(): Promise<void>;
}

/** Options of {@linkcode openCsv}. */
export interface OpenCsvOptions {
  /**
   * Records per batch (malformed lines do not count towards it).
   * @default 1000
   */
  batchSize?: number;
  /**
   * Physical lines a quoted field may span.
   * @default 20
   */
  maxRecordLines?: number;
  /** Stops reading between chunks with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Opens a CSV file and reads its header (the first non-blank line), so that a caller can check the columns
 * before any row is read; then streams the rows in batches with their line numbers, in bounded memory.
 * Handles a UTF-8 BOM, LF and CRLF line ends, RFC 4180 quoting and blank lines.
 *
 * @example
 * ```ts
 * await using csv = await openCsv("data/users.csv");
 * for await (const { records, malformed } of csv.batches()) console.log(records.length, malformed.length);
 * ```
 */
export async function openCsv(path: string, options: OpenCsvOptions = {}): Promise<CsvSource> {
  const { batchSize = 1000, maxRecordLines = 20, signal } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer (got ${batchSize})`);
  }
  const file = basename(path);
  let handle: Deno.FsFile;
  try {
    handle = await Deno.open(path, { read: true });
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "the file does not exist" : String(error);
    throw new Error(`Cannot read "${path}": ${why}`, { cause: error });
  }

  const lines = physicalLines(handle.readable.pipeThrough(new TextDecoderStream()), signal);
  let records: CsvRecord[] = [];
  let malformed: CsvRecord[] = [];
  const splitter = new CsvRecordSplitter(
    (record) => records.push(record),
    (record) => malformed.push(record),
    { maxRecordLines },
  );

  // The header is read with the same splitter as the rows; lines after it in the same chunk are kept.
  const chunks = lines[Symbol.asyncIterator]();
  let header: CsvRecord | undefined;
  let headerError: CsvRecord | undefined;
  let leftover: [number, string][] = [];
  try {
    while (!header && !headerError) {
      const next = await chunks.next();
      if (next.done) {
        splitter.finish();
        header = records.shift();
        headerError = malformed.shift();
        break;
      }
      for (let i = 0; i < next.value.length; i++) {
        const [line, text] = next.value[i];
        splitter.pushLine(line, text);
        header = records.shift();
        headerError = malformed.shift();
        if (header || headerError) {
          leftover = next.value.slice(i + 1);
          break;
        }
      }
    }
  } catch (error) {
    closeQuietly(handle);
    throw error;
  }
  if (!header) {
    closeQuietly(handle);
    const why = headerError
      ? `its header on line ${headerError.line} has broken quoting`
      : "the file is empty";
    throw new SyntaxError(`Cannot read "${file}": ${why}`);
  }
  // A record started before the header was complete cannot exist: the header is the first record.
  records = [];
  malformed = [];
  const headerNames = header.values.map((name) => name.replace(/^\uFEFF/, "").trim());
  splitter.expectedFields = headerNames.length;
  let closed = false;
  const close = () => {
    if (closed) return Promise.resolve();
    closed = true;
    closeQuietly(handle);
    return Promise.resolve();
  };

  async function* batches(): AsyncGenerator<CsvBatch> {
    const width = headerNames.length;
    const take = (): CsvBatch => {
      const taken = records.length > batchSize ? records.splice(0, batchSize) : records;
      if (taken === records) records = [];
      const last = records.length > 0 ? records[0].line : Infinity;
      const good: CsvRecord[] = [];
      const bad: CsvRecord[] = [];
      for (const record of taken) (record.values.length === width ? good : bad).push(record);
      const keep: CsvRecord[] = [];
      for (const record of malformed) (record.line < last ? bad : keep).push(record);
      malformed = keep;
      bad.sort((a, b) => a.line - b.line);
      return { records: good, malformed: bad };
    };
    const feed = function* (chunk: [number, string][]) {
      for (const [line, text] of chunk) {
        splitter.pushLine(line, text);
        while (records.length >= batchSize) yield take();
      }
    };
    try {
      yield* feed(leftover);
      leftover = [];
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield* feed(next.value);
      splitter.finish();
      while (records.length > 0 || malformed.length > 0) yield take();
    } finally {
      await close();
    }
  }

  return {
    file,
    path,
    header: headerNames,
    headerLine: header.line,
    batches,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Splits decoded text into numbered physical lines (LF or CRLF), a chunk of lines at a time, because an
 * await per line would cost more than parsing it.
 */
async function* physicalLines(
  text: ReadableStream<string>,
  signal: AbortSignal | undefined,
): AsyncGenerator<[number, string][]> {
  let carry = "";
  let lineNumber = 0;
  for await (const chunk of text) {
    signal?.throwIfAborted();
    const parts = (carry + chunk).split("\n");
    carry = parts.pop()!;
    const out: [number, string][] = new Array(parts.length);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      out[i] = [++lineNumber, part.endsWith("\r") ? part.slice(0, -1) : part];
    }
    yield out;
  }
  if (carry !== "") yield [[++lineNumber, carry.endsWith("\r") ? carry.slice(0, -1) : carry]];
}

/** Closes a file whose readable stream may already have closed it at its end. */
function closeQuietly(handle: Deno.FsFile): void {
  try {
    handle.close();
  } catch (error) {
    if (!(error instanceof Deno.errors.BadResource)) throw error;
  }
}
