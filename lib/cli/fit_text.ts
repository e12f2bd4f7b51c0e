/** The size of a terminal in character cells, as `Deno.consoleSize()` gives it. */
export interface ScreenSize {
  columns: number;
  rows: number;
}

/** Length of a line in terminal cells (every character counts one: the views draw no wide characters). */
export const cellWidth = (line: string): number => [...line].length;

/**
 * Cuts a line to at most `width` cells, ending in "…" when something was cut.
 *
 * @example
 * ```ts
 * fitLine("validate_files ✔ 1,000 rows", 12); // "validate_fi…"
 * ```
 */
export function fitLine(line: string, width: number): string {
  if (!Number.isFinite(width)) return line;
  const chars = [...line];
  if (chars.length <= width) return line;
  if (width <= 0) return "";
  return chars.slice(0, width - 1).join("") + "…";
}

/** Every line of a block cut to `width` cells (see {@linkcode fitLine}). */
export const fitBlock = (text: string, width: number): string =>
  text.split("\n").map((line) => fitLine(line, width)).join("\n");

/**
 * Shortens a node id to `width` cells keeping the start of each word: `create_content_indexes` at 14 is
 * `creat_cont_ind`, so that ids stay told apart in a narrow terminal.
 */
export function abbreviateId(id: string, width: number): string {
  if (id.length <= width) return id;
  const words = id.split("_");
  const lengths = words.map((w) => w.length);
  let total = id.length;
  // Take a character off the longest word until the id fits (keeping at least one per word).
  while (total > width) {
    let longest = 0;
    for (let i = 1; i < lengths.length; i++) if (lengths[i] > lengths[longest]) longest = i;
    if (lengths[longest] <= 1) break;
    lengths[longest]--;
    total--;
  }
  const short = words.map((w, i) => w.slice(0, lengths[i])).join("_");
  return fitLine(short, width);
}

/**
 * Wraps text at spaces to lines of at most `width` cells, continuation lines starting with `indent`; a word
 * longer than a line is cut (see {@linkcode fitLine}).
 */
export function wrapText(text: string, width: number, indent = ""): string {
  if (!Number.isFinite(width)) return text;
  const lines: string[] = [];
  const lead = /^ */.exec(text)![0];
  let line = lead;
  for (const word of text.slice(lead.length).split(" ")) {
    const next = line.trim() === "" ? line + word : `${line} ${word}`;
    if (cellWidth(next) <= width || line.trim() === "") line = next;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  lines.push(line);
  return lines.map((l) => fitLine(l, width)).join("\n");
}
