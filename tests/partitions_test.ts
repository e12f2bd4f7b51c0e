/**
 * Partitioned sessions: after sequences of appends, late corrections, replaced and emptied days, removed
 * files and backfills, loaded incrementally, every derived table equals a `--full-refresh` on the same files
 * in a new warehouse. SQLite always, MariaDB when available (required in CI).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { appendDays, generateDataset, partitionSessionsByDay, Random } from "../lib/generate/mod.ts";
import {
  openWorkbench,
  type PartitionedDetails,
  runWorkbench,
  type Workbench,
} from "../lib/pipelines/mod.ts";
import type { RunResult } from "../lib/dag/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

const TABLES: Record<string, string> = {
  viewing_sessions: "session_id",
  user_metrics: "user_id",
  stats_device_usage: "device_type",
  stats_country_device: "country, device_type",
  stats_month_device: "month, device_type",
  stats_subscription_device: "subscription_type, device_type",
  stats_country_minutes: "country",
  stats_country_genre: "country, genre",
  stats_country_top_content: "country, place",
  part_session_cube: "country, subscription_type, device_type, month",
  part_content_cube: "country, content_id",
  part_user_device_cube: "user_id, device_type",
};

let base: Promise<string> | undefined;
/** A small partitioned dataset, generated once. */
function baseDataset(): Promise<string> {
  base ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "etl_partitions_" });
    await generateDataset({ outDir: dir, seed: 5, users: 120, sessions: 3_000 });
    await partitionSessionsByDay(dir);
    return dir;
  })();
  return base;
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyDir(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

async function run(wb: Workbench, dataDir: string, extra: Partial<Parameters<typeof runWorkbench>[1]> = {}) {
  const result = await runWorkbench(wb, { dataDir, missingWatchDateLimit: 1, ...extra });
  const failed = result.nodes.filter((n) => n.status !== "success");
  assert.deepEqual(failed.map((n) => `${n.nodeId}: ${n.error}`), [], "every node succeeds");
  return result;
}

const skipped = (result: RunResult, node: string) =>
  (result.nodes.find((n) => n.nodeId === node)!.details as { skipped?: boolean }).skipped;
const details = (result: RunResult) =>
  result.nodes.find((n) => n.nodeId === "process_sessions")!.details as unknown as PartitionedDetails;

async function snapshot(wb: Workbench): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const rows = await wb.warehouse.query<Record<string, unknown>>(
      `SELECT * FROM ${table} ORDER BY ${order}`,
    );
    out[table] = rows.map((r) =>
      JSON.stringify(Object.keys(r).sort().map((k) => (typeof r[k] === "number" ? Number(r[k]) : r[k])))
    );
  }
  return out;
}

const dayPath = (dir: string, day: string) => join(dir, "viewing_sessions", `${day}.csv`);
async function days(dir: string): Promise<string[]> {
  const names = [];
  for await (const e of Deno.readDir(join(dir, "viewing_sessions"))) names.push(e.name.replace(/\.csv$/, ""));
  return names.sort();
}
async function readRows(path: string): Promise<{ header: string; rows: string[][] }> {
  const [header, ...lines] = (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "");
  return { header, rows: lines.map((l) => l.split(",")) };
}
const writeRows = (path: string, header: string, rows: string[][]) =>
  Deno.writeTextFile(path, [header, ...rows.map((r) => r.join(","))].join("\n") + "\n");

/** Restates every session of one user in a new, later day file with another device: the favourite moves. */
async function moveFavourite(
  wb: Workbench,
  dir: string,
): Promise<{ user: string; from: string; to: string }> {
  const [top] = await wb.warehouse.query<{ user_id: string; favorite_device: string }>(
    "SELECT user_id, favorite_device FROM user_metrics WHERE total_sessions >= 3 ORDER BY user_id LIMIT 1",
  );
  const to = top.favorite_device === "Tablet" ? "Smart TV" : "Tablet";
  const all = await days(dir);
  const restated: string[][] = [];
  let header = "";
  for (const day of all) {
    const file = await readRows(dayPath(dir, day));
    header = file.header;
    for (const row of file.rows) if (row[1] === top.user_id) restated.push([...row.slice(0, 6), to, row[7]]);
  }
  await writeRows(dayPath(dir, "2024-12-31"), header, restated);
  return { user: top.user_id, from: top.favorite_device, to };
}

/** Seeded corrections of one day: some rows dropped, some durations and devices changed. */
async function correctDay(dir: string, day: string, random: Random): Promise<void> {
  const { header, rows } = await readRows(dayPath(dir, day));
  const kept = rows.filter(() => !random.chance(0.2)).map((r) =>
    random.chance(0.3) ? [r[0], r[1], r[2], r[3], String(random.int(1, 300)), r[5], "Desktop", r[7]] : r
  );
  await writeRows(dayPath(dir, day), header, kept);
}

