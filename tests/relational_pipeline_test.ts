/**
 * End-to-end runs of the whole DAG on generated datasets: SQLite always, MariaDB when available (required in
 * CI). Checks the reconciliation, reject counts against the generator's manifest, user_metrics against an
 * independent computation, equality between engines, and that a second run changes nothing.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  DEVICES,
  resolveHeader,
  rowFromValues,
  type SessionRecord,
  type UserRecord,
  validateSession,
  validateUser,
} from "../lib/contract/mod.ts";
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

/** The rows that end up loaded, read straight from the files with the contract's validators. */
async function acceptedRows(dataDir: string) {
  const read = async (file: string) => {
    await using csv = await openCsv(join(dataDir, file));
    const rows: string[][] = [csv.header];
    for await (const batch of csv.batches()) rows.push(...batch.records.map((r) => r.values));
    return rows;
  };
  const [userHeader, ...userRows] = await read("users.csv");
  const userColumns = resolveHeader("users", userHeader, "users.csv");
  const users = new Map<string, UserRecord>();
  for (const values of userRows) {
    if (values.length !== userColumns.width) continue;
    const r = validateUser(rowFromValues(userColumns, values));
    if (r.ok) {
      users.delete(r.record.user_id);
      users.set(r.record.user_id, r.record);
    }
  }
  const [sessionHeader, ...sessionRows] = await read("viewing_sessions.csv");
  const sessionColumns = resolveHeader("sessions", sessionHeader, "viewing_sessions.csv");
  const sessions = new Map<string, SessionRecord>();
  for (const values of sessionRows) {
    if (values.length !== sessionColumns.width) continue;
    const r = validateSession(rowFromValues(sessionColumns, values), { isKnownUser: (id) => users.has(id) });
    if (!r.ok) continue;
    // The last row of a key wins, whatever came before it.
    sessions.delete(r.record.session_id);
    sessions.set(r.record.session_id, r.record);
  }
  return { users, sessions };
}

