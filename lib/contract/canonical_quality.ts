import { QUALITY_LEVELS, type QualityLevel } from "./types.ts";

const QUALITY_BY_TEXT = new Map<string, QualityLevel>(
  QUALITY_LEVELS.flatMap((level) => [[level, level], [level.toLowerCase(), level]]),
);

/**
 * Maps a quality level to `4K`, `HD` or `SD` in any case (surrounding whitespace ignored), or returns NULL.
 *
 * @example
 * ```ts
 * canonicalQuality("4k"); // "4K"
 * canonicalQuality("8K"); // null
 * ```
 */
export function canonicalQuality(value: string | null | undefined): QualityLevel | null {
  if (value == null) return null;
  // Stored spellings hit the map directly: this runs for every session row.
  return QUALITY_BY_TEXT.get(value) ?? QUALITY_BY_TEXT.get(value.trim().toLowerCase()) ?? null;
}
