/** Options of {@linkcode TextSink.open}. */
export interface TextSinkOptions {
  /**
   * Line end written after every line.
   * @default "\n"
   */
  lineEnd?: "\n" | "\r\n";
  /**
   * Starts the file with a UTF-8 byte order mark.
   * @default false
   */
  bom?: boolean;
  /**
   * Characters buffered before {@linkcode TextSink.full} asks for a flush.
   * @default 1_048_576
   */
  chunkSize?: number;
}

/**
 * Writes a text file line by line through a buffer: lines are appended synchronously and written in big
 * chunks, so that generating millions of rows costs one await per megabyte, not one per row.
 *
 * @example
 * ```ts
 * await using sink = await TextSink.open("data/users.csv");
 * sink.line("user_id,age");
 * if (sink.full) await sink.flush();
 * ```
 */
export class TextSink implements AsyncDisposable {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lineEnd: string;
  readonly #chunkSize: number;
  readonly #encoder = new TextEncoder();
  #buffer = "";
  #lines = 0;
  #bytes = 0;
  #closed = false;

  private constructor(writer: WritableStreamDefaultWriter<Uint8Array>, options: TextSinkOptions) {
    const { lineEnd = "\n", bom = false, chunkSize = 1_048_576 } = options;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) {
      throw new RangeError(`chunkSize must be a positive integer (got ${chunkSize})`);
    }
    this.#writer = writer;
    this.#lineEnd = lineEnd;
    this.#chunkSize = chunkSize;
    if (bom) this.#buffer = "\uFEFF";
  }

  /** Creates or truncates the file at `path`. */
  static async open(path: string, options: TextSinkOptions = {}): Promise<TextSink> {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    return new TextSink(file.writable.getWriter(), options);
  }

  /** Physical lines written so far: the number of the last line. */
  get lines(): number {
    return this.#lines;
  }

  /** Bytes written so far, after the last flush. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when the buffer holds a chunk's worth: time to `await flush()`. */
  get full(): boolean {
    return this.#buffer.length >= this.#chunkSize;
  }

  /** Appends one line (without its line end) and returns its line number. */
  line(text: string): number {
    this.#buffer += text + this.#lineEnd;
    return ++this.#lines;
  }

  /** Writes the buffer to the file. */
  async flush(): Promise<void> {
    if (this.#buffer === "") return;
    const chunk = this.#encoder.encode(this.#buffer);
    this.#buffer = "";
    this.#bytes += chunk.byteLength;
    await this.#writer.write(chunk);
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    await this.#writer.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
