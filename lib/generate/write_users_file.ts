import { USER_FIELDS } from "../contract/mod.ts";
import { CsvLayout } from "./csv_layout.ts";
import { FileTally } from "./file_tally.ts";
import { MESSY_RATES, type UserDefect } from "./messy_rates.ts";
import { countDefects, planDefects } from "./plan_defects.ts";
import { Random } from "./random.ts";
import { TextSink } from "./text_sink.ts";
import { applyUserDefect } from "./user_defects.ts";
import type { UserTable } from "./user_table.ts";
import { writeRows, type WrittenCsv } from "./_write_rows.ts";

/** Canonical header of `users.csv`. */
export const USER_HEADER: readonly string[] = USER_FIELDS;
/** Messy header: aliases and other spellings of every column. */
const MESSY_HEADER = ["ID", "Region", "Age", "Plan", "Signup-Date", "Watch Time Hours"];
/** Canonical index of each messy column: country comes before age. */
const MESSY_ORDER = [0, 2, 1, 3, 4, 5];

/** Options of {@linkcode writeUsersFile}. */
export interface WriteUsersOptions {
  seed: number;
  /**
   * Injects the defects of {@linkcode MESSY_RATES}, with CRLF line ends and a variant header.
   * @default false
   */
  messy?: boolean;
}

/** Writes `users.csv` for the users of `table`, clean or messy. */
export async function writeUsersFile(
  path: string,
  table: UserTable,
  options: WriteUsersOptions,
): Promise<WrittenCsv> {
  const { seed, messy = false } = options;
  const layout = messy
    ? new CsvLayout(MESSY_HEADER, MESSY_ORDER)
    : new CsvLayout(USER_HEADER, [0, 1, 2, 3, 4, 5]);
  const plan = messy
    ? planDefects(MESSY_RATES.users, table.count, new Random(seed, "users/plan"), "users")
    : undefined;
  const random = new Random(seed, "users/defects");
  const tally = new FileTally({
    reasons: ["missing_key", "malformed"],
    coercible: ["age", "subscription_type", "registration_date", "total_watch_time_hours"],
  });
  const lineEnd = messy ? "\r\n" : "\n";
  await using sink = await TextSink.open(path, { lineEnd });
  await writeRows<UserDefect>(sink, tally, {
    count: table.count,
    layout,
    values: (index) => table.values(index),
    plan,
    applyDefect: (kind, values) => applyUserDefect(kind, values, { random, layout }),
    random,
  });
  await sink.close(); // before reading `bytes`; `await using` covers the error path
  return {
    bytes: sink.bytes,
    manifest: { ...tally.outcome(), header: [...layout.header], line_end: messy ? "CRLF" : "LF", bom: false },
    defects: messy ? { header_variants: 1, reordered_columns: 1, ...countDefects(plan) } : {},
  };
}
