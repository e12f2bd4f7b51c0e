import { brokenQuoting, otherDateFormat, thousandsNumber, wrongFieldCount } from "./_value_variants.ts";
import type { CsvLayout } from "./csv_layout.ts";
import type { DefectLines, EmittedLine } from "./file_tally.ts";
import type { SessionDefect } from "./messy_rates.ts";
import type { Random } from "./random.ts";

/** Canonical column positions of `viewing_sessions.csv`. */
const SESSION = 0, USER = 1, CONTENT = 2, DATE = 3, DURATION = 4, COMPLETION = 5, DEVICE = 6, QUALITY = 7;

/** What a session defect needs besides the row. */
export interface SessionDefectContext {
  random: Random;
  layout: CsvLayout;
  /** A user id that is not in `users.csv`. */
  orphanUserId: () => string;
}

type Apply = (values: string[], context: SessionDefectContext) => DefectLines;

/** Spellings of each generated device that the contract maps back to a canonical device (section 4). */
const DEVICE_ALIASES: Record<string, string[]> = {
  "Smart TV": ["smart_tv", "SMARTTV", "Smart-TV", "smart tv", "SmartTV"],
  Mobile: ["phone", "smartphone", "MOBILE", "mobile"],
  // `laptop` is canonical `Laptop`, a device the clean data never has.
  Desktop: ["pc", "PC", "computer", "desktop", "laptop"],
  Tablet: ["tablet", "TABLET", " Tablet "],
  "Gaming Console": ["console", "gaming_console", "Gaming-Console", "GAMING CONSOLE"],
};

function outcome(text: string, coerced?: string[], missingWatchDate?: boolean): EmittedLine {
  return { text, outcome: { status: "loaded", coerced, missingWatchDate } };
}

/** Replaces the value at `index`; `result` gives the expected outcome of the changed line. */
function withValue(
  index: number,
  variants: (value: string, random: Random, context: SessionDefectContext) => string,
  result: (text: string) => EmittedLine = (text) => outcome(text),
  verbatim = false,
): Apply {
  return (values, context) => {
    const changed = [...values];
    changed[index] = variants(values[index], context.random, context);
    return { lines: [result(context.layout.line(changed, verbatim ? index : -1))] };
  };
}

const rejectedAs = (reason: string) => (text: string): EmittedLine => ({
  text,
  outcome: { status: "rejected", reason },
});

const SESSION_DEFECTS: Record<SessionDefect, Apply> = {
  junk_numbers: (values, { random, layout }) => {
    const changed = [...values];
    const variant = random.int(0, 4);
    if (variant === 0) changed[DURATION] = `${values[DURATION]} min`;
    else if (variant === 1) changed[DURATION] = ` ${values[DURATION]} `;
    else if (variant === 2) changed[DURATION] = thousandsNumber(random);
    else if (variant === 3) changed[COMPLETION] = `${values[COMPLETION]}%`;
    else changed[COMPLETION] = ` ${values[COMPLETION]} `;
    return { lines: [outcome(layout.line(changed))] };
  },
  device_aliases: withValue(DEVICE, (device, random) => random.pick(DEVICE_ALIASES[device])),
  unknown_devices: withValue(
    DEVICE,
    (_, random) => random.pick(["VR Headset", "Smart Fridge", "Car Display", "Smartwatch", "Projector"]),
    (text) => outcome(text, ["device_type"]),
  ),
  quality_variants: withValue(
    QUALITY,
    (quality, random) => random.chance(0.5) ? quality.toLowerCase() : ` ${quality} `,
  ),
  unknown_qualities: withValue(
    QUALITY,
    (_, random) => random.pick(["8K", "HDR", "FullHD", "720p", "UHD"]),
    (text) => outcome(text, ["quality_level"]),
  ),
  date_formats: withValue(DATE, otherDateFormat),
  empty_dates: withValue(DATE, () => "", (text) => outcome(text, undefined, true)),
  invalid_dates: withValue(
    DATE,
    (_, random) =>
      random.pick(["2024-02-30", "2024-04-31", "2024-06-31", "2024-13-05", "31/06/2024", "yesterday"]),
    (text) => outcome(text, ["watch_date"], true),
  ),
  unparsable_completions: withValue(
    COMPLETION,
    (_, random) => random.pick(["n/a", "unknown", "--", "?"]),
    (text) => outcome(text, ["completion_percentage"]),
  ),
  empty_values: (values, { random, layout }) => {
    const changed = [...values];
    changed[random.pick([COMPLETION, DEVICE, QUALITY])] = "";
    return { lines: [outcome(layout.line(changed))] };
  },
  padded_keys: (values, { random, layout }) => {
    const changed = [...values];
    const key = random.pick([SESSION, USER, CONTENT]);
    changed[key] = random.chance(0.5) ? ` ${values[key]}` : `${values[key]}  `;
    return { lines: [outcome(layout.line(changed))] };
  },
  orphan_users: withValue(USER, (_, __, context) => context.orphanUserId(), rejectedAs("unknown_user")),
  bad_durations: withValue(
    DURATION,
    (_, random) => random.pick(["-5", "-0.5", "1441", "2000", "2,500", "n/a", ""]),
    rejectedAs("bad_duration"),
  ),
  bad_completions: withValue(
    COMPLETION,
    (_, random) => random.pick(["150", "100.5", "-10", "101%", "250"]),
    rejectedAs("bad_completion"),
  ),
  missing_keys: withValue(
    SESSION,
    (_, random) => random.pick(["", "   "]),
    rejectedAs("missing_key"),
  ),
  wrong_field_counts: (values, { random, layout }) => {
    if (random.chance(0.33)) {
      // A thousands separator without quotes splits the duration in two fields.
      const changed = [...values];
      changed[DURATION] = thousandsNumber(random);
      return { lines: [rejectedAs("malformed")(layout.line(changed, DURATION))] };
    }
    return { lines: [rejectedAs("malformed")(wrongFieldCount(layout.plain(values), random))] };
  },
  broken_quoting: withValue(DEVICE, brokenQuoting, rejectedAs("malformed"), true),
  duplicates: (values, { random, layout }) => {
    const copy = [...values];
    copy[COMPLETION] = (random.int(0, 1000) / 10).toFixed(1);
    return {
      lines: [{ text: layout.plain(values), outcome: { status: "duplicate" } }],
      later: outcome(layout.plain(copy)),
    };
  },
  blank_lines: (values, { layout }) => ({
    lines: [outcome(layout.plain(values)), { text: "", outcome: { status: "blank" } }],
  }),
};

/**
 * Applies one defect kind to a clean `viewing_sessions.csv` row (values in canonical order) and tells the
 * expected outcome of every line written.
 */
export function applySessionDefect(
  kind: SessionDefect,
  values: string[],
  context: SessionDefectContext,
): DefectLines {
  return SESSION_DEFECTS[kind](values, context);
}
