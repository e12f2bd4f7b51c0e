/**
 * The data API in process (`app.request()`): the original project's endpoints with exactly the shapes its
 * client reads, checked against the warehouse and the collection (e.g. `totalSessions` is `COUNT(*)`), the
 * dashboard's own reads (charts, table browser, a document, a run's rejects), and the origin rules: CORS,
 * preflight, bodyless POSTs from this server's pages accepted and from another site refused. On SQLite and
 * the embedded store, and on MariaDB with FerretDB.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, RELATIONSHIPS, type Workbench } from "../lib/pipelines/mod.ts";
import { createApp, EtlMonitor } from "../lib/server/mod.ts";
import { integrationTest, serverUrl, uniqueDatabaseUrl } from "./_servers.ts";
import { appendU99999, u99999Coercions } from "./_u99999.ts";

type App = ReturnType<typeof createApp>;
interface Ctx {
  app: App;
  monitor: EtlMonitor;
  workbench: Workbench;
  /** The line of users.csv that holds `U99999,abc,Narnia,Gold,2023-13-45,xx` (four values stored as NULL). */
  u99999Line: number;
}

/** A workbench over a small messy dataset, with an app allowing `http://localhost:5173`. */
async function withWorkbench(
  fn: (ctx: Ctx) => Promise<void>,
  stores: { warehouseUrl?: string; docstoreUrl?: string } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "data_api_" });
  try {
    await generateDataset({ outDir: join(dir, "data"), users: 80, sessions: 900, messy: true });
    const u99999Line = await appendU99999(join(dir, "data"));
    const workbench = await openWorkbench({ stateDir: join(dir, "state"), ...stores });
    try {
      const monitor = new EtlMonitor({ workbench, dataDir: join(dir, "data") });
      const app = createApp({ monitor, corsOrigins: ["http://localhost:5173"] });
      try {
        await fn({ app, monitor, workbench, u99999Line });
      } finally {
        app.close();
        await monitor.close();
      }
    } finally {
      await workbench.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function getJson(app: App, path: string, status = 200) {
  const res = await app.request(path);
  const body = await res.json();
  assert.equal(res.status, status, `${path}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

async function scalar(workbench: Workbench, sql: string, params: (string | number)[] = []): Promise<number> {
  const [row] = await workbench.warehouse.query<{ n: number }>(sql, params);
  return Number(row.n);
}

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 0.011, `${what}: ${a} vs ${b}`);

/** Every endpoint before any run: empty answers, not errors. */
async function checkBeforeRun({ app }: Ctx): Promise<void> {
  const { analytics } = await getJson(app, "/api/analytics");
  assert.equal(analytics.totalSessions, 0);
  assert.deepEqual(analytics.sessionsOverTime, []);
  const charts = await getJson(app, "/api/analytics/charts");
  assert.deepEqual(charts.charts, []);
  assert.match(charts.missing, /run/);
  const users = await getJson(app, "/api/users");
  assert.deepEqual(users.data, []);
  const movies = await getJson(app, "/api/mongodb/content");
  assert.equal(movies.pagination.total, 0);
}

/** A bodyless POST as the original client sends it, from a page at `origin` (or from no page). */
function bodyless(origin?: string, site?: string): RequestInit {
  const headers: Record<string, string> = {};
  if (origin) headers.origin = origin;
  if (site) headers["sec-fetch-site"] = site;
  return { method: "POST", headers };
}

/** The run, through the original client's bodyless POST from its allowed origin. */
async function runBoth({ app, monitor }: Ctx): Promise<string> {
  const res = await app.request("/api/etl/start", bodyless("http://localhost:5173", "same-site"));
  const body = await res.json();
  assert.equal(res.status, 202, JSON.stringify(body));
  assert.equal(res.headers.get("access-control-allow-origin"), "http://localhost:5173");
  await monitor.idle();
  const { dag } = await getJson(app, "/api/etl/status");
  assert.equal(dag.status, "success", JSON.stringify(dag.nodes.filter((n: { error: string }) => n.error)));
  return body.runId;
}

async function checkAnalytics({ app, workbench }: Ctx): Promise<void> {
  const { analytics } = await getJson(app, "/api/analytics");
  assert.deepEqual(Object.keys(analytics).sort(), [
    "avgWatchTimeMinutes",
    "completionRate",
    "deviceDistribution",
    "sessionsOverTime",
    "subscriptionTypes",
    "totalSessions",
    "totalUsers",
  ]);
  assert.equal(analytics.totalUsers, await scalar(workbench, "SELECT COUNT(*) AS n FROM users"));
  assert.equal(
    analytics.totalSessions,
    await scalar(workbench, "SELECT COUNT(*) AS n FROM viewing_sessions"),
  );
  assert.ok(analytics.totalSessions > 500);
  close(
    analytics.avgWatchTimeMinutes,
    await scalar(workbench, "SELECT AVG(watch_duration_minutes) AS n FROM viewing_sessions"),
    "avg watch time",
  );
  close(
    analytics.completionRate,
    await scalar(workbench, "SELECT AVG(completion_percentage) AS n FROM viewing_sessions"),
    "completion rate in %",
  );
  assert.ok(analytics.completionRate > 1 && analytics.completionRate <= 100, "in %, not a fraction");
  const devices = analytics.deviceDistribution as { label: string; value: number }[];
  close(devices.reduce((s, d) => s + d.value, 0), 100, "device shares add up to 100 %");
  const phone = await scalar(
    workbench,
    "SELECT COUNT(*) AS n FROM viewing_sessions WHERE device_type = ?",
    [devices[0].label],
  );
  close(devices[0].value, Math.round((phone / analytics.totalSessions) * 10000) / 100, "first device in %");
  const plans = analytics.subscriptionTypes as { label: string; value: number }[];
  assert.ok(plans.some((p) => p.label === "Premium"));
  close(plans.reduce((s, p) => s + p.value, 0), 100, "plans add up to 100 %");
  const days = analytics.sessionsOverTime as { date: string; value: number }[];
  assert.ok(days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.date)), JSON.stringify(days.slice(0, 3)));
  assert.deepEqual(days.map((d) => d.date), [...days.map((d) => d.date)].sort());
  assert.equal(
    days.reduce((s, d) => s + d.value, 0),
    await scalar(workbench, "SELECT COUNT(*) AS n FROM viewing_sessions WHERE watch_date IS NOT NULL"),
  );

  const charts = await getJson(app, "/api/analytics/charts?width=390");
  assert.equal(charts.missing, null);
  assert.deepEqual(charts.charts.map((c: { id: string }) => c.id), [
    "device-share",
    "country-device",
    "month-device",
    "device-completion",
    "device-quality",
    "favorite-device",
    "country-minutes",
    "country-genre",
    "country-top-content",
  ]);
  for (const chart of charts.charts) {
    assert.match(chart.html, /<svg[^>]* width="390"/, `${chart.id} drawn at the width asked for`);
  }
  assert.ok(charts.charts[0].html.includes(devices[0].label), "the device share chart names the devices");
  const bad = await getJson(app, "/api/analytics/charts?width=12", 400);
  assert.match(bad.message, /^Invalid chart query: width: /);
}

async function checkSchema({ app, workbench }: Ctx): Promise<void> {
  const schema = await getJson(app, "/api/database/schema");
  assert.equal(schema.success, true);
  assert.equal(typeof schema.database, "string");
  const byName = new Map(schema.tables.map((t: { name: string }) => [t.name, t]));
  for (const name of ["users", "viewing_sessions", "user_metrics", "subscription_types", "device_types"]) {
    assert.ok(byName.has(name), name);
  }
  const sessions = byName.get("viewing_sessions") as Record<string, never>;
  assert.equal(
    sessions.rowCount,
    await scalar(workbench, "SELECT COUNT(*) AS n FROM viewing_sessions"),
    "rowCount is count(*)",
  );
  const column = (sessions.columns as { name: string }[]).find((c) => c.name === "session_id")!;
  assert.deepEqual(Object.keys(column).sort(), ["default", "extra", "key", "name", "nullable", "type"]);
  assert.equal((column as unknown as { key: string }).key, "PRI");
  assert.equal((column as unknown as { nullable: boolean }).nullable, false);
  const watchDate = (sessions.columns as { name: string; nullable: boolean }[]).find((c) =>
    c.name === "watch_date"
  )!;
  assert.equal(watchDate.nullable, true);
  assert.deepEqual(
    (sessions.foreignKeys as { columnName: string; referencedTable: string }[]).map((f) =>
      `${f.columnName}->${f.referencedTable}`
    ),
    ["user_id->users", "device_type->device_types"],
  );
  assert.deepEqual(Object.keys((sessions.foreignKeys as object[])[0]).sort(), [
    "columnName",
    "constraintName",
    "referencedColumn",
    "referencedTable",
  ]);
  const userIdKey = (sessions.columns as { name: string; key: string }[]).find((c) => c.name === "user_id")!;
  assert.equal(userIdKey.key, "MUL", "user_id leads the (user_id, device_type) index");
  assert.equal(schema.stats.totalTables, schema.tables.length);
  assert.equal(
    schema.stats.totalRows,
    schema.tables.reduce((s: number, t: { rowCount: number }) => s + t.rowCount, 0),
  );
  assert.equal(schema.stats.relationships, RELATIONSHIPS.length);

  const page = await getJson(app, "/api/warehouse/tables/users/rows?sort=age&order=desc&limit=7&page=2");
  assert.equal(page.total, await scalar(workbench, "SELECT COUNT(*) AS n FROM users"));
  assert.equal(page.rows.length, 7);
  const expected = await workbench.warehouse.query<{ user_id: string }>(
    "SELECT user_id FROM users ORDER BY age DESC, user_id ASC LIMIT 7 OFFSET 7",
  );
  assert.deepEqual(page.rows.map((r: { user_id: string }) => r.user_id), expected.map((r) => r.user_id));
  const injected = await getJson(
    app,
    "/api/warehouse/tables/users/rows?sort=age%3B%20DROP%20TABLE%20users",
    400,
  );
  assert.match(injected.error, /has no column "age; DROP TABLE users"/);
  const noTable = await getJson(app, `/api/warehouse/tables/${encodeURIComponent("users; --")}/rows`, 404);
  assert.match(noTable.message, /^No table "users; --"/);
  assert.ok(await scalar(workbench, "SELECT COUNT(*) AS n FROM users") > 0, "users still there");
}

async function checkUsers({ app, workbench }: Ctx): Promise<void> {
  const page = await getJson(app, "/api/users?sortBy=total_sessions&order=DESC&limit=5");
  assert.equal(page.success, true);
  assert.deepEqual(Object.keys(page.data[0]).sort(), [
    "age",
    "avg_completion",
    "country",
    "favorite_device",
    "last_activity",
    "registration_date",
    "subscription_type",
    "total_sessions",
    "total_watch_hours",
    "user_id",
  ]);
  const top = await workbench.warehouse.query<
    { user_id: string; total_sessions: number; total_minutes: number }
  >(
    `SELECT u.user_id, m.total_sessions, m.total_minutes FROM users u
     LEFT JOIN user_metrics m ON m.user_id = u.user_id ORDER BY m.total_sessions DESC, u.user_id LIMIT 5`,
  );
  assert.deepEqual(page.data.map((u: { user_id: string }) => u.user_id), top.map((u) => u.user_id));
  close(page.data[0].total_watch_hours, Number(top[0].total_minutes) / 60, "watch hours from minutes");
  const total = await scalar(workbench, "SELECT COUNT(*) AS n FROM users");
  assert.deepEqual(page.pagination, { page: 1, limit: 5, total, pages: Math.ceil(total / 5) });
  const { country } = (await workbench.warehouse.query<{ country: string }>(
    "SELECT country FROM users WHERE country IS NOT NULL ORDER BY user_id LIMIT 1",
  ))[0];
  const found = await getJson(
    app,
    `/api/users?search=${encodeURIComponent(country.toUpperCase())}&limit=100`,
  );
  assert.ok(found.data.length > 0);
  assert.ok(
    found.data.every((u: { country: string }) => u.country.toUpperCase().includes(country.toUpperCase())),
  );
  assert.equal(
    found.pagination.total,
    await scalar(
      workbench,
      "SELECT COUNT(*) AS n FROM users WHERE LOWER(country) LIKE ? OR LOWER(user_id) LIKE ? OR LOWER(subscription_type) LIKE ?",
      Array(3).fill(`%${country.toLowerCase()}%`),
    ),
  );
  const wildcard = await getJson(app, "/api/users?search=%25");
  assert.equal(wildcard.pagination.total, 0, "a % searches for a literal %");
  const bad = await getJson(app, "/api/users?sortBy=password", 400);
  assert.match(bad.message, /^Invalid users query: sortBy: /);

  const { stats } = await getJson(app, "/api/users/stats");
  assert.equal(stats.total_users, total);
  close(stats.avg_age, await scalar(workbench, "SELECT AVG(age) AS n FROM users"), "avg age");
  assert.equal(stats.countries, await scalar(workbench, "SELECT COUNT(DISTINCT country) AS n FROM users"));
  close(
    stats.avg_sessions,
    (await scalar(workbench, "SELECT COUNT(*) AS n FROM viewing_sessions")) / total,
    "sessions per user",
  );
  assert.ok(stats.avg_watch_hours > 0);
  assert.equal(
    stats.top_countries[0].count,
    await scalar(workbench, "SELECT COUNT(*) AS n FROM users WHERE country = ?", [
      stats.top_countries[0].country,
    ]),
  );
}

async function checkMongo({ app, workbench }: Ctx): Promise<void> {
  const content = workbench.docstore.collection("content");
  const movies = await content.count({ type: "movie" });
  assert.ok(movies > 10);
  const page = await getJson(app, "/api/mongodb/content?sortBy=rating&order=desc&limit=6&page=1");
  assert.deepEqual(page.pagination, { page: 1, limit: 6, total: movies, pages: Math.ceil(movies / 6) });
  assert.deepEqual(Object.keys(page.data[0]).sort(), [
    "_id",
    "content_id",
    "duration_minutes",
    "genre",
    "production_budget",
    "rating",
    "release_year",
    "title",
    "views_count",
  ]);
  assert.ok(Array.isArray(page.data[0].genre));
  const ratings = page.data.map((d: { rating: number }) => d.rating);
  assert.deepEqual(ratings, [...ratings].sort((a: number, b: number) => b - a));
  const [best] = await content.find({ type: "movie" }, { sort: { rating: -1, content_id: 1 }, limit: 1 });
  assert.equal(page.data[0].content_id, best.content_id);
  const blank = await getJson(
    app,
    "/api/mongodb/content?page=1&limit=6&genre=&year=&sortBy=rating&order=desc",
  );
  assert.deepEqual(blank, page, "empty parameters count as absent");
  const genre = page.data[0].genre[0];
  const year = page.data[0].release_year;
  const filtered = await getJson(app, `/api/mongodb/content?genre=${encodeURIComponent(genre)}&year=${year}`);
  assert.equal(filtered.pagination.total, await content.count({ type: "movie", genre, release_year: year }));
  assert.ok(filtered.data.every((d: { genre: string[]; release_year: number }) => d.genre.includes(genre)));

  const { stats } = await getJson(app, "/api/mongodb/stats");
  assert.equal(stats.totalMovies, movies);
  const docs = await content.find({ type: "movie" });
  const years = docs.map((d) => d.release_year as number).filter((y) => typeof y === "number");
  assert.equal(stats.yearRange.minYear, Math.min(...years));
  assert.equal(stats.yearRange.maxYear, Math.max(...years));
  assert.equal(
    stats.yearRange.totalViews,
    docs.reduce((s, d) => s + (typeof d.views_count === "number" ? d.views_count : 0), 0),
  );
  assert.ok(stats.yearRange.avgRating > 0 && stats.yearRange.avgBudget > 0);
  assert.equal(stats.uniqueGenres, new Set(docs.flatMap((d) => d.genre as string[])).size);
  const drama = stats.genreDistribution.find((g: { _id: string }) => g._id === genre);
  assert.equal(drama.count, await content.count({ type: "movie", genre }));

  const { schema } = await getJson(app, "/api/mongodb/schema");
  assert.equal(schema.collection, "content");
  assert.equal(schema.documentCount, await content.count());
  assert.ok(schema.indexes.some((i: { name: string; key: object }) => i.name && "content_id" in i.key));
  assert.ok(schema.sampleDocument.content_id);
  assert.ok(schema.fields.some((f: { name: string }) => f.name === "genre"));
  assert.equal(schema.statistics.movies, movies);

  const doc = await getJson(app, `/api/content/${encodeURIComponent(best.content_id as string)}`);
  assert.equal(doc.document.title, best.title);
  const missing = await getJson(app, "/api/content/NOPE", 404);
  assert.match(missing.message, /No document has the content_id "NOPE"/);
}

async function checkRejects({ app, workbench }: Ctx, runId: string): Promise<void> {
  const total = await scalar(workbench, "SELECT COUNT(*) AS n FROM etl_rejects WHERE run_id = ?", [runId]);
  assert.ok(total > 0, "the messy dataset has rejects");
  const all = await getJson(app, `/api/etl/runs/${runId}/rejects?limit=10`);
  assert.equal(all.total, total);
  assert.equal(all.rejects.length, Math.min(10, total));
  assert.deepEqual(Object.keys(all.rejects[0]).sort(), ["field", "file", "line", "raw", "reason", "value"]);
  const { file, reason, count } = all.groups[0];
  const some = await getJson(
    app,
    `/api/etl/runs/${runId}/rejects?file=${encodeURIComponent(file)}&reason=${
      encodeURIComponent(reason)
    }&limit=3&page=1`,
  );
  assert.equal(some.total, count);
  assert.ok(
    some.rejects.every((r: { file: string; reason: string }) => r.file === file && r.reason === reason),
  );
  const lines = some.rejects.map((r: { line: number }) => r.line);
  assert.deepEqual(lines, [...lines].sort((a: number, b: number) => a - b));
  const [first] = await workbench.warehouse.query<{ raw: string; line: number }>(
    "SELECT raw, line FROM etl_rejects WHERE run_id = ? AND file = ? AND reason = ? ORDER BY line LIMIT 1",
    [runId, file, reason],
  );
  assert.equal(some.rejects[0].raw, first.raw);
  assert.equal(some.rejects[0].line, Number(first.line));
}

/** Coercions: every recorded one of the U99999 row, counts per field from the load, filters by file and field. */
async function checkCoercions(
  { app, workbench, u99999Line: U99999_LINE }: Ctx,
  runId: string,
): Promise<void> {
  const recorded = await scalar(workbench, "SELECT COUNT(*) AS n FROM etl_coercions WHERE run_id = ?", [
    runId,
  ]);
  const all = await getJson(app, `/api/etl/runs/${runId}/coercions?limit=200`);
  assert.equal(all.total, recorded);
  assert.ok(all.total > 4, "the messy dataset has coercions");
  assert.deepEqual(Object.keys(all.coercions[0]).sort(), ["field", "file", "line", "stored", "value"]);
  const u99999 = all.coercions.filter((c: { line: number; file: string }) =>
    c.file === "users.csv" && c.line === U99999_LINE
  );
  assert.deepEqual(u99999, u99999Coercions(U99999_LINE));
  // Counts per file and field are the load's own (all values, recorded or not).
  const [stats] = await workbench.warehouse.query<{ details: string }>(
    "SELECT details FROM etl_file_stats WHERE run_id = ? AND file = 'viewing_sessions.csv'",
    [runId],
  );
  const coerced = JSON.parse(stats.details).coerced as Record<string, number>;
  const sessionGroups = all.groups.filter((g: { file: string }) => g.file === "viewing_sessions.csv");
  assert.deepEqual(
    Object.fromEntries(sessionGroups.map((g: { field: string; count: number }) => [g.field, g.count])),
    coerced,
  );
  const counts = sessionGroups.map((g: { count: number }) => g.count);
  assert.deepEqual(counts, [...counts].sort((a: number, b: number) => b - a), "most first");
  assert.ok(sessionGroups.every((g: { count: number; recorded: number }) => g.recorded === g.count));
  // One field of one file.
  const { count } = all.groups.find((g: { file: string; field: string }) =>
    g.file === "users.csv" && g.field === "subscription_type"
  );
  const plans = await getJson(app, `/api/etl/runs/${runId}/coercions?file=users.csv&field=subscription_type`);
  assert.equal(plans.total, count);
  assert.ok(plans.coercions.some((c: { value: string }) => c.value === "Gold"));
  assert.ok(
    plans.coercions.every((c: { file: string; field: string }) =>
      c.file === "users.csv" && c.field === "subscription_type"
    ),
  );
  // Pages of one file, in line then field order.
  const second = await getJson(app, `/api/etl/runs/${runId}/coercions?file=users.csv&limit=1&page=2`);
  const inUsers = await scalar(
    workbench,
    "SELECT COUNT(*) AS n FROM etl_coercions WHERE run_id = ? AND file = 'users.csv'",
    [runId],
  );
  assert.deepEqual([second.total, second.pages, second.coercions.length], [inUsers, inUsers, 1]);
  const [row] = await workbench.warehouse.query<{ line: number; field: string }>(
    `SELECT line, field FROM etl_coercions WHERE run_id = ? AND file = 'users.csv'
     ORDER BY line, field LIMIT 1 OFFSET 1`,
    [runId],
  );
  assert.deepEqual([second.coercions[0].line, second.coercions[0].field], [Number(row.line), row.field]);
  const bad = await getJson(app, `/api/etl/runs/${runId}/coercions?reason=x`, 400);
  assert.match(bad.error, /^Invalid coercions query: /);
  const none = await getJson(app, "/api/etl/runs/nope/coercions");
  assert.deepEqual([none.total, none.groups], [0, []]);
}

async function checkOrigins({ app, monitor }: Ctx): Promise<void> {
  // Preflight from the allowed origin: 204 with the CORS headers; from another one: 204 without them.
  const preflight = await app.request("/api/etl/start", {
    method: "OPTIONS",
    headers: {
      origin: "http://localhost:5173",
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "http://localhost:5173");
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /content-type/);
  const foreignPreflight = await app.request("/api/etl/start", {
    method: "OPTIONS",
    headers: { origin: "http://evil.test" },
  });
  assert.equal(foreignPreflight.status, 204);
  assert.equal(foreignPreflight.headers.get("access-control-allow-origin"), null);
  assert.equal((await app.request("/api/nothing", { method: "OPTIONS" })).status, 404);

  // GET from the allowed origin carries the CORS header; from another one, none.
  const allowed = await app.request("/api/users/stats", { headers: { origin: "http://localhost:5173" } });
  assert.equal(allowed.headers.get("access-control-allow-origin"), "http://localhost:5173");
  assert.equal(allowed.headers.get("vary"), "Origin");
  const foreign = await app.request("/api/users/stats", { headers: { origin: "http://evil.test" } });
  assert.equal(foreign.headers.get("access-control-allow-origin"), null);

  // Bodyless POSTs: a foreign page is refused (nothing starts), the server's own page is accepted.
  for (
    const init of [bodyless("http://evil.test", "cross-site"), bodyless("http://evil.test"), bodyless("null")]
  ) {
    const res = await app.request("/api/etl/reset", init);
    assert.equal(res.status, 403);
    const body = await res.json();
    assert.match(body.error, /^Cannot POST from /);
    assert.equal(body.message, body.error, "errors carry message too");
  }
  const start = await app.request(
    "/api/mongodb/etl/start",
    bodyless("http://localhost:5173".replace("5173", "6666")),
  );
  assert.equal(start.status, 403);
  assert.equal(monitor.isRunning, false);
  const reset = await app.request("/api/etl/reset", bodyless("http://workbench.local", "same-origin"));
  assert.equal(reset.status, 200, "bodyless POST from the same origin");
  const byOrigin = await app.request("/api/etl/reset", bodyless("http://workbench.local"));
  assert.equal(byOrigin.status, 200, "Origin matching Host, no Sec-Fetch-Site");
  const withBody = await app.request("/api/etl/reset", { method: "POST", body: "x=1" });
  assert.equal(withBody.status, 415, "a body must still be JSON");

  // The original's document loader: answers when the run ends, 409 while one goes.
  const busy = app.request("/api/mongodb/etl/start", bodyless("http://localhost:5173", "same-site"));
  const again = await app.request("/api/mongodb/etl/start", bodyless());
  assert.equal(again.status, 409);
  const busyBody = await again.json();
  assert.match(busyBody.message, /already running/);
  const res = await busy;
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.success, true);
  assert.deepEqual(Object.keys(body.stats).sort(), [
    "deleted",
    "duration",
    "errors",
    "inserted",
    "totalDocuments",
    "unchanged",
    "updated",
  ]);
  const content = monitor.workbench.docstore.collection("content");
  assert.equal(body.stats.totalDocuments, await content.count());
  assert.equal(body.stats.inserted, 0, "the second load inserts nothing");
  assert.equal(body.stats.errors, 0);
  assert.ok(body.stats.duration > 0);
  assert.match(body.message, /^Loaded \d+ documents/);
  assert.equal(monitor.isRunning, false);
}

async function checkAll(ctx: Ctx, t: Deno.TestContext, fresh = true): Promise<void> {
  // A server's database may hold an earlier run of this test: the same dataset, so the same answers after.
  if (fresh) await t.step("before any run: empty answers", () => checkBeforeRun(ctx));
  const runId = await runBoth(ctx);
  await t.step("GET /api/analytics and the charts", () => checkAnalytics(ctx));
  await t.step("GET /api/database/schema and the table browser", () => checkSchema(ctx));
  await t.step("GET /api/users and /api/users/stats", () => checkUsers(ctx));
  await t.step("GET /api/mongodb/content, stats, schema and one document", () => checkMongo(ctx));
  await t.step("GET /api/etl/runs/:id/rejects", () => checkRejects(ctx, runId));
  await t.step("GET /api/etl/runs/:id/coercions", () => checkCoercions(ctx, runId));
  await t.step("CORS, preflight, bodyless POSTs, POST /api/mongodb/etl/start", () => checkOrigins(ctx));
}

Deno.test("the data API on SQLite and the embedded store", async (t) => {
  await withWorkbench((ctx) => checkAll(ctx, t));
});

integrationTest("mysql", {
  name: "the data API on MariaDB (and FerretDB when present)",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (mysqlUrl, t) => {
  const ferret = serverUrl("ferretdb");
  await withWorkbench(async (ctx) => {
    assert.equal(ctx.workbench.warehouse.dialect, "mysql");
    assert.equal(ctx.workbench.docstore.kind, ferret ? "mongodb" : "embedded");
    // The Pipeline page names the stores from /api/health: never with the password of the URL.
    const health = await getJson(ctx.app, "/api/health");
    const password = new URL(mysqlUrl).password;
    assert.ok(password && !health.warehouse.includes(`:${password}@`), health.warehouse);
    assert.match(health.warehouse, /^mysql:\/\//);
    await checkAll(ctx, t, false);
  }, {
    warehouseUrl: uniqueDatabaseUrl(mysqlUrl, "data_api"),
    docstoreUrl: ferret ? uniqueDatabaseUrl(ferret, "data_api") : undefined,
  });
});
