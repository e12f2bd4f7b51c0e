import { Buffer } from "node:buffer";
import { Readable } from "node:stream";
import { checkRow } from "../_check_rows.ts";
import { MYSQL_DIALECT } from "./dialect.ts";
import type { RowBatches, SqlValue } from "../types.ts";

/** Largest Buffer handed to mysql2: each becomes one protocol packet, which must stay under 16 MB. */
const MAX_CHUNK_BYTES = 1 << 20;
/** Characters of text gathered before encoding them to one Buffer. */
const FLUSH_CHARS = 256 * 1024;

/**
 * The `LOAD DATA LOCAL INFILE` statement matching {@linkcode loadDataLine}: tab-separated fields, one row per
 * `\n`, backslash escapes, `\N` for NULL. With `replace`, a row replaces the stored row with its key.
 */
export function loadDataSql(table: string, columns: readonly string[], replace = false): string {
  const q = (name: string) => MYSQL_DIALECT.quote(name);
  return `LOAD DATA LOCAL INFILE 'workbench-rows.tsv' ${replace ? "REPLACE " : ""}INTO TABLE ${
    q(table)
  } CHARACTER SET utf8mb4 ` +
    String.raw`FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n' ` +
    `(${columns.map(q).join(", ")})`;
}

const SPECIAL = /[\\\t\n\r\0]/;
const SPECIALS = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0" };

function field(value: SqlValue): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIALS, (char) => ESCAPES[char]) : value;
}

/**
 * One row as a line of {@linkcode loadDataSql}'s format, newline included.
 *
 * @example
 * ```ts
 * loadDataLine(["a\tb", null, 1.5]); // "a\\tb\t\\N\t1.5\n"
 * ```
 */
export function loadDataLine(row: readonly SqlValue[]): string {
  let line = field(row[0]);
  for (let i = 1; i < row.length; i++) line += "\t" + field(row[i]);
  return line + "\n";
}

/**
 * The rows of `batches` as a byte stream for mysql2's `infileStreamFactory`, checking each row. It emits
 * only Buffers (mysql2 cannot take strings) of at most 1 MB, and pulls the next batch only when mysql2
 * asks for more, so memory stays bounded whatever the number of rows.
 */
export function loadDataStream(table: string, columns: readonly string[], batches: RowBatches): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let text = "";
    let rowNumber = 0;
    for await (const batch of batches) {
      for (const row of batch) {
        checkRow("bulk insert", table, columns, row, ++rowNumber);
        text += loadDataLine(row);
        if (text.length >= FLUSH_CHARS) {
          yield* split(Buffer.from(text, "utf8"));
          text = "";
        }
      }
    }
    if (text.length > 0) yield* split(Buffer.from(text, "utf8"));
  }
  return Readable.from(chunks(), { objectMode: false });
}

function* split(bytes: Buffer): Generator<Buffer> {
  for (let start = 0; start < bytes.length; start += MAX_CHUNK_BYTES) {
    yield bytes.subarray(start, start + MAX_CHUNK_BYTES);
  }
}
