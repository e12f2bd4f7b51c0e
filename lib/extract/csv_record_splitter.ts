import { parse as parseCsvText } from "csv-parse/sync";
import type { BadLine } from "./read_lines.ts";

/** One CSV record with the number of its first physical line and its raw text (line ends as `\n`). */
export interface CsvRecord {
  line: number;
  raw: string;
  values: string[];
  /** Why a line that is not a record was given up, when it is not `malformed` quoting or field count. */
  bad?: BadLine;
}

/** Options of {@linkcode CsvRecordSplitter}. */
export interface CsvRecordSplitterOptions {
  /**
   * Lines a quoted field may span before the record is given up as malformed. Without a bound, one unclosed
   * quote would swallow the rest of the file; with it, only its own line is rejected.
   * @default 20
   */
  maxRecordLines?: number;
}

/**
 * Turns physical lines into CSV records without ever losing a line.
 *
 * Why not hand the whole stream to csv-parse: after a broken quote its stream parser either stops or skips
 * an unpredictable run of following lines, and the contract says every input row ends up loaded or
 * rejected. So records are framed here first: a line without a quote character is split on commas (that is
 * exactly RFC 4180 for such a line, and the fast path for nearly every row); a line with quotes is joined
 * with the next lines until its quotes balance and then parsed by csv-parse, which applies the quoting rules.
 * If a record cannot be completed or parsed, only its first line is rejected and the lines after it are read
 * again as records of their own.
 */
export class CsvRecordSplitter {
  readonly #maxRecordLines: number;
  readonly #onRecord: (record: CsvRecord) => void;
  readonly #onMalformed: (record: CsvRecord) => void;
  #pending: { line: number; text: string }[] = [];
  /** Fields a record must have; a multi-line record with another count is re-read line by line. */
  expectedFields: number | undefined;
  #pendingQuotes = 0;
  /** Blank lines skipped outside quoted fields, for the reconciliation of physical lines. */
  blankLines = 0;
  /** Lines joined to the record started on an earlier line (a quoted field spanning lines). */
  continuationLines = 0;

  constructor(
    onRecord: (record: CsvRecord) => void,
    onMalformed: (record: CsvRecord) => void,
    options: CsvRecordSplitterOptions = {},
  ) {
    const { maxRecordLines = 20 } = options;
    if (!Number.isInteger(maxRecordLines) || maxRecordLines < 1) {
      throw new RangeError(`maxRecordLines must be a positive integer (got ${maxRecordLines})`);
    }
    this.#maxRecordLines = maxRecordLines;
    this.#onRecord = onRecord;
    this.#onMalformed = onMalformed;
  }

  /** Feeds one physical line (without its line end). Blank lines are skipped unless inside a quoted field. */
  pushLine(line: number, text: string): void {
    if (this.#pending.length > 0) {
      this.#pending.push({ line, text });
      this.#pendingQuotes += countQuotes(text);
      if (this.#pendingQuotes % 2 === 0) this.#completePending();
      else if (this.#pending.length >= this.#maxRecordLines) this.#abandonPending();
      return;
    }
    if (text.indexOf('"') === -1) {
      if (text.trim() === "") {
        this.blankLines++;
        return;
      }
      this.#onRecord({ line, raw: text, values: text.split(",") });
      return;
    }
    const quotes = countQuotes(text);
    if (quotes % 2 === 0) {
      this.#emitParsed([{ line, text }]);
      return;
    }
    this.#pending = [{ line, text }];
    this.#pendingQuotes = quotes;
    if (this.#maxRecordLines === 1) this.#abandonPending();
  }

  /** Ends the input: a quoted field still open is given up (its first line malformed, the rest re-read). */
  finish(): void {
    while (this.#pending.length > 0) this.#abandonPending();
  }

  #completePending(): void {
    const lines = this.#pending;
    this.#pending = [];
    this.#pendingQuotes = 0;
    if (this.#emitParsed(lines)) this.continuationLines += lines.length - 1;
    else this.#reread(lines);
  }

  #abandonPending(): void {
    const lines = this.#pending;
    this.#pending = [];
    this.#pendingQuotes = 0;
    this.#reread(lines);
  }

  /** Rejects the first line and feeds the others again, so one broken line costs only itself. */
  #reread(lines: { line: number; text: string }[]): void {
    const [first, ...rest] = lines;
    this.#onMalformed({ line: first.line, raw: first.text, values: [] });
    for (const next of rest) this.pushLine(next.line, next.text);
  }

  /**
   * Parses lines holding balanced quotes as one record. A single line that breaks the quoting rules is
   * malformed; for several lines the caller re-reads them, since the join itself may have been the mistake.
   */
  #emitParsed(lines: { line: number; text: string }[]): boolean {
    const raw = lines.length === 1 ? lines[0].text : lines.map((l) => l.text).join("\n");
    let records: string[][];
    try {
      records = parseCsvText(raw, { relax_column_count: true, skip_empty_lines: false });
    } catch {
      if (lines.length > 1) return false;
      this.#onMalformed({ line: lines[0].line, raw, values: [] });
      return true;
    }
    const fits = this.expectedFields === undefined || records[0]?.length === this.expectedFields;
    if (records.length !== 1 || !fits) {
      if (lines.length > 1) return false;
      if (records.length === 1) {
        this.#onRecord({ line: lines[0].line, raw, values: records[0] });
        return true;
      }
      this.#onMalformed({ line: lines[0].line, raw, values: [] });
      return true;
    }
    this.#onRecord({ line: lines[0].line, raw, values: records[0] });
    return true;
  }
}

function countQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count;
}