/** Deletes the rows of `sessions` from every day file that has them (a replaced day without them). */
async function dropSessions(dir: string, sessions: ReadonlySet<string>): Promise<string[]> {
  const changed = [];
  for (const day of await days(dir)) {
    const { header, rows } = await readRows(dayPath(dir, day));
    const kept = rows.filter((r) => !sessions.has(r[0]));
    if (kept.length === rows.length) continue;
    await writeRows(dayPath(dir, day), header, kept);
    changed.push(day);
  }
  return changed;
}

interface Metrics {
  user_id: string;
  total_sessions: number;
  favorite_device: string | null;
  first_activity: string | null;
  last_activity: string | null;
}
const metricsOf = async (wb: Workbench, user: string) =>
  (await wb.warehouse.query<Metrics>("SELECT * FROM user_metrics WHERE user_id = ?", [user]))[0];
const userCells = (result: RunResult) => details(result).userCells!;

/**
 * Replaced days that take away a user's last session (the stored last activity must be read again from the
 * user's other sessions on that device) and every session of another user (the user keeps a row of zeros).
 */
async function dropLastAndOnly(wb: Workbench, dir: string, random: Random): Promise<void> {
  const candidates = await wb.warehouse.query<Metrics>(
    "SELECT * FROM user_metrics WHERE total_sessions >= 3 ORDER BY user_id",
  );
  const user = candidates[random.int(0, candidates.length - 1)];
  const [latest] = await wb.warehouse.query<{ session_id: string; watch_date: string }>(
    `SELECT session_id, watch_date FROM viewing_sessions WHERE user_id = ? AND watch_date IS NOT NULL
     ORDER BY watch_date DESC, session_id LIMIT 1`,
    [user.user_id],
  );
  const [{ n: same }] = await wb.warehouse.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM viewing_sessions WHERE user_id = ? AND watch_date = ?",
    [user.user_id, latest.watch_date],
  );
  assert.ok((await dropSessions(dir, new Set([latest.session_id]))).length > 0);
  const result = await run(wb, dir);
  assert.equal(details(result).refresh, "incremental");
  assert.ok(userCells(result).datesReread >= 1, "the removed last session's cell is read again");
  const after = await metricsOf(wb, user.user_id);
  assert.equal(Number(after.total_sessions), Number(user.total_sessions) - 1);
  if (Number(same) === 1) {
    assert.ok(after.last_activity! < latest.watch_date, `${user.user_id}'s last activity moved back`);
  }

  // Every session of a user with few: the user's cells are deleted, the metrics row stays with zeros.
  const few = await wb.warehouse.query<Metrics>(
    "SELECT * FROM user_metrics WHERE total_sessions BETWEEN 1 AND 3 ORDER BY user_id",
  );
  const gone = few[random.int(0, few.length - 1)];
  const ids = await wb.warehouse.query<{ session_id: string }>(
    "SELECT session_id FROM viewing_sessions WHERE user_id = ?",
    [gone.user_id],
  );
  await dropSessions(dir, new Set(ids.map((r) => r.session_id)));
  const emptied = await run(wb, dir);
  assert.ok(userCells(emptied).deleted >= 1, "the user's cells are deleted");
  const zero = await metricsOf(wb, gone.user_id);
  assert.deepEqual(
    [Number(zero.total_sessions), zero.favorite_device, zero.first_activity, zero.last_activity],
    [0, null, null, null],
    `${gone.user_id} has no session left`,
  );
  const [{ n: cells }] = await wb.warehouse.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM part_user_device_cube WHERE user_id = ?",
    [gone.user_id],
  );
  assert.equal(Number(cells), 0);
}

async function emptyDay(dir: string, day: string): Promise<void> {
  const { header } = await readRows(dayPath(dir, day));
  await writeRows(dayPath(dir, day), header, []);
}

