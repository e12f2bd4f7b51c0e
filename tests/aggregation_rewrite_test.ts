/**
 * The aggregation nodes were rewritten to scale linearly (issue 14): `cross_store_stats` groups the sessions
 * per country and title before joining genres and titles, `validate_data` reads them in fewer passes. This
 * file keeps the earlier queries as the reference (and `user_metrics`' query, which the floor of `deno task
 * bench` also runs) and checks, on clean and messy data and on both engines, that every table and check they
 * fed is the same after a run. The statistics cubes come two ways (`lib/pipelines/session_cubes.ts`): summed
 * by `process_sessions` while it streams into an empty table without duplicates, or scanned from the sessions
 * by the nodes; each dataset runs both ways (messy data without its duplicates for the first), and the
 * statistics tables are also checked against queries over the sessions themselves.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { DATA_TABLES, openWorkbench, runWorkbench, type Workbench } from "../lib/pipelines/mod.ts";
import type { RunResult } from "../lib/dag/mod.ts";
import { STATS_COUNTRY_GENRE, STATS_COUNTRY_TOP_CONTENT } from "../lib/pipelines/document/content_tables.ts";
import type { SqlDialect } from "../lib/warehouse/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

const SIZES = { users: 300, sessions: 9_000 };

const country = "COALESCE(u.country, 'Unknown')";
const minutes = "s.watch_duration_minutes";
/** Sessions of each group with a device and their share of the group's sessions, over every session. */
const byDevice = (group: string, d: SqlDialect, where = "") => `
SELECT ${group}, s.device_type AS device_type, COUNT(*) AS sessions, SUM(${minutes}) AS minutes,
       ${d.real("COUNT(*)")} / SUM(COUNT(*)) OVER (PARTITION BY ${
  group.replace(/ AS .*$/, "")
}) AS share_sessions
FROM viewing_sessions s LEFT JOIN users u ON u.user_id = s.user_id
${where}
GROUP BY ${group.replace(/ AS .*$/, "")}, s.device_type`;

