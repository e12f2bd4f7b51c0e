import type { GenerateDatasetOptions } from "./generate_dataset.ts";

/** Usage of `deno task data`, printed by `--help`. */
export const DATA_USAGE =
  `Generate the dataset: users.csv, content.json, viewing_sessions.csv and manifest.json.

Usage: deno task data [options]

Options:
  --out <dir>        folder to write into, created if missing (default: data)
  --seed <n>         seed of every random choice; same options, same bytes (default: 42)
  --scale <n>        multiplies users (5,000) and sessions (222,785); content is fixed (default: 1)
  --users <n>        number of users, instead of 5,000 x scale
  --sessions <n>     number of sessions, instead of 222,785 x scale
  --messy            inject every defect kind of the data contract; manifest.json tells the expected
                     loads, rejects, duplicates and coercions (rates in docs/DATASET.md)
  --partition-by day write the sessions as one file per watch day, viewing_sessions/2024-01-02.csv, ...
                     (instead of viewing_sessions.csv)
  --append-days <n>  continue a partitioned dataset in --out with n new days (same users, late
                     corrections, one earlier day replaced by a corrected file); alone, it generates
                     nothing else
  -h, --help         show this help`;

/** What the command line asks for: the help text, or a dataset. */
export type DataCommand = { help: true } | {
  help: false;
  options: GenerateDatasetOptions;
  /** `--partition-by day`: split the sessions into daily files. */
  partitionBy?: "day";
  /** `--append-days N`: append N days to the partitioned dataset in `outDir`. */
  appendDays?: number;
};

const INTEGER_OPTIONS = { seed: "seed", scale: "scale", users: "users", sessions: "sessions" } as const;

/**
 * Parses the arguments of `deno task data`.
 *
 * @throws {TypeError} with one sentence for the user (an unknown option, a missing or bad value).
 * @example
 * ```ts
 * parseDataArgs(["--scale", "10", "--messy"]);
 * // { help: false, options: { outDir: "data", scale: 10, messy: true } }
 * ```
 */
export function parseDataArgs(args: readonly string[]): DataCommand {
  // Help wins wherever it is, even after a bad option.
  if (args.includes("-h") || args.includes("--help")) return { help: true };
  const options: GenerateDatasetOptions = { outDir: "data" };
  let partitionBy: "day" | undefined;
  let appendDays: number | undefined;
  for (let at = 0; at < args.length; at++) {
    const arg = args[at];
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (match === null) throw new TypeError(`Unexpected argument "${arg}" (see --help)`);
    const [, name, inline] = match;
    if (name === "messy") {
      if (inline !== undefined) throw new TypeError(`--messy takes no value (got "${inline}")`);
      options.messy = true;
      continue;
    }
    if (name === "partition-by" || name === "append-days") {
      const value = inline ?? args[++at];
      if (value === undefined || (inline === undefined && value.startsWith("--"))) {
        throw new TypeError(`--${name} needs a value`);
      }
      if (name === "partition-by") {
        if (value !== "day") throw new TypeError(`--partition-by takes "day" (got "${value}")`);
        partitionBy = "day";
      } else appendDays = parseInteger(name, value);
      continue;
    }
    if (name !== "out" && !(name in INTEGER_OPTIONS)) {
      throw new TypeError(`Unknown option "--${name}" (see --help)`);
    }
    const value = inline ?? args[++at];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      throw new TypeError(`--${name} needs a value`);
    }
    if (name === "out") {
      if (value === "") throw new TypeError("--out needs a value");
      options.outDir = value;
    } else {
      options[INTEGER_OPTIONS[name as keyof typeof INTEGER_OPTIONS]] = parseInteger(name, value);
    }
  }
  return {
    help: false,
    options,
    ...(partitionBy ? { partitionBy } : {}),
    ...(appendDays !== undefined ? { appendDays } : {}),
  };
}

/** A decimal integer: positive for sizes, zero allowed for the seed. */
function parseInteger(name: string, text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  const least = name === "seed" ? 0 : 1;
  if (!Number.isSafeInteger(value) || value < least) {
    const kind = name === "seed" ? "a non-negative integer" : "a positive integer";
    throw new TypeError(`--${name} must be ${kind} (got "${text}")`);
  }
  return value;
}
