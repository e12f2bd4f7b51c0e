/**
 * The dataset as daily partitions (`viewing_sessions/2024-01-02.csv`, ...), and new days that continue it:
 * `deno task data --partition-by day` and `--append-days N`. Both work on the files already written, so the
 * generator's own output (and its pinned digests) does not change.
 *
 * @module
 */
import { join } from "node:path";
import { Random } from "./random.ts";

/** One file written or rewritten here. */
export interface PartitionFileWritten {
  path: string;
  rows: number;
  bytes: number;
  /** `appended`: a new day; `replaced`: an earlier day rewritten with corrections. */
  kind: "partition" | "appended" | "replaced";
}

/** The folder of daily files inside a data folder. */
export const PARTITIONS_FOLDER = "viewing_sessions";
/** Rows without a readable date go to this partition (its name sorts after every date). */
export const UNDATED_PARTITION = "undated";

const encoder = new TextEncoder();

/** Splits a CSV line on commas outside double quotes (quotes kept: only the date field is read). */
function fields(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

async function* lines(path: string): AsyncGenerator<string> {
  using file = await Deno.open(path);
  const decoder = new TextDecoder();
  let rest = "";
  const buffer = new Uint8Array(1 << 20);
  for (;;) {
    const n = await file.read(buffer);
    if (n === null) break;
    rest += decoder.decode(buffer.subarray(0, n), { stream: true });
    const parts = rest.split("\n");
    rest = parts.pop()!;
    for (const part of parts) yield part;
  }
  rest += decoder.decode();
  if (rest !== "") yield rest;
}

/** Buffered writers of many files at once, flushed in big chunks. */
class FileSet {
  #open = new Map<string, { chunks: string[]; size: number; rows: number; bytes: number }>();
  constructor(readonly header: string) {}
  async add(path: string, line: string): Promise<void> {
    let file = this.#open.get(path);
    if (!file) {
      file = { chunks: [this.header + "\n"], size: 0, rows: 0, bytes: 0 };
      this.#open.set(path, file);
      await Deno.writeFile(path, new Uint8Array());
    }
    file.chunks.push(line + "\n");
    file.size += line.length + 1;
    file.rows++;
    if (file.size > 1 << 18) await this.#flush(path, file);
  }
  async #flush(path: string, file: { chunks: string[]; size: number; bytes: number }) {
    const bytes = encoder.encode(file.chunks.join(""));
    await Deno.writeFile(path, bytes, { append: true });
    file.bytes += bytes.byteLength;
    file.chunks = [];
    file.size = 0;
  }
  async close(): Promise<{ path: string; rows: number; bytes: number }[]> {
    const written = [];
    for (const [path, file] of this.#open) {
      await this.#flush(path, file);
      written.push({ path, rows: file.rows, bytes: file.bytes });
    }
    return written.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}

/**
 * Splits `viewing_sessions.csv` into one file per watch day (same header, rows in file order; a row without
 * a readable `YYYY-MM-DD` date goes to `undated.csv`) and removes it.
 */
export async function partitionSessionsByDay(outDir: string): Promise<PartitionFileWritten[]> {
  const source = join(outDir, "viewing_sessions.csv");
  const folder = join(outDir, PARTITIONS_FOLDER);
  await Deno.remove(folder, { recursive: true }).catch(() => {});
  await Deno.mkdir(folder, { recursive: true });
  let files: FileSet | undefined;
  let dateAt = -1;
  for await (const raw of lines(source)) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!files) {
      const header = line.replace(/^\uFEFF/, "");
      dateAt = fields(header).findIndex((h) => /date|watched/i.test(h));
      files = new FileSet(line);
      continue;
    }
    if (line.trim() === "") continue;
    const day = /^"?(\d{4}-\d{2}-\d{2})/.exec(fields(line)[dateAt] ?? "")?.[1] ?? UNDATED_PARTITION;
    await files.add(join(folder, `${day}.csv`), line);
  }
  const written = files ? await files.close() : [];
  await Deno.remove(source);
  return written.map((f) => ({ ...f, kind: "partition" as const }));
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Row {
  line: string;
  values: string[];
}

