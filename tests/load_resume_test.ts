/**
 * `--resume` of a chunked load: `deno task etl` killed with SIGKILL mid-`process_sessions` (small chunks,
 * through the URL's `max-transaction-rows`), then run again with `--resume`, goes on at the line after the
 * last committed chunk, and the tables equal those of uninterrupted runs. Both ways a file loads: into the
 * empty table (direct) and staged then upserted (a rerun of other data). On the single MariaDB and on the
 * Galera cluster of `.ci/galera.sh`, where the staging table is node-local (Aria, not replicated).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { DATA_TABLES } from "../lib/pipelines/mod.ts";
import { openWarehouse, type Warehouse } from "../lib/warehouse/mod.ts";
import { integrationTest, type ServerKind, uniqueDatabaseUrl } from "./_servers.ts";

const ETL = new URL("../tasks/etl.ts", import.meta.url).pathname;
const decoder = new TextDecoder();
/** Rows per committed chunk: the 40,000 sessions load in 20 chunks. */
const CHUNK_ROWS = 2000;
/** The kill comes once a chunk past this line has committed. */
const KILL_AFTER_LINE = 8000;

interface Progress {
  mode: string;
  phase: string;
  next_line: number;
  rows_committed: number;
  stage_table: string;
  stage_node: string | null;
}

async function progressOf(wh: Warehouse, file: string): Promise<Progress | undefined> {
  const [row] = await wh.query<Progress>(
    `SELECT mode, phase, next_line, rows_committed, stage_table, stage_node FROM etl_load_progress
     WHERE file = ?`,
    [file],
  );
  return row;
}

interface EtlRun {
  code: number;
  killed: boolean;
  stdout: string;
  output: string;
}

/**
 * Runs `tasks/etl.ts`; with `killWhen`, polls the warehouse every 50 ms and sends SIGKILL as soon as the
 * stored progress satisfies it.
 */
