const NEEDS_QUOTES = /[",\r\n]/;

/**
 * The header and column order of a CSV file, and how one row of values (given in canonical column order)
 * becomes a line: the messy dataset renames and reorders columns, the generators never need to know.
 *
 * @example
 * ```ts
 * const layout = new CsvLayout(["id", "Region", "age"], [0, 2, 1]);
 * layout.line(["U0001", "21", "Mexico"]); // "U0001,Mexico,21"
 * ```
 */
export class CsvLayout {
  readonly #identity: boolean;

  /**
   * @param header the header names as written
   * @param order for each written column, the index of its value in canonical order
   */
  constructor(readonly header: readonly string[], readonly order: readonly number[]) {
    if (header.length !== order.length) {
      throw new RangeError(`Cannot lay out ${header.length} columns with an order of ${order.length}`);
    }
    this.#identity = order.every((index, position) => index === position);
  }

  /** The header line. */
  headerLine(): string {
    return this.header.map(quote).join(",");
  }

  /** A line of trusted values that need no quoting: the fast path for generated rows. */
  plain(values: readonly string[]): string {
    return this.#identity ? values.join(",") : this.order.map((index) => values[index]).join(",");
  }

  /**
   * A line of any values, quoted per RFC 4180 where needed, except the value at canonical index `verbatim`,
   * written as it is (how broken quoting gets in).
   */
  line(values: readonly string[], verbatim = -1): string {
    return this.order.map((index) => index === verbatim ? values[index] : quote(values[index])).join(",");
  }
}

function quote(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
