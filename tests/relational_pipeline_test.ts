/**
 * End-to-end runs of the whole DAG on generated datasets: SQLite always, MariaDB when available (required in
 * CI). Checks the reconciliation, reject counts against the generator's manifest, user_metrics against an
 * independent computation, equality between engines, and that a second run changes nothing.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { resolveHeader, rowFromValues, validateSession, validateUser } from "../lib/contract/mod.ts";
import { openCsv } from "../lib/extract/mod.ts";
import { generateDataset, type GeneratedDataset } from "../lib/generate/mod.ts";
import { DATA_TABLES, openWorkbench, runWorkbench, type Workbench } from "../lib/pipelines/mod.ts";
import type { RunResult } from "../lib/dag/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

const SIZES = { users: 400, sessions: 12_000 };

interface Fixture {
  dir: string;
  clean: GeneratedDataset;
  messy: GeneratedDataset;
}

let fixture: Promise<Fixture> | undefined;
/** Generates the two datasets once for every test of this file. */
function datasets(): Promise<Fixture> {
  fixture ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "etl_e2e_" });
    const clean = await generateDataset({ outDir: join(dir, "clean"), seed: 7, ...SIZES });
    const messy = await generateDataset({ outDir: join(dir, "messy"), seed: 11, messy: true, ...SIZES });
    return { dir, clean, messy };
  })();
  return fixture;
}

async function run(
  workbench: Workbench,
  dataDir: string,
  extra: Partial<Parameters<typeof runWorkbench>[1]> = {},
) {
  const result = await runWorkbench(workbench, {
    dataDir,
    batchSize: 700,
    missingWatchDateLimit: 1,
    ...extra,
  });
  const failed = result.nodes.filter((n) => n.status !== "success");
  assert.deepEqual(failed.map((n) => `${n.nodeId}: ${n.error}`), [], "every node succeeds");
  return result;
}

const node = (result: RunResult, id: string) => result.nodes.find((n) => n.nodeId === id)!;

/** A checksum of every data table's rows in key order, numbers rounded to 4 decimals. */
async function checksums(wb: Workbench): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of DATA_TABLES) {
    if (table.name.startsWith("stage_")) continue;
    const rows = await wb.warehouse.query(
      `SELECT * FROM ${table.name} ORDER BY ${table.primaryKey.join(", ")}`,
    );
    const text = JSON.stringify(rows, (_, v) => typeof v === "number" ? Math.round(v * 1e4) / 1e4 : v);
    sums[table.name] = createHash("sha256").update(text).digest("hex").slice(0, 16);
  }
  return sums;
}

interface Metrics {
  total_sessions: number;
  total_minutes: number;
  avg_minutes: number | null;
  avg_completion: number | null;
  favorite_device: string | null;
  first_activity: string | null;
  last_activity: string | null;
}