async function etl(
  args: string[],
  killWhen?: { url: string; when: (p: Progress | undefined) => boolean },
): Promise<EtlRun> {
  const child = new Deno.Command(Deno.execPath(), {
    // A killed run keeps its lease until its heartbeat is stale: the next run waits for it, 3 s at most.
    args: ["run", "-A", ETL, "--wait", "--lease-timeout", "3", ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", NO_LIVE_PROGRESS: "1", TZ: "UTC" },
  }).spawn();
  let stdout = "";
  let output = "";
  const readOut = (async () => {
    for await (const chunk of child.stdout) stdout += decoder.decode(chunk, { stream: true });
  })();
  const readErr = (async () => {
    for await (const chunk of child.stderr) output += decoder.decode(chunk, { stream: true });
  })();
  let killed = false;
  let done = false;
  const status = child.status.then((s) => {
    done = true;
    return s;
  });
  if (killWhen) {
    await using wh = await openWarehouse(killWhen.url);
    // Bounded: 120 s of polling at most.
    for (let i = 0; i < 2400 && !done; i++) {
      const progress = await progressOf(wh, "viewing_sessions.csv").catch(() => undefined);
      if (killWhen.when(progress)) {
        try {
          child.kill("SIGKILL");
          killed = true;
        } catch { /* it already ended */ }
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const ended = await status;
  await Promise.all([readOut, readErr]);
  return { code: ended.code, killed: killed && ended.signal === "SIGKILL", stdout, output: stdout + output };
}

/** Every data table's rows in key order, as one digest per table (numbers rounded to 4 decimals). */
async function checksums(url: string): Promise<Record<string, string>> {
  await using wh = await openWarehouse(url);
  const sums: Record<string, string> = {};
  for (const table of DATA_TABLES) {
    if (table.name.startsWith("stage_")) continue;
    const rows = await wh.query(`SELECT * FROM ${table.name} ORDER BY ${table.primaryKey.join(", ")}`);
    const text = JSON.stringify(rows, (_, v) => typeof v === "number" ? Math.round(v * 1e4) / 1e4 : v);
    sums[table.name] = `${rows.length}:${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
  }
  return sums;
}

/** Drops every table of the URL's database: runs, leases and progress included. */
async function emptyDatabase(url: string): Promise<void> {
  await using wh = await openWarehouse(url);
  const tables = await wh.query<{ name: string }>(wh.sql.catalog.tablesSql);
  for (const { name } of tables) await wh.execute(wh.sql.dropTable(name));
}

const withChunks = (url: string) =>
  `${url}${url.includes("?") ? "&" : "?"}max-transaction-rows=${CHUNK_ROWS}`;

async function killAndResume(kind: ServerKind, url: string, t: Deno.TestContext): Promise<void> {
  const state = await Deno.makeTempDir({ prefix: `etl_resume_${kind}_` });
  const first = join(state, "first");
  const second = join(state, "second");
  await generateDataset({ outDir: first, seed: 21, users: 1200, sessions: 40_000 });
  await generateDataset({ outDir: second, seed: 22, users: 1200, sessions: 40_000 });
  const killedUrl = withChunks(uniqueDatabaseUrl(url, `resume_${kind}`));
  const referenceUrl = withChunks(uniqueDatabaseUrl(url, `resume_${kind}_ref`));
  // The test's own reads: on a cluster, causal (a node that took over may not have applied the last commits).
  const readUrl = kind === "galera" ? `${killedUrl}&wsrep_sync_wait=1` : killedUrl;
  await emptyDatabase(killedUrl);
  await emptyDatabase(referenceUrl);
  const args = (warehouse: string, data: string, name: string) => [
    "--data",
    data,
    "--warehouse",
    warehouse,
    "--docstore",
    `embedded:${join(state, `docs_${name}`)}`,
    "--state-dir",
    join(state, name),
    "--batch-size",
    "500",
    "--missing-watch-date-limit",
    "100",
  ];
  const loads = [
    { what: "a first load (direct into the empty table)", data: first, mode: "direct" },
    { what: "a rerun of other data (staged, then upserted)", data: second, mode: "staged" },
  ];
  for (const load of loads) {
    await t.step(`${load.what}: killed mid-process_sessions, --resume goes on at a later line`, async () => {
      const killed = await etl(args(killedUrl, load.data, "killed"), {
        url: readUrl,
        when: (p) => p !== undefined && p.mode === load.mode && p.next_line > KILL_AFTER_LINE,
      });
      assert.equal(killed.killed, true, `the run was killed mid-load:\n${killed.output}`);
      let stopped: Progress | undefined;
      {
        await using wh = await openWarehouse(readUrl);
        stopped = await progressOf(wh, "viewing_sessions.csv");
      }
      assert.ok(stopped, "the killed run left its progress");
      assert.equal(stopped.mode, load.mode);
      assert.ok(stopped.next_line > KILL_AFTER_LINE, `stopped at line ${stopped.next_line}`);
      assert.ok(stopped.rows_committed >= CHUNK_ROWS);
      if (kind === "galera" && load.mode === "staged") {
        assert.equal(stopped.stage_table, "stage_sessions_local", "staged into the node-local table");
        assert.ok(stopped.stage_node, "on a named node");
      }

      const resumed = await etl([...args(killedUrl, load.data, "killed"), "--resume", "--json"]);
      assert.equal(resumed.code, 0, resumed.output);
      const said = /resuming viewing_sessions\.csv at line (\d+)/.exec(resumed.output);
      assert.ok(said, `the log says where it resumes:\n${resumed.output}`);
      assert.equal(Number(said[1]), stopped.next_line);
      const summary = JSON.parse(resumed.stdout) as {
        nodes: { nodeId: string; status: string; rowsRead: number; details?: Record<string, unknown> }[];
      };
      const sessions = summary.nodes.find((n) => n.nodeId === "process_sessions");
      assert.ok(sessions, "process_sessions ran again");
      assert.equal(sessions.status, "success");
      assert.equal(sessions.rowsRead, 40_000, "every row is counted, the skipped ones too");
      const details = sessions.details as {
        mode: string;
        rowsRead: number;
        loaded: number;
        rejected: number;
        duplicates: number;
        resumedAt?: { line: number; rowsCommitted: number };
      };
      assert.equal(details.mode, load.mode);
      assert.equal(details.resumedAt?.line, stopped.next_line);
      assert.equal(details.resumedAt?.rowsCommitted, stopped.rows_committed);
      assert.equal(details.rowsRead, details.loaded + details.rejected + details.duplicates);
      assert.equal(
        summary.nodes.find((n) => n.nodeId === "validate_data")?.status,
        "success",
        "validate_data's reconciliation passes after a resume",
      );
      await using wh = await openWarehouse(readUrl);
      assert.equal(await progressOf(wh, "viewing_sessions.csv"), undefined, "the progress is gone");

      const reference = await etl(args(referenceUrl, load.data, "reference"));
      assert.equal(reference.code, 0, reference.output);
      assert.doesNotMatch(reference.output, /resuming/);
    });
  }
  await t.step("the tables equal those of the uninterrupted runs", async () => {
    const got = await checksums(killedUrl);
    assert.ok(Object.keys(got).length >= 10, "every data table is compared");
    assert.deepEqual(got, await checksums(referenceUrl));
  });
  await Deno.remove(state, { recursive: true });
}

for (const kind of ["mysql", "galera"] as const) {
  integrationTest(kind, {
    name: `kill -9 of etl mid-process_sessions with small chunks, then --resume (${kind})`,
    sanitizeOps: false,
    sanitizeResources: false,
  }, (url, t) => killAndResume(kind, url, t));
}
