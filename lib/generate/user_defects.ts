import { brokenQuoting, otherDateFormat, thousandsNumber, wrongFieldCount } from "./_value_variants.ts";
import type { CsvLayout } from "./csv_layout.ts";
import type { DefectLines, EmittedLine } from "./file_tally.ts";
import type { UserDefect } from "./messy_rates.ts";
import type { Random } from "./random.ts";

/** Canonical column positions of `users.csv`. */
const ID = 0, AGE = 1, COUNTRY = 2, PLAN = 3, DATE = 4, HOURS = 5;

/** What a user defect needs besides the row. */
export interface UserDefectContext {
  random: Random;
  layout: CsvLayout;
}

type Apply = (values: string[], context: UserDefectContext) => DefectLines;

const loaded = (text: string, coerced?: string[]): EmittedLine => ({
  text,
  outcome: { status: "loaded", coerced },
});
const rejected = (text: string, reason: string): EmittedLine => ({
  text,
  outcome: { status: "rejected", reason },
});

/** Replaces the value at `index` and writes the row as loaded, with the fields it coerces. */
function withValue(
  index: number,
  variants: (value: string, random: Random) => string,
  coerced?: string,
): Apply {
  return (values, { random, layout }) => {
    const changed = [...values];
    changed[index] = variants(values[index], random);
    return { lines: [loaded(layout.line(changed), coerced ? [coerced] : undefined)] };
  };
}

/** Keeps the row and adds an extra line after it. */
function withExtraLine(extra: (values: string[], context: UserDefectContext) => EmittedLine): Apply {
  return (values, context) => ({ lines: [loaded(context.layout.plain(values)), extra(values, context)] });
}

const USER_DEFECTS: Record<UserDefect, Apply> = {
  junk_numbers: (values, { random, layout }) => {
    const changed = [...values];
    const variant = random.int(0, 3);
    if (variant === 0) changed[HOURS] = `${values[HOURS]} h`;
    else if (variant === 1) changed[HOURS] = ` ${values[HOURS]} `;
    else if (variant === 2) changed[HOURS] = thousandsNumber(random);
    else changed[AGE] = ` ${values[AGE]} `;
    return { lines: [loaded(layout.line(changed))] };
  },
  text_variants: (values, { random, layout }) => {
    const changed = [...values];
    const variant = random.int(0, 3);
    if (variant === 0) changed[COUNTRY] = values[COUNTRY].toLowerCase();
    else if (variant === 1) changed[COUNTRY] = `  ${values[COUNTRY].toUpperCase()}`;
    else if (variant === 2) changed[PLAN] = values[PLAN].toLowerCase();
    else changed[PLAN] = ` ${values[PLAN].toUpperCase()}`;
    return { lines: [loaded(layout.line(changed))] };
  },
  date_formats: withValue(DATE, otherDateFormat),
  padded_keys: withValue(ID, (id, random) => random.chance(0.5) ? ` ${id}` : `${id}  `),
  empty_values: (values, { random, layout }) => {
    const changed = [...values];
    changed[random.int(AGE, HOURS)] = "";
    return { lines: [loaded(layout.line(changed))] };
  },
  invalid_ages: withValue(AGE, (_, random) => random.pick(["7", "12", "121", "130", "41.5", "n/a"]), "age"),
  unknown_plans: withValue(
    PLAN,
    (_, random) => random.pick(["Gold", "Trial", "Free", "Family"]),
    "subscription_type",
  ),
  invalid_dates: withValue(
    DATE,
    (_, random) =>
      random.pick(["2023-02-30", "2023-02-29", "2023-13-01", "31/04/2023", "2022-11-31", "someday"]),
    "registration_date",
  ),
  invalid_hours: withValue(
    HOURS,
    (_, random) => random.pick(["-5.0", "-12.5", "n/a", "lots"]),
    "total_watch_time_hours",
  ),
  duplicates: (values, { random, layout }) => {
    const copy = [...values];
    copy[HOURS] = (random.int(100, 11_000) / 10).toFixed(1);
    return {
      lines: [{ text: layout.plain(values), outcome: { status: "duplicate" } }],
      later: loaded(layout.plain(copy)),
    };
  },
  missing_keys: withExtraLine((values, { random, layout }) => {
    const keyless = [...values];
    keyless[ID] = random.pick(["", "   "]);
    return rejected(layout.line(keyless), "missing_key");
  }),
  wrong_field_counts: withExtraLine((values, { random, layout }) =>
    rejected(wrongFieldCount(layout.plain(values), random), "malformed")
  ),
  broken_quoting: withExtraLine((values, { random, layout }) => {
    const broken = [...values];
    broken[COUNTRY] = brokenQuoting(values[COUNTRY], random);
    return rejected(layout.line(broken, COUNTRY), "malformed");
  }),
  blank_lines: withExtraLine(() => ({ text: "", outcome: { status: "blank" } })),
};

/**
 * Applies one defect kind to a clean `users.csv` row (values in canonical order) and tells the expected
 * outcome of every line written. Rows a defect rejects are extra lines, so every clean user stays loaded and
 * no session becomes `unknown_user` by accident.
 */
export function applyUserDefect(kind: UserDefect, values: string[], context: UserDefectContext): DefectLines {
  return USER_DEFECTS[kind](values, context);
}
