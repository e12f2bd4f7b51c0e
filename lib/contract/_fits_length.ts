/** Tells whether a text has at most `max` characters, counted as code points like a SQL `VARCHAR(max)`. */
export function fitsLength(text: string, max: number): boolean {
  // UTF-16 length is never less than the code point count, so the cheap test settles nearly every case.
  if (text.length <= max) return true;
  let count = 0;
  for (const _ of text) if (++count > max) return false;
  return true;
}
