/**
 * Lower-cases a text and capitalises each space-separated word.
 *
 * @example
 * ```ts
 * capitalizeWords("UNITED STATES"); // "United States"
 * capitalizeWords("mexico"); // "Mexico"
 * ```
 */
export function capitalizeWords(value: string): string {
  return value.toLowerCase().split(" ").map((word) => word.replace(/^./u, (first) => first.toUpperCase()))
    .join(" ");
}
