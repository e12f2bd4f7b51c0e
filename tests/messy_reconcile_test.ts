/**
 * Reconciles a `--messy` dataset with its manifest: reading it with the project's extract and contract code
 * must give exactly the rejects (per reason and line), duplicates, coercions and missing watch dates that
 * the generator says it injected. A mismatch is a bug in the generator or in the contract code.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type HeaderKind,
  readContentDocuments,
  resolveHeader,
  rowFromValues,
  type RowResult,
  validateContent,
  validateSession,
  validateUser,
} from "../lib/contract/mod.ts";
import { openCsv, readContentFile } from "../lib/extract/mod.ts";
import { type CsvFileManifest, generateDataset } from "../lib/generate/mod.ts";

/** What reading one CSV file gave, in the manifest's terms. */
interface Observed {
  outcome: Omit<CsvFileManifest, "header" | "line_end" | "bom" | "loaded">;
  loadedKeys: Set<string>;
}

interface Winner {
  coerced: string[];
  missingWatchDate: boolean;
}

/** Reads a CSV file like the pipeline does, keeping the last accepted row per key. */
async function observeCsv(
  path: string,
  kind: HeaderKind,
  key: string,
  validate: (raw: Record<string, string | undefined>) => RowResult<Record<string, unknown>>,
  reasons: readonly string[],
): Promise<Observed> {
  await using csv = await openCsv(path, { batchSize: 997 });
  const header = resolveHeader(kind, csv.header, csv.file);
  const rejectLines: Record<string, number[]> = Object.fromEntries(reasons.map((reason) => [reason, []]));
  const duplicateLines: number[] = [];
  const winners = new Map<string, Winner & { line: number }>();
  let rows = 0;
  for await (const { records, malformed } of csv.batches()) {
    rows += records.length + malformed.length;
    for (const record of malformed) rejectLines.malformed.push(record.line);
    for (const record of records) {
      const result = validate(rowFromValues(header, record.values));
      if (!result.ok) {
        (rejectLines[result.reject.reason] ??= []).push(record.line);
        continue;
      }
      const id = String(result.record[key]);
      const previous = winners.get(id);
      if (previous !== undefined) duplicateLines.push(previous.line);
      const missingWatchDate = kind === "sessions" && result.record.watch_date === null;
      winners.set(id, { line: record.line, coerced: result.coerced, missingWatchDate });
    }
  }
  const coerced: Record<string, number> = {};
  let missingWatchDate = 0;
  for (const winner of winners.values()) {
    for (const field of winner.coerced) coerced[field] = (coerced[field] ?? 0) + 1;
    if (winner.missingWatchDate) missingWatchDate++;
  }
  for (const lines of Object.values(rejectLines)) lines.sort((a, b) => a - b);
  duplicateLines.sort((a, b) => a - b);
  return {
    outcome: {
      rows,
      duplicates: duplicateLines.length,
      ...(kind === "sessions" ? { missing_watch_date: missingWatchDate } : {}),
      rejected: Object.fromEntries(
        Object.entries(rejectLines).map(([reason, lines]) => [reason, lines.length]),
      ),
      coerced,
      reject_lines: rejectLines,
      duplicate_lines: duplicateLines,
    },
    loadedKeys: new Set(winners.keys()),
  };
}

/** The manifest entry without what reading cannot observe, and without coerced fields counted zero. */
function expected(manifest: CsvFileManifest): Observed["outcome"] {
  const { header: _h, line_end: _e, bom: _b, loaded: _l, coerced, ...rest } = manifest;
  return { ...rest, coerced: Object.fromEntries(Object.entries(coerced).filter(([, count]) => count > 0)) };
}

/** The default messy dataset (scale 1, about a second) and a small one with another seed. */
const CASES = [
  { name: "seed 42, scale 1", seed: 42 },
  { name: "seed 7, 1,500 users, 40,000 sessions", seed: 7, users: 1500, sessions: 40_000 },
];

for (const { name, ...sizes } of CASES) {
  Deno.test(`messy dataset (${name}) reconciles with its manifest through extract and contract`, async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "messy_reconcile_" });
    try {
      const { manifest } = await generateDataset({ outDir: dir, messy: true, ...sizes });
      const files = manifest.files;
      let knownUsers = new Set<string>();

      await t.step("users.csv", async () => {
        const observed = await observeCsv(
          join(dir, "users.csv"),
          "users",
          "user_id",
          (raw) => validateUser(raw) as RowResult<Record<string, unknown>>,
          ["missing_key", "malformed"],
        );
        assert.deepEqual(observed.outcome, expected(files["users.csv"]));
        assert.equal(observed.loadedKeys.size, files["users.csv"].loaded);
        assert.equal(observed.loadedKeys.size, manifest.users, "every generated user is loaded");
        knownUsers = observed.loadedKeys;
      });

      await t.step("viewing_sessions.csv", async () => {
        const observed = await observeCsv(
          join(dir, "viewing_sessions.csv"),
          "sessions",
          "session_id",
          (raw) =>
            validateSession(raw, { isKnownUser: (id) => knownUsers.has(id) }) as RowResult<
              Record<string, unknown>
            >,
          ["malformed", "missing_key", "unknown_user", "bad_duration", "bad_completion"],
        );
        assert.deepEqual(observed.outcome, expected(files["viewing_sessions.csv"]));
        assert.equal(observed.loadedKeys.size, files["viewing_sessions.csv"].loaded);
      });

      await t.step("content.json", async () => {
        const entries = readContentDocuments(await readContentFile(join(dir, "content.json")));
        const rejectIds: Record<string, string[]> = {};
        const loaded = new Set<string>();
        const duplicateIds: string[] = [];
        for (const { doc, type } of entries) {
          const result = validateContent(doc, type);
          if (!result.ok) {
            (rejectIds[result.reject.reason] ??= []).push(
              String((doc as { content_id?: unknown }).content_id),
            );
          } else if (loaded.has(result.record.content_id)) {
            duplicateIds.push(result.record.content_id);
          } else {
            loaded.add(result.record.content_id);
          }
        }
        const content = files["content.json"];
        assert.equal(entries.length, content.documents);
        assert.equal(loaded.size, content.loaded);
        assert.deepEqual(duplicateIds, content.duplicate_ids);
        assert.deepEqual(rejectIds, content.reject_ids);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
