/** `YYYY-MM-DD`, optionally followed by `THH:MM[:SS][Z]` or ` HH:MM[:SS]` (the zone is checked below). */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2}))?(Z?))?$/;
const SLASHED_YEAR_FIRST = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const SLASHED_DAY_FIRST = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** The years both warehouse engines store as they are (MySQL's `DATETIME` range). */
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Tells whether a 10-character text is `DDDD-DD-DD`; the common date-only case, checked without a regex. */
function isDashedDate(text: string): boolean {
  for (let at = 0; at < 10; at++) {
    const code = text.charCodeAt(at);
    if (at === 4 || at === 7 ? code !== 45 : code < 48 || code > 57) return false;
  }
  return true;
}

/** The number of the digits of `text` from `start` to `end` (exclusive), all known to be digits. */
function digitsAt(text: string, start: number, end: number): number {
  let n = 0;
  for (let at = start; at < end; at++) n = n * 10 + text.charCodeAt(at) - 48;
  return n;
}

/** Whether a `DDDD-DD-DD` text (see {@linkcode isDashedDate}) is a real day of a year in range. */
function isRealDashedDate(text: string): boolean {
  const y = digitsAt(text, 0, 4);
  const m = digitsAt(text, 5, 7);
  const d = digitsAt(text, 8, 10);
  return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Joins two-digit parts into `YYYY-MM-DD HH:MM:SS` once every part is in range, else returns NULL. */
function joinParts(
  year: string,
  month: string,
  day: string,
  hour = "00",
  minute = "00",
  second = "00",
): string | null {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}

/**
 * Parses a date or date-time (data contract, section 5) to `YYYY-MM-DD HH:MM:SS` in UTC, or returns NULL.
 *
 * Formats: `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY`, `YYYY-MM-DDTHH:MM[:SS][Z]`, `YYYY-MM-DD HH:MM[:SS]`.
 * A value without a zone is UTC and a date alone is midnight. Anything else is NULL: other zones
 * (`+02:00`), fractions of a second, impossible dates (`2024-02-30`), hours past 23, years outside 1000..9999.
 *
 * @example
 * ```ts
 * parseDateTime("2024-03-05"); // "2024-03-05 00:00:00"
 * parseDateTime("2024-03-05T14:30Z"); // "2024-03-05 14:30:00"
 * parseDateTime("05/03/2024"); // "2024-03-05 00:00:00"
 * ```
 */
export function parseDateTime(value: string | null | undefined): string | null {
  if (value == null) return null;
  const text = value.trim();
  if (text.length === 10 && isDashedDate(text)) return isRealDashedDate(text) ? `${text} 00:00:00` : null;
  const iso = ISO_DATE_TIME.exec(text);
  if (iso !== null) {
    const [, year, month, day, separator, hour, minute, second, zone] = iso;
    if (zone === "Z" && separator !== "T") return null;
    return joinParts(year, month, day, hour, minute, second);
  }
  const yearFirst = SLASHED_YEAR_FIRST.exec(text);
  if (yearFirst !== null) return joinParts(yearFirst[1], yearFirst[2], yearFirst[3]);
  const dayFirst = SLASHED_DAY_FIRST.exec(text);
  if (dayFirst !== null) return joinParts(dayFirst[3], dayFirst[2], dayFirst[1]);
  return null;
}

/**
 * Parses a date (data contract, section 5) to `YYYY-MM-DD`, or returns NULL.
 *
 * Accepts every format of {@linkcode parseDateTime} and keeps the date part: the time cannot change the day,
 * since every accepted value is in UTC.
 *
 * @example
 * ```ts
 * parseDate("2022/10/02"); // "2022-10-02"
 * parseDate("2022-10-02T23:59:59Z"); // "2022-10-02"
 * ```
 */
export function parseDate(value: string | null | undefined): string | null {
  if (value == null) return null;
  // The common case, `YYYY-MM-DD`, is its own answer.
  const text = value.length === 10 ? value : value.trim();
  if (text.length === 10 && isDashedDate(text)) return isRealDashedDate(text) ? text : null;
  return parseDateTime(text)?.slice(0, 10) ?? null;
}
