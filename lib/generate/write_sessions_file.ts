import { SESSION_FIELDS } from "../contract/mod.ts";
import { CsvLayout } from "./csv_layout.ts";
import { FileTally } from "./file_tally.ts";
import { MESSY_RATES, type SessionDefect } from "./messy_rates.ts";
import { countDefects, planDefects } from "./plan_defects.ts";
import { Random } from "./random.ts";
import { applySessionDefect } from "./session_defects.ts";
import type { SessionSampler } from "./session_sampler.ts";
import { TextSink } from "./text_sink.ts";
import type { UserTable } from "./user_table.ts";
import { writeRows, type WrittenCsv } from "./_write_rows.ts";

/** Canonical header of `viewing_sessions.csv`. */
export const SESSION_HEADER: readonly string[] = SESSION_FIELDS;
/** Messy header: aliases and other spellings of every column, same order. */
const MESSY_HEADER = [
  "Session_ID",
  "user",
  "Content",
  "date",
  "duration",
  "Completion",
  "Device",
  "QUALITY_LEVEL",
];
/** Ids of orphan sessions are drawn from this many user ids past the last user. */
const ORPHAN_IDS = 50;

/** Options of {@linkcode writeSessionsFile}. */
export interface WriteSessionsOptions {
  seed: number;
  /** Sessions to write (before defects add lines). */
  count: number;
  /**
   * Injects the defects of {@linkcode MESSY_RATES}, with a BOM and a variant header.
   * @default false
   */
  messy?: boolean;
}

/** Writes `viewing_sessions.csv`: `count` sessions drawn by `sampler` for the users of `users`. */
export async function writeSessionsFile(
  path: string,
  sampler: SessionSampler,
  users: UserTable,
  options: WriteSessionsOptions,
): Promise<WrittenCsv> {
  const { seed, count, messy = false } = options;
  const layout = new CsvLayout(messy ? MESSY_HEADER : SESSION_HEADER, [0, 1, 2, 3, 4, 5, 6, 7]);
  const plan = messy
    ? planDefects(MESSY_RATES.sessions, count, new Random(seed, "sessions/plan"), "sessions")
    : undefined;
  const random = new Random(seed, "sessions/defects");
  const orphanUserId = () => users.id(users.count + random.int(0, ORPHAN_IDS - 1));
  const tally = new FileTally({
    reasons: ["malformed", "missing_key", "unknown_user", "bad_duration", "bad_completion"],
    coercible: ["watch_date", "completion_percentage", "device_type", "quality_level"],
    watchDate: true,
  });
  await using sink = await TextSink.open(path, { bom: messy });
  await writeRows<SessionDefect>(sink, tally, {
    count,
    layout,
    values: (index) => sampler.draw(index),
    plan,
    applyDefect: (kind, values) => applySessionDefect(kind, values, { random, layout, orphanUserId }),
    random,
  });
  await sink.close(); // before reading `bytes`; `await using` covers the error path
  return {
    bytes: sink.bytes,
    manifest: { ...tally.outcome(), header: [...layout.header], line_end: "LF", bom: messy },
    defects: messy ? { header_variants: 1, ...countDefects(plan) } : {},
  };
}