async function readDay(path: string): Promise<{ header: string; rows: Row[] }> {
  const text = await Deno.readTextFile(path);
  const [header, ...rest] = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const rows = rest.filter((l) => l.trim() !== "").map((line) => ({ line, values: fields(line) }));
  return { header, rows };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const DEVICES = ["Mobile", "Desktop", "Smart TV", "Tablet", "Gaming Console"];

/**
 * Appends `days` new days after the last dated partition, deterministically from `seed`: each new day
 * replays the sessions of the same weekday a week earlier with new session ids and slightly different
 * durations (the same users and titles), plus late corrections (about 1 % of rows restate sessions of the
 * seven days before, with another duration and sometimes another device). Then the day three days before the
 * first new day is replaced by a corrected version (about 2 % of its rows dropped, 5 % changed), unless
 * `options.replace` is false.
 *
 * @throws {RangeError} when `outDir` has no partition folder to continue.
 */
export async function appendDays(
  outDir: string,
  days: number,
  seed = 42,
  options: { replace?: boolean } = {},
): Promise<PartitionFileWritten[]> {
  const folder = join(outDir, PARTITIONS_FOLDER);
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(folder)) {
      const m = /^(\d{4}-\d{2}-\d{2})\.csv$/.exec(entry.name);
      if (entry.isFile && m) names.push(m[1]);
    }
  } catch {
    throw new RangeError(
      `--append-days needs a partitioned dataset: "${folder}" not found (use --partition-by day)`,
    );
  }
  if (names.length === 0) throw new RangeError(`--append-days: "${folder}" has no daily file to continue`);
  names.sort();
  const last = names[names.length - 1];
  const written: PartitionFileWritten[] = [];
  const known = new Set(names);
  const at = (name: string) => join(folder, `${name}.csv`);
  const write = async (name: string, header: string, rows: string[], kind: PartitionFileWritten["kind"]) => {
    const bytes = encoder.encode([header, ...rows].join("\n") + "\n");
    await Deno.writeFile(at(name), bytes);
    written.push({ path: at(name), rows: rows.length, bytes: bytes.byteLength, kind });
  };
  for (let k = 1; k <= days; k++) {
    const day = addDays(last, k);
    const random = new Random(seed, `append/${day}`);
    const week = addDays(day, -7);
    const template = await readDay(at(known.has(week) ? week : last));
    const header = template.header.replace(/^\uFEFF/, "");
    const cols = fields(header);
    const idx = (name: string) => cols.indexOf(name);
    const [sid, date, dur, comp, dev] = [
      "session_id",
      "watch_date",
      "watch_duration_minutes",
      "completion_percentage",
      "device_type",
    ].map(idx);
    const rows: string[] = [];
    let n = 0;
    for (const { line, values } of template.rows) {
      if (line.includes('"') || values.length !== cols.length) continue;
      const v = [...values];
      v[sid] = `SA${day.replaceAll("-", "")}${String(++n).padStart(6, "0")}`;
      v[date] = day + (values[date]?.slice(10) ?? "");
      const minutes = Number(values[dur]);
      if (Number.isFinite(minutes)) v[dur] = String(Math.min(1440, round1(minutes * random.float(0.8, 1.2))));
      const completion = Number(values[comp]);
      if (Number.isFinite(completion) && values[comp] !== "") {
        v[comp] = String(Math.min(100, round1(completion * random.float(0.9, 1.1))));
      }
      rows.push(v.join(","));
    }
    // Late corrections: a few sessions of the week before, restated.
    for (let back = 1; back <= 7; back++) {
      const earlier = addDays(day, -back);
      if (!known.has(earlier)) continue;
      for (const { line, values } of (await readDay(at(earlier))).rows) {
        if (line.includes('"') || values.length !== cols.length || !random.chance(0.01 / back)) continue;
        const v = [...values];
        const minutes = Number(values[dur]);
        if (Number.isFinite(minutes)) {
          v[dur] = String(Math.min(1440, round1(minutes * random.float(0.5, 1.5))));
        }
        if (random.chance(0.3)) v[dev] = DEVICES[random.int(0, DEVICES.length - 1)];
        rows.push(v.join(","));
      }
    }
    await write(day, template.header, rows, "appended");
    known.add(day);
  }
  // A corrected version of an earlier day replaces it.
  const corrected = addDays(last, -2);
  if (options.replace !== false && known.has(corrected)) {
    const random = new Random(seed, `replace/${corrected}`);
    const { header, rows } = await readDay(at(corrected));
    const cols = fields(header.replace(/^\uFEFF/, ""));
    const dur = cols.indexOf("watch_duration_minutes");
    const kept: string[] = [];
    for (const { line, values } of rows) {
      if (random.chance(0.02)) continue;
      const minutes = Number(values[dur]);
      if (!line.includes('"') && Number.isFinite(minutes) && random.chance(0.05)) {
        const v = [...values];
        v[dur] = String(Math.min(1440, round1(minutes * random.float(0.7, 1.3))));
        kept.push(v.join(","));
      } else kept.push(line);
    }
    await write(corrected, header, kept, "replaced");
  }
  return written;
}
