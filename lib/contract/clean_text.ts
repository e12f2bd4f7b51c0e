/** Whitespace that {@linkcode cleanText} must rewrite: a run of two or more, or any kind other than a space. */
const UNTIDY_SPACE = /\s\s|[^\S ]/;

/**
 * Trims a text value and collapses inner runs of whitespace to one space; an empty value is NULL.
 *
 * @example
 * ```ts
 * cleanText("  New \t York "); // "New York"
 * cleanText("   "); // null
 * ```
 */
export function cleanText(value: string | null | undefined): string | null {
  if (value == null) return null;
  const text = value.trim();
  if (text === "") return null;
  // Most values are already tidy: test first so the common case allocates nothing.
  return UNTIDY_SPACE.test(text) ? text.replace(/\s+/g, " ") : text;
}