/** The queries as they were before the rewrite: sessions joined to users and genres, then grouped. */
const REFERENCE: { table: string; orderBy: string; sql: (d: SqlDialect) => string }[] = [
  {
    table: "stats_country_genre",
    orderBy: "country, genre",
    sql: (d) => `
SELECT ${country} AS country, g.genre AS genre,
       COUNT(*) AS sessions,
       SUM(s.watch_duration_minutes) AS minutes,
       ${d.real("COUNT(*)")} / SUM(COUNT(*)) OVER (PARTITION BY ${country}) AS share_sessions,
       ${d.real("SUM(s.watch_duration_minutes)")}
         / NULLIF(SUM(SUM(s.watch_duration_minutes)) OVER (PARTITION BY ${country}), 0) AS share_minutes
FROM viewing_sessions s
JOIN users u ON u.user_id = s.user_id
JOIN content_genres g ON g.content_id = s.content_id
GROUP BY ${country}, g.genre`,
  },
  {
    table: "stats_country_top_content",
    orderBy: "country, place",
    sql: () => `
SELECT r.country AS country, r.place AS place, r.content_id AS content_id, c.title AS title, c.type AS type,
       r.sessions AS sessions, r.minutes AS minutes
FROM (
  SELECT ${country} AS country, s.content_id AS content_id,
         COUNT(*) AS sessions,
         SUM(s.watch_duration_minutes) AS minutes,
         ROW_NUMBER() OVER (PARTITION BY ${country} ORDER BY COUNT(*) DESC, s.content_id) AS place
  FROM viewing_sessions s
  JOIN users u ON u.user_id = s.user_id
  JOIN content_dim known ON known.content_id = s.content_id
  GROUP BY ${country}, s.content_id
) r
JOIN content_dim c ON c.content_id = r.content_id
WHERE r.place <= 5`,
  },
  {
    table: "stats_device_usage",
    orderBy: "device_type",
    sql: (d) => `
SELECT dt.device_type AS device_type, COALESCE(c.sessions, 0) AS sessions, COALESCE(c.minutes, 0) AS minutes,
       ${d.real("COALESCE(c.sessions, 0)")} / NULLIF(t.sessions, 0) AS share_sessions,
       ${d.real("COALESCE(c.minutes, 0)")} / NULLIF(t.minutes, 0) AS share_minutes,
       c.avg_completion AS avg_completion
FROM device_types dt
CROSS JOIN (SELECT COUNT(*) AS sessions, SUM(watch_duration_minutes) AS minutes FROM viewing_sessions) t
LEFT JOIN (
  SELECT device_type, COUNT(*) AS sessions, SUM(watch_duration_minutes) AS minutes,
         AVG(completion_percentage) AS avg_completion
  FROM viewing_sessions GROUP BY device_type
) c ON c.device_type = dt.device_type`,
  },
  {
    table: "stats_country_device",
    orderBy: "country, device_type",
    sql: (d) => byDevice(`${country} AS country`, d),
  },
  {
    table: "stats_month_device",
    orderBy: "month, device_type",
    sql: (d) =>
      byDevice(`SUBSTR(s.watch_date, 1, 7) AS ${d.quote("month")}`, d, "WHERE s.watch_date IS NOT NULL"),
  },
  {
    table: "stats_subscription_device",
    orderBy: "subscription_type, device_type",
    sql: (d) => byDevice("COALESCE(u.subscription_type, 'Unknown') AS subscription_type", d),
  },
  {
    table: "user_metrics",
    orderBy: "user_id",
    sql: () => `
SELECT u.user_id AS user_id,
       COALESCE(a.total_sessions, 0) AS total_sessions,
       COALESCE(a.total_minutes, 0) AS total_minutes,
       a.avg_minutes AS avg_minutes,
       a.avg_completion AS avg_completion,
       f.device_type AS favorite_device,
       a.first_activity AS first_activity,
       a.last_activity AS last_activity
FROM users u
LEFT JOIN (
  SELECT user_id,
         COUNT(*) AS total_sessions,
         SUM(watch_duration_minutes) AS total_minutes,
         SUM(watch_duration_minutes) / COUNT(*) AS avg_minutes,
         AVG(completion_percentage) AS avg_completion,
         MIN(watch_date) AS first_activity,
         MAX(watch_date) AS last_activity
  FROM viewing_sessions
  GROUP BY user_id
) a ON a.user_id = u.user_id
LEFT JOIN (
  SELECT user_id, device_type
  FROM (
    SELECT user_id, device_type,
           ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY COUNT(*) DESC, device_type ASC) AS rn
    FROM viewing_sessions
    GROUP BY user_id, device_type
  ) ranked
  WHERE rn = 1
) f ON f.user_id = u.user_id`,
  },
];

/** Decimal places of each DECIMAL column, which MySQL rounds to when storing (SQLite stores REAL). */
const SCALES = new Map(
  [...DATA_TABLES, STATS_COUNTRY_GENRE, STATS_COUNTRY_TOP_CONTENT].flatMap((t) =>
    t.columns.flatMap((c) => c.type.kind === "decimal" ? [[`${t.name}.${c.name}`, c.type.scale]] : [])
  ) as [string, number][],
);

/**
 * Numbers equal within a relative 1e-9 (sums of doubles depend on the order rows are added in), or within
 * the rounding of a DECIMAL column; everything else exactly; dates in ISO form.
 */
function assertRowsEqual(
  table: string,
  actual: Record<string, unknown>[],
  expected: Record<string, unknown>[],
  what: string,
) {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  assert.ok(expected.length > 0, `${what}: the reference has rows`);
  const plain = (v: unknown) => v instanceof Date ? v.toISOString().slice(0, 10) : v;
  actual.forEach((row, i) => {
    const want = expected[i];
    assert.deepEqual(Object.keys(row).sort(), Object.keys(want).sort(), `${what}: columns`);
    for (const [column, value] of Object.entries(row)) {
      const [a, b] = [plain(value), plain(want[column])];
      if (typeof a === "number" && typeof b === "number") {
        const scale = SCALES.get(`${table}.${column}`);
        const rounding = scale === undefined ? 0 : 0.5 * 10 ** -scale;
        assert.ok(
          Math.abs(a - b) <= rounding + 1e-9 * Math.max(1, Math.abs(b)),
          `${what}, row ${i + 1}, ${column}: ${a} != ${b}`,
        );
      } else {
        assert.deepEqual(a, b, `${what}, row ${i + 1}, ${column}`);
      }
    }
  });
}

