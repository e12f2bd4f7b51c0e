/**
 * Normalises a CSV header name for matching: lower-cased, without spaces, `_`, `-` or a byte order mark.
 *
 * @example
 * ```ts
 * normalizeHeaderName("USER ID"); // "userid"
 * normalizeHeaderName("user-id"); // "userid"
 * ```
 */
export function normalizeHeaderName(name: string): string {
  // `\s` covers the BOM (U+FEFF) as well as spaces, tabs and no-break spaces.
  return name.replace(/[\s_-]/g, "").toLowerCase();
}
