/**
 * The corpus of bad inputs in `tests/fixtures/bad_inputs/`: each folder replaces some of `base/`'s files and
 * says in `expected.json` how every row or document must be accounted for (read = loaded + rejected +
 * duplicates, rejects by reason). Each is run through the whole DAG on SQLite and the embedded store, and on
 * MariaDB and FerretDB, which must agree; `validate_data` (its physical-line reconciliation included) must pass.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openWorkbench, type RunOptions, runWorkbench } from "../lib/pipelines/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

const CORPUS = new URL("./fixtures/bad_inputs/", import.meta.url).pathname;
const FILES = ["users.csv", "viewing_sessions.csv", "content.json"];

interface Accounting {
  read: number;
  loaded: number;
  rejected: number;
  duplicates: number;
  rejectedByReason: Record<string, number>;
}

interface Fixture {
  name: string;
  note: string;
  options: Pick<RunOptions, "encoding" | "maxLineBytes">;
  expected: Record<string, Accounting>;
  /** Writes generated files over the copied ones (inputs too big to keep in the repository). */
  write?: (dataDir: string) => Promise<void>;
}

async function fixtures(): Promise<Fixture[]> {
  const list: Fixture[] = [];
  for await (const entry of Deno.readDir(CORPUS)) {
    if (!entry.isDirectory || entry.name === "base") continue;
    const spec = JSON.parse(await Deno.readTextFile(join(CORPUS, entry.name, "expected.json")));
    list.push({ name: entry.name, ...spec });
  }
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

/** A data folder: the fixture's files, `base/`'s for the others. */
async function dataDirFor(fixture: Fixture, dir: string): Promise<string> {
  const data = join(dir, "data");
  await Deno.mkdir(data, { recursive: true });
  for (const file of FILES) {
    const own = join(CORPUS, fixture.name, file);
    const source = await Deno.stat(own).then(() => own, () => join(CORPUS, "base", file));
    await Deno.copyFile(source, join(data, file));
  }
  await fixture.write?.(data);
  return data;
}

/** Runs the fixture and returns each file's accounting as stored in the warehouse. */
async function account(
  fixture: Fixture,
  stores: { warehouseUrl?: string; docstoreUrl?: string },
): Promise<Record<string, Accounting>> {
  const dir = await Deno.makeTempDir({ prefix: `bad_${fixture.name}_` });
  try {
    const dataDir = await dataDirFor(fixture, dir);
    await using workbench = await openWorkbench({ ...stores, stateDir: dir });
    // The fixtures are bad on purpose: the reject-rate gate (tests/quality_gates_test.ts) must not stop them.
    const result = await runWorkbench(workbench, {
      dataDir,
      fresh: true,
      purge: true,
      maxRejectRate: 1,
      ...fixture.options,
    });
    const failed = result.nodes.filter((n) => n.status !== "success").map((n) => `${n.nodeId}: ${n.error}`);
    assert.deepEqual(failed, [], `${fixture.name}: every node succeeds`);
    const wh = workbench.warehouse;
    const out: Record<string, Accounting> = {};
    for (const file of Object.keys(fixture.expected)) {
      const [stats] = await wh.query<Record<string, number>>(
        "SELECT rows_read, rows_loaded, rows_rejected, rows_duplicate FROM etl_file_stats WHERE run_id = ? AND file = ?",
        [result.runId, file],
      );
      const reasons = await wh.query<{ reason: string; n: number }>(
        "SELECT reason, COUNT(*) AS n FROM etl_rejects WHERE run_id = ? AND file = ? GROUP BY reason ORDER BY reason",
        [result.runId, file],
      );
      out[file] = {
        read: Number(stats.rows_read),
        loaded: Number(stats.rows_loaded),
        rejected: Number(stats.rows_rejected),
        duplicates: Number(stats.rows_duplicate),
        rejectedByReason: Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)])),
      };
      // What a reject stores is capped (a prefix, the length and a hash), so no line can overflow a column.
      const [longest] = await wh.query<{ n: number | null }>(
        "SELECT MAX(LENGTH(raw)) AS n FROM etl_rejects WHERE run_id = ? AND file = ?",
        [result.runId, file],
      );
      assert.ok(
        Number(longest.n ?? 0) <= 4096 + 200,
        `${fixture.name}: ${file} rejects store at most ~4 KiB`,
      );
      const a = out[file];
      assert.equal(a.read, a.loaded + a.rejected + a.duplicates, `${fixture.name}: ${file} reconciles`);
    }
    if (fixture.expected["viewing_sessions.csv"] || fixture.expected["users.csv"]) {
      const checks = await wh.query<{ check_name: string; status: string }>(
        "SELECT check_name, status FROM etl_checks WHERE run_id = ? AND check_name LIKE 'lines_%'",
        [result.runId],
      );
      assert.deepEqual(
        checks.map((c) => c.status),
        ["pass", "pass"],
        `${fixture.name}: physical lines reconcile`,
      );
    }
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The reproduction's 50 MB value on line 3, with the default 1 MiB limit: generated, not stored. */
const HUGE_LINE: Fixture = {
  name: "huge_line_generated",
  note:
    "A 50 MB value on line 3: before, MariaDB failed process_sessions on every retry; SQLite accepted it.",
  options: {},
  expected: {
    "viewing_sessions.csv": {
      read: 50,
      loaded: 49,
      rejected: 1,
      duplicates: 0,
      rejectedByReason: { line_too_long: 1 },
    },
  },
  async write(dataDir) {
    const path = join(dataDir, "viewing_sessions.csv");
    const lines = (await Deno.readTextFile(path)).split("\n");
    const [id, user, content] = lines[2].split(",");
    using file = await Deno.open(path, { write: true, truncate: true });
    const encoder = new TextEncoder();
    await file.write(encoder.encode(`${lines[0]}\n${lines[1]}\n${id},${user},${content},2024-07-03,31.5,`));
    const block = encoder.encode("9".repeat(1 << 20));
    for (let i = 0; i < 50; i++) await file.write(block);
    await file.write(encoder.encode(`,Mobile,HD\n${lines.slice(3).join("\n")}`));
  },
};

const corpus = [...await fixtures(), HUGE_LINE];
const tally = { tried: 0, accounted: 0 };

Deno.test("bad inputs corpus: every row and document accounted for on SQLite and the embedded store", async (t) => {
  for (const fixture of corpus) {
    await t.step(`${fixture.name}: ${fixture.note}`, async () => {
      tally.tried++;
      assert.deepEqual(await account(fixture, {}), fixture.expected);
      tally.accounted++;
    });
  }
  console.log(`bad inputs: ${tally.accounted} of ${tally.tried} inputs accounted for, 0 rows lost`);
});

integrationTest("mysql", {
  name: "bad inputs corpus: the same accounting on MariaDB",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url, t) => {
  for (const fixture of corpus) {
    await t.step(fixture.name, async () => {
      const warehouseUrl = uniqueDatabaseUrl(url, `bad_inputs_${fixture.name}`);
      assert.deepEqual(await account(fixture, { warehouseUrl }), fixture.expected);
    });
  }
});

integrationTest("ferretdb", {
  name: "bad inputs corpus: content.json accounted for the same on FerretDB",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url, t) => {
  for (const fixture of corpus.filter((f) => f.expected["content.json"])) {
    await t.step(fixture.name, async () => {
      const docstoreUrl = uniqueDatabaseUrl(url, `bad_inputs_${fixture.name}`);
      assert.deepEqual(await account(fixture, { docstoreUrl }), fixture.expected);
    });
  }
});