/** Every rewritten table of `wb` against its old query, and the details and checks of the run. */
async function assertAggregates(wb: Workbench, result: RunResult, label: string, messy: boolean) {
  assert.deepEqual(result.nodes.filter((n) => n.status !== "success").map((n) => n.nodeId), [], label);
  const wh = wb.warehouse;
  for (const ref of REFERENCE) {
    const stored = await wh.query(`SELECT * FROM ${ref.table} ORDER BY ${ref.orderBy}`);
    const expected = await wh.query(`SELECT * FROM (${ref.sql(wh.sql)}) x ORDER BY ${ref.orderBy}`);
    assertRowsEqual(ref.table, stored, expected, `${label} ${ref.table} on ${wh.dialect}`);
  }

  // cross_store_stats' details: sessions and those whose title is unknown, as the earlier query counted.
  const [counts] = await wh.query<{ sessions: number; unmatched: number | null }>(
    `SELECT COUNT(*) AS sessions, SUM(CASE WHEN c.content_id IS NULL THEN 1 ELSE 0 END) AS unmatched
       FROM viewing_sessions s LEFT JOIN content_dim c ON c.content_id = s.content_id`,
  );
  const cross = result.nodes.find((n) => n.nodeId === "cross_store_stats")!.details as Record<
    string,
    unknown
  >;
  assert.equal(cross.sessions, Number(counts.sessions));
  assert.equal(cross.unmatchedSessions, Number(counts.unmatched ?? 0));
  if (messy) assert.ok(Number(counts.unmatched) > 0, "the messy data has sessions of unknown titles");

  // validate_data's checks, from the earlier one-query-per-check counts.
  const checks = new Map(
    (await wh.query<{ check_name: string; observed: string }>(
      "SELECT check_name, observed FROM etl_checks WHERE run_id = ?",
      [result.runId],
    )).map((c) => [c.check_name, c.observed]),
  );
  const one = async (sql: string) => Number((await wh.query<{ n: number | null }>(sql))[0].n ?? 0);
  const sessions = await one("SELECT COUNT(*) AS n FROM viewing_sessions");
  const missing = await one("SELECT COUNT(*) AS n FROM viewing_sessions WHERE watch_date IS NULL");
  const orphans = await one(
    "SELECT COUNT(*) AS n FROM viewing_sessions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = s.user_id)",
  );
  const minutes = await one("SELECT SUM(watch_duration_minutes) AS n FROM viewing_sessions");
  const metricSessions = await one("SELECT SUM(total_sessions) AS n FROM user_metrics");
  const metricMinutes = await one("SELECT SUM(total_minutes) AS n FROM user_metrics");
  assert.equal(checks.get("sessions_not_empty"), String(sessions));
  assert.equal(checks.get("no_orphan_sessions"), String(orphans));
  assert.equal(
    checks.get("missing_watch_date_rate"),
    `${(sessions > 0 ? missing / sessions * 100 : 0).toFixed(2)} % (${missing})`,
  );
  assert.equal(
    checks.get("user_metrics_totals"),
    `${metricSessions} sessions, ${metricMinutes.toFixed(2)} minutes`,
  );
  assert.ok(Math.abs(metricMinutes - minutes) <= 0.005);
  if (messy) assert.ok(missing > 0, "the messy data has sessions without a date");
}

/** How `process_sessions` says the statistics cubes were made in `result`. */
const cubesOf = (result: RunResult) =>
  (result.nodes.find((n) => n.nodeId === "process_sessions")!.details as { cubes?: string }).cubes;

/** Drops the earlier copy of each duplicated session (lines from the manifest): no row replaces another. */
async function dropDuplicates(dataDir: string) {
  const manifest = JSON.parse(await Deno.readTextFile(join(dataDir, "manifest.json")));
  const drop = new Set<number>(manifest.files["viewing_sessions.csv"].duplicate_lines);
  assert.ok(drop.size > 0, "the messy data has duplicated sessions");
  const path = join(dataDir, "viewing_sessions.csv");
  const lines = (await Deno.readTextFile(path)).split("\n");
  await Deno.writeTextFile(path, lines.filter((_, i) => !drop.has(i + 1)).join("\n"));
}

