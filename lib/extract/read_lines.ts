import { createHash } from "node:crypto";

/** Text encodings a CSV file may be read in; `utf-8` is strict (a line that is not UTF-8 is rejected). */
export const CSV_ENCODINGS = ["utf-8", "latin1", "windows-1252"] as const;
/** One of {@linkcode CSV_ENCODINGS}. */
export type CsvEncoding = typeof CSV_ENCODINGS[number];

/** Bytes of a line kept in a reject's raw text when the line itself is not kept. */
export const RAW_PREFIX_BYTES = 1024;

/** A physical line that cannot become a record: not valid in the encoding, or longer than the limit. */
export interface BadLine {
  reason: "bad_encoding" | "line_too_long";
  /** The line's length in bytes, without its line end. */
  bytes: number;
  /** SHA-256 of the line's bytes, in hex. */
  sha256: string;
}

/** A numbered physical line: its text without the line end, and what is wrong with it, if anything. */
export type PhysicalLine = [line: number, text: string, bad?: BadLine];

/** Options of {@linkcode readLines}. */
export interface ReadLinesOptions {
  /** @default "utf-8" */
  encoding?: CsvEncoding;
  /**
   * Longest line in bytes; a longer one is given as `line_too_long` with only its first
   * {@linkcode RAW_PREFIX_BYTES} bytes, and is never held in memory whole.
   * @default 1_048_576
   */
  maxLineBytes?: number;
  /** Stops reading between chunks with the signal's reason. */
  signal?: AbortSignal;
  /** @default 65_536 */
  chunkBytes?: number;
}

const LF = 10;
const CR = 13;

/**
 * Splits a byte stream into numbered physical lines, a chunk of lines at a time (an await per line would
 * cost more than parsing it). A line ends at LF, CRLF or a bare CR. Each line is decoded on its own, so one
 * line in another encoding is given as `bad_encoding` (its text decoded leniently) and the lines after it
 * are read as usual.
 *
 * The reader pulls `read` itself, without a stream pipe, and a read that fails because the file was closed
 * under it ends the lines quietly: whoever closed the file has stopped reading.
 */
export async function* readLines(
  read: (buffer: Uint8Array) => Promise<number | null>,
  options: ReadLinesOptions = {},
): AsyncGenerator<PhysicalLine[]> {
  const { encoding = "utf-8", maxLineBytes = 1_048_576, signal, chunkBytes = 65_536 } = options;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new RangeError(`maxLineBytes must be a positive integer (got ${maxLineBytes})`);
  }
  if (!(CSV_ENCODINGS as readonly string[]).includes(encoding)) {
    throw new RangeError(`Cannot read CSV as "${encoding}": use one of ${CSV_ENCODINGS.join(", ")}`);
  }
  const decode = decoderFor(encoding);
  const lenient = encoding === "utf-8" ? new TextDecoder("utf-8", { ignoreBOM: true }) : undefined;
  let lineNumber = 0;
  /** Bytes of the current line seen so far (while it is within the limit). */
  let carry: Uint8Array = new Uint8Array(0);
  /** Set while the current line is over the limit: its prefix, length and running hash. */
  let overflow: { prefix: Uint8Array; bytes: number; hash: ReturnType<typeof createHash> } | undefined;
  /** The previous chunk ended in CR: an LF at the start of this one belongs to it. */
  let skipLf = false;

  const lineOf = (bytes: Uint8Array): PhysicalLine => {
    const number = ++lineNumber;
    if (bytes.length > maxLineBytes) {
      return [number, lenientText(bytes.subarray(0, RAW_PREFIX_BYTES)), {
        reason: "line_too_long",
        bytes: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      }];
    }
    const text = decode(bytes);
    if (text !== undefined) return [number, text];
    return [number, lenientText(bytes), {
      reason: "bad_encoding",
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    }];
  };
  const lenientText = (bytes: Uint8Array) => lenient ? lenient.decode(bytes) : decode(bytes)!;
  const overflowLine = (): PhysicalLine => {
    const o = overflow!;
    overflow = undefined;
    return [++lineNumber, lenientText(o.prefix), {
      reason: "line_too_long",
      bytes: o.bytes,
      sha256: o.hash.digest("hex"),
    }];
  };

  const buffer = new Uint8Array(chunkBytes);
  while (true) {
    signal?.throwIfAborted();
    let n: number | null;
    try {
      n = await read(buffer);
    } catch (error) {
      if (error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) return;
      throw error;
    }
    if (n === null) break;
    if (n === 0) continue;
    let chunk = buffer.subarray(0, n);
    if (skipLf) {
      skipLf = false;
      if (chunk[0] === LF) chunk = chunk.subarray(1);
    }
    const out: PhysicalLine[] = [];
    let start = 0;
    if (overflow) {
      // The current line is already too long: hash on until its end, keeping nothing.
      const end = nextLineEnd(chunk, 0);
      const stop = end === -1 ? chunk.length : end;
      overflow.hash.update(chunk.subarray(0, stop));
      overflow.bytes += stop;
      if (overflow.prefix.length < RAW_PREFIX_BYTES) {
        const more = chunk.subarray(0, Math.min(stop, RAW_PREFIX_BYTES - overflow.prefix.length));
        overflow.prefix = append(overflow.prefix, more);
      }
      if (end === -1) continue;
      out.push(overflowLine());
      start = afterLineEnd(chunk, end);
      if (start === -1) {
        skipLf = true;
        start = chunk.length;
      }
    }
    const lastEnd = lastLineEnd(chunk, start);
    if (lastEnd === -1) {
      carry = append(carry, chunk.subarray(start));
    } else {
      // One region of whole lines, the carried start of the first one included.
      const region = append(carry, chunk.subarray(start, lastEnd));
      carry = new Uint8Array(0);
      const text = region.length <= maxLineBytes ? decode(region) : undefined;
      if (text !== undefined) {
        for (const line of text.split(/\r\n|\r|\n/)) out.push([++lineNumber, line]);
      } else {
        for (let at = 0; at <= region.length;) {
          const end = nextLineEnd(region, at);
          const stop = end === -1 ? region.length : end;
          out.push(lineOf(region.subarray(at, stop)));
          if (end === -1) break;
          // A CR ending the region is a bare one: the region stops before the chunk's last line end.
          const next = afterLineEnd(region, end);
          at = next === -1 ? region.length : next;
        }
      }
      let rest = afterLineEnd(chunk, lastEnd);
      if (rest === -1) {
        skipLf = true;
        rest = chunk.length;
      }
      carry = chunk.slice(rest);
    }
    if (carry.length > maxLineBytes) {
      overflow = {
        prefix: carry.slice(0, RAW_PREFIX_BYTES),
        bytes: carry.length,
        hash: createHash("sha256").update(carry),
      };
      carry = new Uint8Array(0);
    }
    if (out.length > 0) yield out;
  }
  if (overflow) yield [overflowLine()];
  else if (carry.length > 0) yield [lineOf(carry)];
}

