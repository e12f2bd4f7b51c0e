import { basename } from "node:path";
import { type CsvRecord, CsvRecordSplitter } from "./csv_record_splitter.ts";
import { type CsvEncoding, type PhysicalLine, readLines } from "./read_lines.ts";

/** Records of one batch, in file order, and the lines of that stretch that could not be read as a record. */
export interface CsvBatch {
  records: CsvRecord[];
  /**
   * Broken quoting or a field count other than the header's (rejected as `malformed`), or a line that is not
   * text in the file's encoding or is over the length limit (`bad` says which).
   */
  malformed: CsvRecord[];
}

/** How the reader used the physical lines of a file: with the rows read, they add up to its line count. */
export interface CsvLineUse {
  /** The header's lines, blank lines before it included. */
  header: number;
  /** Blank lines after the header, outside quoted fields. */
  blank: number;
  /** Lines joined to a record started on an earlier line. */
  continuation: number;
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
  /** The lines used so far other than as the first line of a row (complete once `batches()` is done). */
  lineUse(): CsvLineUse;
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
  /**
   * The file's encoding; in `utf-8` (strict) a line that is not UTF-8 is given as malformed with
   * `bad.reason` `bad_encoding`, and the rest is read.
   * @default "utf-8"
   */
  encoding?: CsvEncoding;
  /**
   * Longest line in bytes: a longer one is given as malformed with `bad.reason` `line_too_long` and only
   * a prefix of its text, without ever holding it whole.
   * @default 1_048_576
   */
  maxLineBytes?: number;
}

/**
 * Opens a CSV file and reads its header (the first non-blank line), so that a caller can check the columns
 * before any row is read; then streams the rows in batches with their line numbers, in bounded memory.
 * Handles a UTF-8 BOM, LF, CRLF and bare CR line ends, RFC 4180 quoting, blank lines, lines that are not
 * text in the encoding and over-long lines (each rejected on its own line).
 *
 * @example
 * ```ts
 * await using csv = await openCsv("data/users.csv");
 * for await (const { records, malformed } of csv.batches()) console.log(records.length, malformed.length);
 * ```
 */
export async function openCsv(path: string, options: OpenCsvOptions = {}): Promise<CsvSource> {
  const { batchSize = 1000, maxRecordLines = 20, signal, encoding, maxLineBytes } = options;
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

  const file_ = handle;
  let lines: AsyncGenerator<PhysicalLine[]>;
  try {
    lines = readLines((buffer) => file_.read(buffer), { encoding, maxLineBytes, signal });
  } catch (error) {
    closeQuietly(handle);
    throw error;
  }
  let records: CsvRecord[] = [];
  let malformed: CsvRecord[] = [];
  const splitter = new CsvRecordSplitter(
    (record) => records.push(record),
    (record) => malformed.push(record),
    { maxRecordLines },
  );
  /** Feeds one physical line; a bad one ends any open quoted field and is malformed on its own. */
  const push = ([line, text, bad]: PhysicalLine) => {
    if (!bad) return splitter.pushLine(line, text);
    splitter.finish();
    malformed.push({ line, raw: text, values: [], bad });
  };

  // The header is read with the same splitter as the rows; lines after it in the same chunk are kept.
  const chunks = lines[Symbol.asyncIterator]();
  let header: CsvRecord | undefined;
  let headerError: CsvRecord | undefined;
  let leftover: PhysicalLine[] = [];
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
        push(next.value[i]);
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
    const why = !headerError
      ? "the file is empty"
      : headerError.bad?.reason === "bad_encoding"
      ? `its header on line ${headerError.line} is not ${encoding ?? "utf-8"} text (see --encoding)`
      : headerError.bad
      ? `its header on line ${headerError.line} is longer than ${maxLineBytes ?? 1_048_576} bytes`
      : `its header on line ${headerError.line} has broken quoting`;
    throw new SyntaxError(`Cannot read "${file}": ${why}`);
  }
  // A record started before the header was complete cannot exist: the header is the first record.
  records = [];
  malformed = [];
  const headerUse = header.line + splitter.continuationLines;
  splitter.blankLines = 0;
  splitter.continuationLines = 0;
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
    const feed = function* (chunk: PhysicalLine[]) {
      for (const line of chunk) {
        push(line);
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
    lineUse: () => ({
      header: headerUse,
      blank: splitter.blankLines,
      continuation: splitter.continuationLines,
    }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Closes a file whose readable stream may already have closed it at its end. */
function closeQuietly(handle: Deno.FsFile): void {
  try {
    handle.close();
  } catch (error) {
    if (!(error instanceof Deno.errors.BadResource)) throw error;
  }
}