/** Runs one seeded sequence incrementally, then a full refresh in a new warehouse, and compares. */
async function sequence(
  open: (name: string) => Promise<Workbench>,
  name: string,
  seed: number,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: `etl_seq_${name}_` });
  await copyDir(await baseDataset(), dir);
  const random = new Random(seed, "sequence");
  await using wb = await open(`${name}_inc`);
  const first = await run(wb, dir, { fresh: true });
  assert.equal(details(first).refresh, "full", "the first partitioned load is a full one");

  // Nothing new: every file skipped, nothing read.
  const idle = await run(wb, dir);
  assert.equal(details(idle).refresh, "unchanged");
  assert.equal(details(idle).files.new + details(idle).files.changed, 0);
  assert.equal(idle.nodes.find((n) => n.nodeId === "process_sessions")!.rowsRead, 0);
  assert.equal(
    (idle.nodes.find((n) => n.nodeId === "process_users")!.details as { skipped?: boolean }).skipped,
    true,
  );
  for (const node of ["generate_stats", "cross_store_stats"]) {
    assert.equal(skipped(idle, node), true, `${node} has nothing to redo`);
  }

  const steps = [
    async () => void await appendDays(dir, 1 + random.int(0, 2), seed),
    async () => await correctDay(dir, (await days(dir))[random.int(0, 50)], random),
    async () => await emptyDay(dir, (await days(dir))[random.int(51, 100)]),
    async () => await Deno.remove(dayPath(dir, (await days(dir))[random.int(101, 150)])),
    async () => void await appendDays(dir, 2, seed + 1),
  ];
  // Seeded order of the steps: the result must not depend on it.
  for (let i = steps.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [steps[i], steps[j]] = [steps[j], steps[i]];
  }
  for (const step of steps) {
    await step();
    const result = await run(wb, dir);
    assert.equal(details(result).refresh, "incremental");
    assert.ok(details(result).files.unchanged > 100, "most files are skipped");
  }
  // A load whose aggregation did not run (here: --only up to process_sessions): the next run, with no new
  // file, still recomputes the users it touched.
  await appendDays(dir, 1, seed + 2, { replace: false });
  const loadOnly = [
    "validate_files",
    "create_schema",
    "load_dimensions",
    "process_users",
    "process_sessions",
  ];
  assert.equal(details(await run(wb, dir, { only: loadOnly })).refresh, "incremental");
  const catchUp = await run(wb, dir);
  assert.equal(details(catchUp).refresh, "unchanged");
  const aggregation = catchUp.nodes.find((n) => n.nodeId === "create_aggregations")!;
  assert.equal((aggregation.details as { refresh: string }).refresh, "incremental");
  assert.ok(aggregation.rowsRead > 0, "the users left pending are recomputed");
  for (const node of ["generate_stats", "cross_store_stats"]) {
    assert.equal(skipped(catchUp, node), undefined, `${node} rolls up the load it missed`);
  }

  await dropLastAndOnly(wb, dir, random);

  const moved = await moveFavourite(wb, dir);
  const afterMove = await run(wb, dir);
  assert.equal(details(afterMove).files.new, 1);
  const [metrics] = await wb.warehouse.query<{ favorite_device: string }>(
    "SELECT favorite_device FROM user_metrics WHERE user_id = ?",
    [moved.user],
  );
  assert.equal(metrics.favorite_device, moved.to, `the correction moved ${moved.user}'s favourite device`);

  // A backfill of a range reloads exactly its files.
  const all = await days(dir);
  const backfill = await run(wb, dir, { partitions: [all[10], all[14]] });
  assert.deepEqual(details(backfill).partitions.map((p) => p.partition), all.slice(10, 15));

  const checks = await wb.warehouse.query<{ check_name: string; status: string }>(
    "SELECT check_name, status FROM etl_checks WHERE run_id = ? ORDER BY check_name",
    [backfill.runId],
  );
  for (
    const name of [
      "reconcile_partitions",
      "user_metrics_equals_full_refresh",
      "part_session_cube_equals_full_refresh",
    ]
  ) {
    assert.equal(checks.find((c) => c.check_name === name)?.status, "pass", name);
  }

  const incremental = await snapshot(wb);
  await using full = await open(`${name}_full`);
  const refresh = await run(full, dir, { fresh: true, fullRefresh: true });
  assert.equal(details(refresh).refresh, "full");
  const expected = await snapshot(full);
  for (const table of Object.keys(TABLES)) {
    assert.ok(expected[table].length > 0, `${table} has rows`);
    assert.deepEqual(
      incremental[table],
      expected[table],
      `${table} equals a full refresh (sequence ${name})`,
    );
  }
  // And a --full-refresh in the same warehouse changes nothing.
  await run(wb, dir, { fullRefresh: true });
  assert.deepEqual(
    await snapshot(wb),
    incremental,
    `a full refresh in place changes nothing (sequence ${name})`,
  );
}

Deno.test("partitioned sessions on SQLite: incremental runs equal a full refresh", async (t) => {
  const state = await Deno.makeTempDir({ prefix: "etl_part_sqlite_" });
  const open = (name: string) =>
    openWorkbench({
      warehouseUrl: `sqlite:${join(state, `${name}.db`)}`,
      docstoreUrl: `embedded:${join(state, `${name}_docs`)}`,
      stateDir: state,
    });
  for (const seed of [1, 2, 3]) {
    await t.step(`sequence ${seed}`, () => sequence(open, `s${seed}`, seed));
  }
});

integrationTest("mysql", {
  name: "partitioned sessions on MariaDB: incremental runs equal a full refresh",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url, t) => {
  const state = await Deno.makeTempDir({ prefix: "etl_part_mysql_" });
  const open = (name: string) =>
    openWorkbench({
      warehouseUrl: uniqueDatabaseUrl(url, `part_${name}`),
      docstoreUrl: `embedded:${join(state, `${name}_docs`)}`,
      stateDir: state,
    });
  for (const seed of [1, 2]) {
    await t.step(`sequence ${seed}`, async () => {
      await sequence((name) => open(`${seed}_${name}`), `m${seed}`, seed);
    });
  }
});