/**
 * Runs the whole DAG on generated datasets and compares every rewritten table with its old query: clean data
 * (cubes summed while loading), the same again without `--fresh` (staged: cubes scanned), messy data with
 * duplicates (scanned) and without them (summed), validated in a worker or not.
 */
async function compareWithReference(t: Deno.TestContext, open: (name: string) => Promise<Workbench>) {
  const dir = await Deno.makeTempDir({ prefix: "agg_rewrite_" });
  const variants = [
    { kind: "clean", messy: false, cubes: "summed while loading", again: true, validateInWorker: true },
    { kind: "messy", messy: true, cubes: "scanned", again: false, validateInWorker: false },
    {
      kind: "messy_unique",
      messy: true,
      cubes: "summed while loading",
      again: false,
      validateInWorker: true,
    },
  ];
  for (const { kind, messy, cubes, again, validateInWorker } of variants) {
    const dataDir = join(dir, kind);
    await generateDataset({ outDir: dataDir, seed: messy ? 5 : 3, messy, ...SIZES });
    if (messy) {
      // Sessions of a title the content does not have: counted as unmatched, left out of the statistics.
      const path = join(dataDir, "content.json");
      const content = JSON.parse(await Deno.readTextFile(path));
      content.movies.shift();
      await Deno.writeTextFile(path, JSON.stringify(content));
    }
    if (kind === "messy_unique") await dropDuplicates(dataDir);
    await t.step(`${kind} data: every aggregation table equals the earlier query's result`, async () => {
      await using wb = await open(kind);
      // The cubes summed by the validation worker (`row_validators.ts`) or on the main thread.
      const result = await runWorkbench(wb, {
        dataDir,
        fresh: true,
        missingWatchDateLimit: 1,
        validateInWorker,
      });
      assert.equal(cubesOf(result), cubes, `${kind}: how the cubes were made`);
      await assertAggregates(wb, result, kind, messy);
      if (again) {
        const rerun = await runWorkbench(wb, { dataDir, missingWatchDateLimit: 1 });
        assert.equal(cubesOf(rerun), "scanned", `${kind} again: a staged load scans`);
        await assertAggregates(wb, rerun, `${kind} again`, messy);
        // A user removed under their sessions: validate_data counts the orphans as a per-session lookup would.
        const wh = wb.warehouse;
        const [{ user_id }] = await wh.query<{ user_id: string }>(
          "SELECT user_id FROM viewing_sessions ORDER BY session_id LIMIT 1",
        );
        await wh.execute("DELETE FROM users WHERE user_id = ?", [user_id]);
        const checked = await runWorkbench(wb, {
          dataDir,
          only: ["validate_data"],
          missingWatchDateLimit: 1,
        });
        const [{ n }] = await wh.query<{ n: number }>(
          "SELECT COUNT(*) AS n FROM viewing_sessions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = s.user_id)",
        );
        assert.ok(Number(n) > 0, "the removed user had sessions");
        const [orphans] = await wh.query<{ observed: string; status: string }>(
          "SELECT observed, status FROM etl_checks WHERE run_id = ? AND check_name = 'no_orphan_sessions'",
          [checked.runId],
        );
        assert.deepEqual(orphans, { observed: String(n), status: "fail" });
      }
    });
  }
  await Deno.remove(dir, { recursive: true });
}

Deno.test("aggregation nodes on SQLite equal the earlier queries, clean and messy", async (t) => {
  const state = await Deno.makeTempDir({ prefix: "agg_rewrite_sqlite_" });
  await compareWithReference(t, (name) =>
    openWorkbench({
      warehouseUrl: `sqlite:${join(state, `${name}.db`)}`,
      docstoreUrl: `embedded:${join(state, `${name}_docs`)}`,
      stateDir: state,
    }));
  await Deno.remove(state, { recursive: true });
});

integrationTest("mysql", {
  name: "aggregation nodes on MariaDB equal the earlier queries, clean and messy",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url, t) => {
  const state = await Deno.makeTempDir({ prefix: "agg_rewrite_mysql_" });
  await compareWithReference(t, (name) =>
    openWorkbench({
      warehouseUrl: uniqueDatabaseUrl(url, `agg_${name}`),
      docstoreUrl: `embedded:${join(state, `${name}_docs`)}`,
      stateDir: state,
    }));
  await Deno.remove(state, { recursive: true });
});
