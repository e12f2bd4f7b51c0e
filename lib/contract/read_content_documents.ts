import type { ContentType } from "./validate_content.ts";

/** One document of `content.json`, with the section it came from and its 1-based position in the file. */
export interface ContentEntry {
  doc: unknown;
  /** `movie` or `series` from the section; undefined for a bare array. */
  type: ContentType | undefined;
  /** 1-based ordinal over movies first, then series (or over the bare array). */
  position: number;
}

const SECTIONS = [["movies", "movie"], ["series", "series"]] as const;

function describe(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

/**
 * Lists the documents of a parsed `content.json` (data contract, section 6).
 *
 * The root is `{ movies: [...], series: [...] }` (either section may be left out) or a bare array.
 *
 * @throws {TypeError} when the root is neither, or a section is not an array.
 * @example
 * ```ts
 * readContentDocuments({ movies: [{ content_id: "M1" }], series: [{ content_id: "S1" }] });
 * // [{ doc: { content_id: "M1" }, type: "movie", position: 1 }, { doc: {...}, type: "series", position: 2 }]
 * ```
 */
export function readContentDocuments(json: unknown): ContentEntry[] {
  if (Array.isArray(json)) return json.map((doc, at) => ({ doc, type: undefined, position: at + 1 }));
  if (typeof json !== "object" || json === null || !SECTIONS.some(([key]) => Object.hasOwn(json, key))) {
    throw new TypeError(
      `Cannot read content documents: expected an object with "movies" and "series" arrays or an array (found: ${
        describe(json)
      })`,
    );
  }
  const entries: ContentEntry[] = [];
  for (const [key, type] of SECTIONS) {
    const section = (json as Record<string, unknown>)[key];
    if (section === undefined) continue;
    if (!Array.isArray(section)) {
      throw new TypeError(
        `Cannot read content documents: "${key}" is not an array (found: ${describe(section)})`,
      );
    }
    for (const doc of section) entries.push({ doc, type, position: entries.length + 1 });
  }
  return entries;
}