/** user_metrics computed in plain TypeScript straight from the files, as the contract defines it. */
async function expectedMetrics(dataDir: string): Promise<Map<string, Metrics>> {
  const read = async (file: string) => {
    await using csv = await openCsv(join(dataDir, file));
    const rows: string[][] = [csv.header];
    for await (const batch of csv.batches()) rows.push(...batch.records.map((r) => r.values));
    return rows;
  };
  const [userHeader, ...userRows] = await read("users.csv");
  const users = resolveHeader("users", userHeader, "users.csv");
  const known = new Set<string>();
  for (const values of userRows) {
    if (values.length !== users.width) continue;
    const r = validateUser(rowFromValues(users, values));
    if (r.ok) known.add(r.record.user_id);
  }
  const [sessionHeader, ...sessionRows] = await read("viewing_sessions.csv");
  const sessions = resolveHeader("sessions", sessionHeader, "viewing_sessions.csv");
  const last = new Map<
    string,
    { user: string; minutes: number; completion: number | null; device: string; date: string | null }
  >();
  for (const values of sessionRows) {
    if (values.length !== sessions.width) continue;
    const r = validateSession(rowFromValues(sessions, values), { isKnownUser: (id) => known.has(id) });
    if (!r.ok) continue;
    const s = r.record;
    last.delete(s.session_id);
    last.set(s.session_id, {
      user: s.user_id,
      minutes: s.watch_duration_minutes,
      completion: s.completion_percentage,
      device: s.device_type,
      date: s.watch_date,
    });
  }
  const metrics = new Map<string, Metrics>();
  const devices = new Map<string, Map<string, number>>();
  const completions = new Map<string, number[]>();
  for (const id of known) {
    metrics.set(id, {
      total_sessions: 0,
      total_minutes: 0,
      avg_minutes: null,
      avg_completion: null,
      favorite_device: null,
      first_activity: null,
      last_activity: null,
    });
  }
  for (const s of last.values()) {
    const m = metrics.get(s.user)!;
    m.total_sessions++;
    m.total_minutes += s.minutes;
    if (s.completion !== null) completions.set(s.user, [...completions.get(s.user) ?? [], s.completion]);
    const d = devices.get(s.user) ?? new Map<string, number>();
    d.set(s.device, (d.get(s.device) ?? 0) + 1);
    devices.set(s.user, d);
    if (s.date !== null) {
      if (m.first_activity === null || s.date < m.first_activity) m.first_activity = s.date;
      if (m.last_activity === null || s.date > m.last_activity) m.last_activity = s.date;
    }
  }
  for (const [id, m] of metrics) {
    if (m.total_sessions === 0) continue;
    m.avg_minutes = m.total_minutes / m.total_sessions;
    const c = completions.get(id);
    m.avg_completion = c ? c.reduce((a, b) => a + b, 0) / c.length : null;
    const ranked = [...devices.get(id)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    m.favorite_device = ranked[0][0];
  }
  return metrics;
}

async function storedMetrics(wb: Workbench): Promise<Map<string, Metrics>> {
  const rows = await wb.warehouse.query<Metrics & { user_id: string }>(
    "SELECT * FROM user_metrics ORDER BY user_id",
  );
  return new Map(rows.map(({ user_id, ...m }) => [user_id, m]));
}

function assertMetricsClose(actual: Map<string, Metrics>, expected: Map<string, Metrics>, label: string) {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${label}: one row per user`);
  for (const [id, e] of expected) {
    const a = actual.get(id)!;
    for (const key of Object.keys(e) as (keyof Metrics)[]) {
      const [x, y] = [a[key], e[key]];
      if (typeof y === "number" && typeof x === "number") {
        assert.ok(Math.abs(x - y) <= 0.005 + 1e-9, `${label}: ${id}.${key} = ${x}, expected ${y}`);
      } else {
        assert.equal(x, y, `${label}: ${id}.${key}`);
      }
    }
  }
}

/** The checks every engine must pass; returns user_metrics of the messy run for cross-engine comparison. */
async function pipelineSuite(t: Deno.TestContext, open: (name: string) => Promise<Workbench>) {
  const { dir, clean, messy } = await datasets();
  let messyMetrics = new Map<string, Metrics>();

  await t.step("a clean dataset loads completely, and a second run changes nothing", async () => {
    await using wb = await open("clean");
    const first = await run(wb, join(dir, "clean"), { fresh: true });
    assert.equal(node(first, "process_sessions").rowsRead, SIZES.sessions);
    assert.equal(node(first, "process_sessions").rowsWritten, SIZES.sessions);
    assert.equal(node(first, "process_users").rowsWritten, clean.manifest.files["users.csv"].loaded);
    assertMetricsClose(await storedMetrics(wb), await expectedMetrics(join(dir, "clean")), "clean");
    const before = await checksums(wb);
    const second = await run(wb, join(dir, "clean"));
    for (
      const id of [
        "process_users",
        "process_sessions",
        "create_aggregations",
        "generate_stats",
        "load_content",
      ]
    ) {
      assert.equal(node(second, id).rowsWritten, 0, `${id} changes no row on the second run`);
    }
    assert.deepEqual(await checksums(wb), before, "every table is identical after the second run");
    const stored = await wb.runStore.nodeRuns(second.runId);
    assert.equal(stored.length, wb.graph.order.length);
    assert.ok(stored.every((n) => n.status === "success"));
  });

  await t.step("a messy dataset gives exactly the rejects and coercions of its manifest", async () => {
    await using wb = await open("messy");
    const result = await run(wb, join(dir, "messy"), { fresh: true });
    for (
      const [id, file] of [["process_users", "users.csv"], [
        "process_sessions",
        "viewing_sessions.csv",
      ]] as const
    ) {
      const expected = messy.manifest.files[file];
      const details = node(result, id).details as Record<string, unknown>;
      assert.equal(details.rowsRead, expected.rows, `${file}: rows read`);
      assert.equal(details.loaded, expected.loaded, `${file}: loaded`);
      assert.equal(details.duplicates, expected.duplicates, `${file}: duplicates`);
      const nonZero = (o: Record<string, number>) =>
        Object.fromEntries(Object.entries(o).filter(([, n]) => n > 0));
      assert.deepEqual(
        nonZero(details.rejectedByReason as Record<string, number>),
        nonZero(expected.rejected),
        `${file}: rejects`,
      );
      assert.deepEqual(
        nonZero(details.coerced as Record<string, number>),
        nonZero(expected.coerced),
        `${file}: coerced`,
      );
      const stored = await wb.warehouse.query<{ reason: string; n: number }>(
        "SELECT reason, COUNT(*) AS n FROM etl_rejects WHERE run_id = ? AND file = ? GROUP BY reason ORDER BY reason",
        [result.runId, file],
      );
      assert.deepEqual(
        Object.fromEntries(stored.map((r) => [r.reason, Number(r.n)])),
        nonZero(expected.rejected),
        `${file}: etl_rejects`,
      );
    }
    const sessions = node(result, "process_sessions").details as Record<string, unknown>;
    assert.equal(sessions.missingWatchDate, messy.manifest.files["viewing_sessions.csv"].missing_watch_date);
    const checks = await wb.warehouse.query<{ check_name: string; status: string }>(
      "SELECT check_name, status FROM etl_checks WHERE run_id = ?",
      [result.runId],
    );
    assert.ok(checks.some((c) => c.check_name === "reconcile_viewing_sessions.csv" && c.status === "pass"));
    messyMetrics = await storedMetrics(wb);
    assertMetricsClose(messyMetrics, await expectedMetrics(join(dir, "messy")), "messy");
  });

  await t.step("--resume reruns only what failed, --from reruns downstream", async () => {
    await using wb = await open("clean");
    const from = await run(wb, join(dir, "clean"), { from: "validate_data" });
    assert.deepEqual(from.nodes.map((n) => n.nodeId), ["validate_data", "generate_stats"]);
    const broken = await runWorkbench(wb, { dataDir: join(dir, "missing"), only: ["validate_files"] });
    assert.equal(node(broken, "validate_files").status, "failed");
    assert.match(node(broken, "validate_files").error!, /does not exist/);
    const resumed = await run(wb, join(dir, "clean"), { resume: true });
    const downstream = new Set(["validate_files", ...wb.graph.descendants("validate_files")]);
    assert.deepEqual(new Set(resumed.nodes.map((n) => n.nodeId)), downstream);
    assert.ok(!resumed.nodes.some((n) => n.nodeId === "validate_content"));
  });
  return messyMetrics;
}

let sqliteMessyMetrics: Map<string, Metrics> | undefined;

Deno.test("the DAG on SQLite and the embedded docstore", async (t) => {
  const state = await Deno.makeTempDir({ prefix: "etl_sqlite_" });
  sqliteMessyMetrics = await pipelineSuite(t, (name) =>
    openWorkbench({
      warehouseUrl: `sqlite:${join(state, `${name}.db`)}`,
      docstoreUrl: `embedded:${join(state, `${name}_docs`)}`,
      stateDir: state,
    }));
  await Deno.remove(state, { recursive: true });
});

integrationTest("mysql", {
  name: "the DAG on MariaDB gives the same results as on SQLite",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url, t) => {
  const state = await Deno.makeTempDir({ prefix: "etl_mysql_" });
  const metrics = await pipelineSuite(t, (name) =>
    openWorkbench({
      warehouseUrl: uniqueDatabaseUrl(url, `e2e_${name}`),
      docstoreUrl: `embedded:${join(state, `${name}_docs`)}`,
      stateDir: state,
    }));
  if (sqliteMessyMetrics) {
    await t.step("user_metrics equal SQLite's within 0.005", () => {
      assertMetricsClose(metrics, sqliteMessyMetrics!, "MariaDB vs SQLite");
    });
  }
  await Deno.remove(state, { recursive: true });
});
