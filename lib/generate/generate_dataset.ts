import { join } from "node:path";
import { DATASET_PROFILE } from "./dataset_profile.ts";
import { generateContent } from "./generate_content.ts";
import type { CsvFileManifest, DatasetManifest, DefectSummary } from "./manifest.ts";
import { MESSY_RATES } from "./messy_rates.ts";
import { defectCounts } from "./plan_defects.ts";
import { SessionSampler } from "./session_sampler.ts";
import { UserTable } from "./user_table.ts";
import { writeContentFile } from "./write_content_file.ts";
import { writeSessionsFile } from "./write_sessions_file.ts";
import { writeUsersFile } from "./write_users_file.ts";

/** Options of {@linkcode generateDataset}. */
export interface GenerateDatasetOptions {
  /** Folder to write the files into; created when missing. */
  outDir: string;
  /**
   * Seed of every random choice: the same options give byte-identical files.
   * @default 42
   */
  seed?: number;
  /**
   * Multiplies the number of users and sessions (content is not scaled).
   * @default 1
   */
  scale?: number;
  /**
   * Clean users to generate; tests set a small number.
   * @default 5000 * scale
   */
  users?: number;
  /**
   * Clean sessions to generate; tests set a small number.
   * @default 222785 * scale
   */
  sessions?: number;
  /**
   * Injects every defect kind of the data contract (see `MESSY_RATES`) and records the expected outcome in
   * `manifest.json`.
   * @default false
   */
  messy?: boolean;
}

/** One file written by {@linkcode generateDataset}. */
export interface GeneratedFile {
  path: string;
  /** Data lines of a CSV file, documents of `content.json`; absent for `manifest.json`. */
  rows?: number;
  bytes: number;
}

/** What {@linkcode generateDataset} wrote. */
export interface GeneratedDataset {
  /** `users.csv`, `content.json`, `viewing_sessions.csv` and `manifest.json`, in that order. */
  files: GeneratedFile[];
  manifest: DatasetManifest;
}

/**
 * Generates `users.csv`, `content.json` and `viewing_sessions.csv` into `outDir`, plus `manifest.json` with the
 * expected outcome of loading them. Sessions are streamed to disk in big chunks: memory stays bounded
 * whatever the scale (the users are kept, in typed arrays, since sessions refer to them).
 *
 * @throws {RangeError} for a bad option, or a messy dataset too small to hold every defect kind.
 * @example
 * ```ts
 * const { manifest } = await generateDataset({ outDir: "data", messy: true });
 * manifest.files["viewing_sessions.csv"].rejected.unknown_user; // 223
 * ```
 */
export async function generateDataset(options: GenerateDatasetOptions): Promise<GeneratedDataset> {
  const {
    outDir,
    seed = 42,
    scale = 1,
    users: userCount = DATASET_PROFILE.users * scale,
    sessions: sessionCount = DATASET_PROFILE.sessions * scale,
    messy = false,
  } = options;
  if (typeof outDir !== "string" || outDir === "") throw new TypeError("outDir must be a non-empty path");
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative integer (got ${seed})`);
  }
  for (const [name, value] of [["scale", scale], ["users", userCount], ["sessions", sessionCount]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer (got ${value})`);
    }
  }

  if (messy) {
    // Fail before any file is touched.
    defectCounts(MESSY_RATES.users, userCount, "users");
    defectCounts(MESSY_RATES.sessions, sessionCount, "sessions");
  }

  await Deno.mkdir(outDir, { recursive: true });
  const paths = {
    users: join(outDir, "users.csv"),
    content: join(outDir, "content.json"),
    sessions: join(outDir, "viewing_sessions.csv"),
    manifest: join(outDir, "manifest.json"),
  };
  const table = UserTable.generate(userCount, seed);
  const catalog = generateContent(seed);
  const users = await writeUsersFile(paths.users, table, { seed, messy });
  const content = await writeContentFile(paths.content, catalog, { seed, messy });
  const sampler = new SessionSampler(table, catalog, seed, { sessions: sessionCount });
  const sessions = await writeSessionsFile(paths.sessions, sampler, table, {
    seed,
    count: sessionCount,
    messy,
  });

  const byFile = {
    "users.csv": users.defects,
    "viewing_sessions.csv": sessions.defects,
    "content.json": content.defects,
  };
  const manifest: DatasetManifest = {
    seed,
    scale,
    messy,
    users: userCount,
    sessions: sessionCount,
    files: {
      "users.csv": users.manifest,
      "viewing_sessions.csv": sessions.manifest,
      "content.json": content.manifest,
    },
    defects: summarizeDefects(byFile, {
      "users.csv": users.manifest,
      "viewing_sessions.csv": sessions.manifest,
    }),
  };
  const manifestBytes = new TextEncoder().encode(`${manifestJson(manifest)}\n`);
  await Deno.writeFile(paths.manifest, manifestBytes);
  return {
    files: [
      { path: paths.users, rows: users.manifest.rows, bytes: users.bytes },
      { path: paths.content, rows: content.manifest.documents, bytes: content.bytes },
      { path: paths.sessions, rows: sessions.manifest.rows, bytes: sessions.bytes },
      { path: paths.manifest, bytes: manifestBytes.byteLength },
    ],
    manifest,
  };
}

/** Totals per defect kind over all files, and the files written with CRLF line ends or a BOM. */
function summarizeDefects(
  byFile: Record<string, Record<string, number>>,
  csvFiles: Record<string, CsvFileManifest>,
): DefectSummary {
  const names = Object.keys(csvFiles);
  const totals: Record<string, number> = { header_variants: 0, reordered_columns: 0 };
  for (const counts of Object.values(byFile)) {
    for (const [kind, count] of Object.entries(counts)) totals[kind] = (totals[kind] ?? 0) + count;
  }
  return {
    header_variants: totals.header_variants,
    reordered_columns: totals.reordered_columns,
    crlf: names.filter((name) => csvFiles[name].line_end === "CRLF"),
    bom: names.filter((name) => csvFiles[name].bom),
    ...totals,
    by_file: byFile,
  };
}

/** Indented JSON, with lists of numbers and names kept on one line: line-number lists stay readable. */
function manifestJson(manifest: DatasetManifest): string {
  return JSON.stringify(manifest, null, 2).replace(
    /\[\n\s+([^[\]{}]*?)\n\s*\]/g,
    (_, items: string) => `[${items.split(/,\n\s+/).join(", ")}]`,
  );
}