/** user_metrics computed in plain TypeScript straight from the files, as the contract defines it. */
async function expectedMetrics(dataDir: string): Promise<Map<string, Metrics>> {
  const accepted = await acceptedRows(dataDir);
  const known = accepted.users.keys();
  const last = new Map(
    [...accepted.sessions].map(([id, s]) => [id, {
      user: s.user_id,
      minutes: s.watch_duration_minutes,
      completion: s.completion_percentage,
      device: s.device_type,
      date: s.watch_date,
    }]),
  );
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

type StatsRow = Record<string, string | number | null>;

/** Every stats_* table computed in plain TypeScript from the accepted rows, keyed like the table. */
async function expectedStats(dataDir: string): Promise<Record<string, StatsRow[]>> {
  const { users, sessions } = await acceptedRows(dataDir);
  const add = (map: Map<string, StatsRow>, key: string[], names: string[], s: SessionRecord) => {
    const id = JSON.stringify(key);
    const row = map.get(id) ?? Object.fromEntries([...names.map((n, i) => [n, key[i]]), ["sessions", 0], [
      "minutes",
      0,
    ]]);
    (row.sessions as number)++;
    row.minutes = (row.minutes as number) + s.watch_duration_minutes;
    map.set(id, row);
  };
  const byDevice = new Map<string, StatsRow>();
  const completions = new Map<string, number[]>();
  const within: Record<string, Map<string, StatsRow>> = {
    country: new Map(),
    month: new Map(),
    subscription_type: new Map(),
  };
  for (const s of sessions.values()) {
    const user = users.get(s.user_id)!;
    add(byDevice, [s.device_type], ["device_type"], s);
    if (s.completion_percentage !== null) {
      completions.set(s.device_type, [...completions.get(s.device_type) ?? [], s.completion_percentage]);
    }
    add(within.country, [user.country ?? "Unknown", s.device_type], ["country", "device_type"], s);
    add(within.subscription_type, [user.subscription_type ?? "Unknown", s.device_type], [
      "subscription_type",
      "device_type",
    ], s);
    if (s.watch_date !== null) {
      add(within.month, [s.watch_date.slice(0, 7), s.device_type], ["month", "device_type"], s);
    }
  }
  const total = {
    sessions: sessions.size,
    minutes: [...sessions.values()].reduce((a, s) => a + s.watch_duration_minutes, 0),
  };
  const deviceUsage = DEVICES.map((device) => {
    const row = byDevice.get(JSON.stringify([device])) ?? { device_type: device, sessions: 0, minutes: 0 };
    const c = completions.get(device);
    return {
      ...row,
      share_sessions: (row.sessions as number) / total.sessions,
      share_minutes: (row.minutes as number) / total.minutes,
      avg_completion: c ? c.reduce((a, b) => a + b, 0) / c.length : null,
    };
  });
  const withShares = (group: string) => {
    const rows = [...within[group].values()];
    const groupTotal = new Map<unknown, number>();
    for (const r of rows) groupTotal.set(r[group], (groupTotal.get(r[group]) ?? 0) + (r.sessions as number));
    return rows.map((r) => ({ ...r, share_sessions: (r.sessions as number) / groupTotal.get(r[group])! }));
  };
  const countries = new Map<string, StatsRow>();
  const perUser = new Map<string, { sessions: number; minutes: number }>();
  for (const s of sessions.values()) {
    const u = perUser.get(s.user_id) ?? { sessions: 0, minutes: 0 };
    u.sessions++;
    u.minutes += s.watch_duration_minutes;
    perUser.set(s.user_id, u);
  }
  for (const user of users.values()) {
    const country = user.country ?? "Unknown";
    const row = countries.get(country) ?? { country, users: 0, active_users: 0, sessions: 0, minutes: 0 };
    const activity = perUser.get(user.user_id);
    (row.users as number)++;
    if (activity) {
      (row.active_users as number)++;
      row.sessions = (row.sessions as number) + activity.sessions;
      row.minutes = (row.minutes as number) + activity.minutes;
    }
    countries.set(country, row);
  }
  return {
    stats_device_usage: deviceUsage,
    stats_country_device: withShares("country"),
    stats_month_device: withShares("month"),
    stats_subscription_device: withShares("subscription_type"),
    stats_country_minutes: [...countries.values()].map((r) => ({
      ...r,
      minutes_per_active_user: r.active_users ? (r.minutes as number) / (r.active_users as number) : null,
    })),
  };
}

/** Compares a stats table with its expected rows: same keys, numbers within rounding. */
async function assertStatsClose(wb: Workbench, expected: Record<string, StatsRow[]>) {
  for (const [table, rows] of Object.entries(expected)) {
    const spec = DATA_TABLES.find((t) => t.name === table)!;
    const keyOf = (r: StatsRow) => JSON.stringify(spec.primaryKey.map((k) => r[k]));
    const stored = new Map(
      (await wb.warehouse.query<StatsRow>(`SELECT * FROM ${table}`)).map((r) => [keyOf(r), r]),
    );
    assert.deepEqual([...stored.keys()].sort(), rows.map(keyOf).sort(), `${table}: the same groups`);
    for (const row of rows) {
      const actual = stored.get(keyOf(row))!;
      for (const [column, value] of Object.entries(row)) {
        const got = actual[column];
        if (typeof value === "number" && typeof got === "number") {
          assert.ok(
            Math.abs(got - value) <= 0.005 + 1e-6 * Math.abs(value),
            `${table} ${keyOf(row)}.${column} = ${got}, expected ${value}`,
          );
        } else {
          assert.equal(got, value, `${table} ${keyOf(row)}.${column}`);
        }
      }
    }
  }
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
    await assertStatsClose(wb, await expectedStats(join(dir, "clean")));
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
    await assertStatsClose(wb, await expectedStats(join(dir, "messy")));
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