/** A strict decoder: `undefined` when the bytes are not valid text in the encoding. */
function decoderFor(encoding: CsvEncoding): (bytes: Uint8Array) => string | undefined {
  if (encoding === "latin1") return decodeLatin1;
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  return (bytes) => {
    try {
      return decoder.decode(bytes);
    } catch {
      return undefined;
    }
  };
}

/** ISO-8859-1: every byte is the code point of the same number (WHATWG's "latin1" label is windows-1252). */
function decodeLatin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}

/** The index of the next CR or LF from `from`, or -1. */
function nextLineEnd(bytes: Uint8Array, from: number): number {
  const lf = bytes.indexOf(LF, from);
  const cr = bytes.indexOf(CR, from);
  if (cr === -1) return lf;
  if (lf === -1) return cr;
  return Math.min(cr, lf);
}

/** The index where the last line end at or after `from` starts (the CR of a CRLF), or -1. */
function lastLineEnd(bytes: Uint8Array, from: number): number {
  let end = Math.max(bytes.lastIndexOf(LF), bytes.lastIndexOf(CR));
  if (end > from && bytes[end] === LF && bytes[end - 1] === CR) end--;
  return end >= from ? end : -1;
}

/** Where the line after the line end at `end` starts; -1 when a CR ends the bytes (an LF may follow). */
function afterLineEnd(bytes: Uint8Array, end: number): number {
  if (bytes[end] === LF) return end + 1;
  if (end + 1 >= bytes.length) return -1;
  return bytes[end + 1] === LF ? end + 2 : end + 1;
}

function append(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The physical lines of a file and the line ends found, counted on their own (not by the CSV reader). */
export interface LineCount {
  /** Lines, a last line without a line end included. */
  lines: number;
  bytes: number;
  endings: { lf: number; crlf: number; cr: number };
}

/**
 * Counts the physical lines of a file (LF, CRLF or a bare CR end a line) in one pass over its bytes,
 * independently of the CSV reader, so that the reconciliation can check the reader against it.
 */
export async function countLines(path: string, signal?: AbortSignal): Promise<LineCount> {
  using file = await Deno.open(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  let bytes = 0;
  let lastByte = -1;
  let lfs = 0;
  let crs = 0;
  let crlfs = 0;
  /** The previous chunk ended in CR: an LF first in this one makes it a CRLF. */
  let pendingCr = false;
  while (true) {
    signal?.throwIfAborted();
    const n = await file.read(buffer);
    if (n === null) break;
    if (n === 0) continue;
    const chunk = buffer.subarray(0, n);
    if (pendingCr && chunk[0] === LF) crlfs++;
    // indexOf is native: far faster than a loop over every byte.
    for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) lfs++;
    for (let at = chunk.indexOf(CR); at !== -1; at = chunk.indexOf(CR, at + 1)) {
      crs++;
      if (at + 1 < n && chunk[at + 1] === LF) crlfs++;
    }
    pendingCr = chunk[n - 1] === CR;
    lastByte = chunk[n - 1];
    bytes += n;
  }
  const endings = { lf: lfs - crlfs, crlf: crlfs, cr: crs - crlfs };
  const ends = endings.lf + endings.crlf + endings.cr;
  const unterminated = bytes > 0 && lastByte !== LF && lastByte !== CR ? 1 : 0;
  return { lines: ends + unterminated, bytes, endings };
}
