/// <reference lib="dom" />
/**
 * Every page of the dashboard in headless Chromium, over a real server after one run on a generated messy
 * dataset: each shows the warehouse's and the collection's real data (checked against the API and the
 * stores), its links lead where they say, nothing scrolls sideways at 390 px, and the console stays free of
 * errors. Screenshots at 1280x720 and 390 px wide go to out/screenshots/pages/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, type Workbench } from "../lib/pipelines/mod.ts";
import { buildDashboard, createApp, EtlMonitor } from "../lib/server/mod.ts";
import { browserTest, launchChromium } from "./_chromium.ts";
import { appendU99999, U99999 } from "./_u99999.ts";

const SCREENSHOTS = new URL("../out/screenshots/pages/", import.meta.url).pathname;

const VIEWPORTS = [
  { name: "1280", width: 1280, height: 720 },
  { name: "390", width: 390, height: 844 },
] as const;

/** A page that records console errors and uncaught exceptions. */
async function openPage(browser: Browser, viewport: { width: number; height: number }) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
  return { page, errors };
}

/** Fails when the document is wider than the window (sideways scrolling). */
async function assertNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
    // The element that sticks out furthest, outside scrolling boxes, for the failure message.
    let widest = "";
    let right = 0;
    const scrolls = (el: Element | null): boolean =>
      el !== null && el !== document.body &&
      (["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX) || scrolls(el.parentElement));
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect().right;
      if (r > right && !scrolls(el.parentElement)) {
        right = r;
        widest = `${el.tagName.toLowerCase()}.${el.getAttribute("class")} (${Math.round(r)} px)`;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: globalThis.innerWidth, widest };
  });
  assert.ok(
    scrollWidth <= innerWidth,
    `${what}: document ${scrollWidth} px wide in ${innerWidth} px; ${widest}`,
  );
}

async function shoot(page: Page, name: string, viewport: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${viewport}.png`) });
  // The whole page too, in window-high parts that stay legible when looked at one by one.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const { width, height: windowHeight } = page.viewportSize()!;
  for (let part = 1; part * windowHeight < height && part < 4; part++) {
    await page.screenshot({
      path: join(SCREENSHOTS, `${name}-${viewport}-part${part + 1}.png`),
      fullPage: true,
      clip: {
        x: 0,
        y: part * windowHeight,
        width,
        height: Math.min(windowHeight, height - part * windowHeight),
      },
    });
  }
}

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

async function checkPages(
  base: string,
  workbench: Workbench,
  browser: Browser,
  runId: string,
  u99999Line: number,
) {
  const wh = workbench.warehouse;
  const count = async (sql: string) => Number((await wh.query<{ n: number }>(sql))[0].n);
  const grouped = (n: number) => new Intl.NumberFormat("en-US").format(n);
  const users = await count("SELECT COUNT(*) AS n FROM users");
  const sessions = await count("SELECT COUNT(*) AS n FROM viewing_sessions");

  for (const viewport of VIEWPORTS) {
    const { page, errors } = await openPage(browser, viewport);
    const v = viewport.name;

    // Pipeline: the connected stores, the overall bar, the finished run's timeline with both branches.
    await page.goto(`${base}#/pipeline`);
    await page.waitForSelector('[data-dag-status="success"]');
    assert.equal(await text(page, '[data-store="warehouse"]'), wh.label);
    assert.equal(await text(page, '[data-store="docstore"]'), workbench.docstore.label);
    assert.equal(await page.locator("[data-overall-percent]").getAttribute("data-overall-percent"), "100");
    await page.waitForSelector(`[data-gantt="${runId}"]`);
    assert.equal(await page.locator("[data-gantt-node]").count(), 13, "every node on the timeline");
    assert.equal(await page.locator('[data-gantt-node="load_content"] rect').count(), 1);
    assert.equal(await page.locator('[data-gantt-node="process_sessions"] rect').count(), 1);
    await assertNoSidewaysScroll(page, `pipeline at ${v}`);
    await shoot(page, "pipeline", v);

    // Nav bar: each link opens its page.
    await page.click('[data-nav="analytics"]');
    assert.match(page.url(), /#\/analytics$/);
    await page.waitForSelector('[data-chart="device-share"] svg');
    assert.equal(await text(page, '[data-kpi="users"] .value'), grouped(users));
    assert.equal(await text(page, '[data-kpi="sessions"] .value'), grouped(sessions));
    assert.equal(await page.locator("[data-chart]").count(), 9);
    // Charts are drawn at the width of their column: never wider than the window.
    const chartWidth = await page.locator('[data-chart="country-minutes"] svg').evaluate((el) =>
      el.getBoundingClientRect().width
    );
    assert.ok(chartWidth > 200 && chartWidth <= viewport.width - 20, `chart ${chartWidth} px at ${v}`);
    const devices = await wh.query<{ device_type: string }>("SELECT device_type FROM stats_device_usage");
    const share = await text(page, '[data-chart="device-share"]');
    for (const d of devices) assert.ok(share.includes(d.device_type), `device ${d.device_type} in the chart`);
    await assertNoSidewaysScroll(page, `analytics at ${v}`);
    await shoot(page, "analytics", v);

    // Warehouse: the ER diagram's lines, row counts equal to COUNT(*), a sorted page of a table.
    await page.click('[data-nav="warehouse"]');
    await page.waitForSelector("[data-er] [data-er-link]");
    for (
      const link of [
        "viewing_sessions.user_id->users.user_id",
        "viewing_sessions.device_type->device_types.device_type",
        "users.subscription_type->subscription_types.subscription_type",
        "user_metrics.user_id->users.user_id",
      ]
    ) assert.equal(await page.locator(`[data-er-link="${link}"]`).count(), 1, link);
    assert.equal(await text(page, '[data-table="viewing_sessions"] [data-row-count]'), grouped(sessions));
    await assertNoSidewaysScroll(page, `warehouse at ${v}`);
    await shoot(page, "warehouse", v);
    await page.click('[data-browse="users"]');
    await page.waitForSelector('[data-browser="users"] [data-rows] tbody tr');
    await page.click('[data-browser="users"] [data-sort="age"]');
    await page.click('[data-browser="users"] [data-sort="age"]');
    await page.waitForFunction(() => location.hash.includes("order=desc"));
    await page.waitForSelector('[data-browser="users"] th[aria-sort="descending"]');
    const [oldest] = await wh.query<{ age: number }>("SELECT MAX(age) AS age FROM users");
    await page.waitForFunction(
      (age) =>
        document.querySelector('[data-browser="users"] [data-rows] tbody tr td:nth-child(2)')?.textContent ===
          age,
      String(oldest.age),
    );
    await assertNoSidewaysScroll(page, `table browser at ${v}`);
    await shoot(page, "warehouse-browser", v);

    // Documents: cards of the collection, a filter, one document's JSON.
    await page.click('[data-nav="documents"]');
    await page.waitForSelector("[data-card]");
    const total = await workbench.docstore.collection("content").count();
    assert.match(await text(page, "[data-pager] [data-page-info]"), new RegExp(`\\(${total} documents\\)`));
    await page.selectOption('[data-filter="type"]', "series");
    const series = await workbench.docstore.collection("content").count({ type: "series" });
    await page.waitForFunction(
      (n) => document.querySelector("[data-page-info]")?.textContent?.includes(`(${n} documents)`),
      series,
    );
    assert.ok(await page.locator("[data-indexes] tbody tr").count() >= 1, "the indexes are listed");
    await assertNoSidewaysScroll(page, `documents at ${v}`);
    await shoot(page, "documents", v);
    const first = await page.locator("[data-card]").first().getAttribute("data-card");
    await page.click(`[data-card="${first}"]`);
    await page.waitForSelector(`[data-document="${first}"] [data-json]`);
    const json = JSON.parse(await text(page, "[data-json]"));
    assert.equal(json.content_id, first);
    assert.equal(json.type, "series");
    await assertNoSidewaysScroll(page, `document at ${v}`);
    await shoot(page, "document", v);
    await page.goBack();
    await page.waitForSelector("[data-card]");

    // Users: the statistics, a search, a sort.
    await page.click('[data-nav="users"]');
    await page.waitForSelector("[data-users] tbody tr");
    assert.equal(await text(page, '[data-kpi="total"] .value'), grouped(users));
    const [{ country }] = await wh.query<{ country: string }>(
      "SELECT country, COUNT(*) AS n FROM users WHERE country IS NOT NULL GROUP BY country ORDER BY n DESC, country LIMIT 1",
    );
    await page.click(`[data-top-countries] a:text-is("${country}")`);
    await page.waitForFunction(() => location.hash.includes("search="));
    const inCountry = await count(
      `SELECT COUNT(*) AS n FROM users WHERE country = '${country.replaceAll("'", "''")}'`,
    );
    await page.waitForFunction(
      (n) => document.querySelector("[data-page-info]")?.textContent?.includes(`(${n} users)`),
      grouped(inCountry),
    );
    await page.click('[data-users] [data-sort="total_sessions"]');
    await page.waitForSelector('[data-users] th[aria-sort="ascending"] [data-sort="total_sessions"]');
    await assertNoSidewaysScroll(page, `users at ${v}`);
    await shoot(page, "users", v);

    // Rejects: the run's groups, one group's rows with their raw lines.
    await page.click('[data-nav="rejects"]');
    await page.waitForSelector("[data-groups] [data-group]");
    const [group] = await wh.query<{ file: string; reason: string; n: number }>(
      `SELECT file, reason, COUNT(*) AS n FROM etl_rejects WHERE run_id = '${runId}'
       GROUP BY file, reason ORDER BY file, n DESC, reason LIMIT 1`,
    );
    await page.click(`[data-group="${group.file}/${group.reason}"]`);
    await page.waitForFunction(
      (n) => document.querySelector("[data-page-info]")?.textContent?.includes(`(${n} rejected rows)`),
      grouped(Number(group.n)),
    );
    const [firstReject] = await wh.query<{ line: number }>(
      `SELECT line FROM etl_rejects WHERE run_id = '${runId}' AND file = '${group.file}' AND reason = '${group.reason}'
       ORDER BY line LIMIT 1`,
    );
    await page.waitForSelector(`[data-reject="${group.file}:${firstReject.line}"]`);
    await assertNoSidewaysScroll(page, `rejects at ${v}`);
    await shoot(page, "rejects", v);
    await checkCoercions(page, workbench, runId, u99999Line, v);

    // Presenter mode: larger text, still no sideways scrolling.
    await page.click('[data-nav="analytics"]');
    await page.waitForSelector('[data-chart="device-share"] svg');
    await page.check(".presenter-toggle input");
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains("presenter")), true);
    await assertNoSidewaysScroll(page, `presenter analytics at ${v}`);
    await shoot(page, "analytics-presenter", v);
    await page.uncheck(".presenter-toggle input");

    assert.deepEqual(errors, [], `no console error at ${v}`);
    await page.close();
  }
}

/**
 * The Rejects page's coerced values: counts per file and field as the load counted them, the U99999 row's
 * four NULLs when filtered by its file, one field's values when filtered by field.
 */
async function checkCoercions(page: Page, workbench: Workbench, runId: string, line: number, v: string) {
  const wh = workbench.warehouse;
  const stats = await wh.query<{ file: string; details: string }>(
    "SELECT file, details FROM etl_file_stats WHERE run_id = ?",
    [runId],
  );
  const expected = stats.flatMap((s) =>
    Object.entries((JSON.parse(s.details).coerced ?? {}) as Record<string, number>).map(([field, n]) =>
      `${s.file}/${field} ${n}`
    )
  ).sort();
  assert.ok(expected.length >= 4, `the messy run coerced values: ${expected}`);
  await page.waitForSelector("[data-coercion-groups] [data-coercion-group]");
  const shown = await page.locator("[data-coercion-group]").evaluateAll((links) =>
    links.map((a) => `${a.getAttribute("data-coercion-group")} ${a.querySelector(".num")?.textContent}`)
  );
  assert.deepEqual(shown.sort(), expected, `coerced values per file and field at ${v}`);

  // The U99999 row: filtered by its file, its four values stored as NULL, each with what the file said.
  await page.click('[data-coercion-group="users.csv/age"]');
  await page.waitForFunction(() => location.hash.includes("field=age"));
  await page.waitForSelector(`[data-coercion="users.csv:${line}:age"]`);
  assert.equal(
    await page.locator("[data-coercions] h2").innerText(),
    "users.csv age: stored as NULL or a default",
  );
  assert.equal(
    await page.locator("[data-coercions-table] tbody tr").count(),
    expected.filter((e) => e.startsWith("users.csv/age ")).map((e) => Number(e.split(" ")[1]))[0],
  );
  await page.goto(page.url().replace(/\?.*$/, "?file=users.csv"));
  for (const field of ["age", "registration_date", "subscription_type", "total_watch_time_hours"]) {
    const row = page.locator(`[data-coercion="users.csv:${line}:${field}"]`);
    await row.waitFor();
    assert.equal(await row.locator('[data-label="In the file"]').innerText(), U99999[field]);
    assert.equal(await row.locator('[data-label="Stored"]').innerText(), "NULL");
  }
  // The file filter also narrows the rejects to that file.
  await page.waitForFunction(() =>
    [...document.querySelectorAll("[data-reject]")].every((r) =>
      r.getAttribute("data-reject")!.startsWith("users.csv:")
    )
  );
  await page.locator(`[data-coercion="users.csv:${line}:age"]`).scrollIntoViewIfNeeded();
  await assertNoSidewaysScroll(page, `coercions at ${v}`);
  await page.screenshot({ path: join(SCREENSHOTS, `rejects-coercions-${v}.png`) });
  await page.locator("[data-coercions]").screenshot({ path: join(SCREENSHOTS, `coercions-${v}.png`) });
}

browserTest("dashboard pages show the loaded data at 1280x720 and 390 px", async (chromium) => {
  const dir = await Deno.makeTempDir({ prefix: "pages_e2e_" });
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  try {
    const data = join(dir, "data");
    await generateDataset({ outDir: data, users: 400, sessions: 6000, messy: true });
    const u99999Line = await appendU99999(data);
    const assets = await buildDashboard({ outDir: join(dir, "web") });
    await using workbench = await openWorkbench({ stateDir: join(dir, "state") });
    const monitor = new EtlMonitor({ workbench, dataDir: data });
    const app = createApp({ monitor, assets });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
    try {
      await using browser = await launchChromium(chromium);
      // Before any run the Analytics page says why it has no charts; they appear when the run ends.
      const { page, errors } = await openPage(browser, { width: 1280, height: 720 });
      await page.goto(`http://127.0.0.1:${server.addr.port}/#/analytics`);
      await page.waitForSelector("[data-charts-missing]");
      assert.equal(await text(page, '[data-kpi="sessions"] .value'), "0");
      const { runId } = await monitor.start({ pipelines: "both", fresh: false, batchSize: 500 });
      await monitor.idle();
      assert.equal(monitor.status().status, "success");
      await page.waitForSelector('[data-chart="device-share"] svg', { timeout: 30_000 });
      const [{ n }] = await workbench.warehouse.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM viewing_sessions",
      );
      assert.equal(
        await text(page, '[data-kpi="sessions"] .value'),
        new Intl.NumberFormat("en-US").format(n),
      );
      assert.equal(await page.locator("[data-charts-missing]").count(), 0);
      assert.deepEqual(errors, []);
      await page.close();
      await checkPages(`http://127.0.0.1:${server.addr.port}/`, workbench, browser, runId, u99999Line);
    } finally {
      app.close();
      await monitor.close();
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A server of one HTML page on its own port: another origin, as the original client on port 5173. */
function servePage(html: string) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } }),
  );
  return { origin: `http://127.0.0.1:${server.addr.port}`, server };
}

browserTest(
  "the original client's calls from another origin: allowed with --cors-origin, refused otherwise",
  async (chromium) => {
    const dir = await Deno.makeTempDir({ prefix: "pages_cors_" });
    try {
      await generateDataset({ outDir: join(dir, "data"), users: 50, sessions: 400 });
      await using workbench = await openWorkbench({ stateDir: join(dir, "state") });
      const monitor = new EtlMonitor({ workbench, dataDir: join(dir, "data") });
      const page =
        "<!doctype html><html><head><link rel='icon' href='data:,'></head><body>client</body></html>";
      const allowed = servePage(page);
      const foreign = servePage(page);
      const app = createApp({ monitor, corsOrigins: [allowed.origin] });
      const api = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
      const base = `http://127.0.0.1:${api.addr.port}/api`;
      try {
        await using browser = await launchChromium(chromium);
        const tab = await browser.newPage();
        // The original client's calls: a bodyless POST without Content-Type, then GETs.
        const call = (path: string, method = "GET") =>
          tab.evaluate(async ([url, m]) => {
            try {
              const res = await fetch(url, { method: m });
              return { ok: res.ok, status: res.status, body: await res.json() };
            } catch (error) {
              return { ok: false, status: 0, body: String(error) };
            }
          }, [`${base}${path}`, method]);

        await tab.goto(allowed.origin);
        const started = await call("/etl/start", "POST");
        assert.equal(started.status, 202, JSON.stringify(started.body));
        await monitor.idle();
        assert.equal(monitor.status().status, "success");
        const analytics = await call("/analytics");
        assert.equal(analytics.ok, true);
        assert.equal(
          analytics.body.analytics.totalSessions,
          Number(
            (await workbench.warehouse.query<{ n: number }>("SELECT COUNT(*) AS n FROM viewing_sessions"))[0]
              .n,
          ),
        );
        const reset = await call("/etl/reset", "POST");
        assert.equal(reset.status, 200);
        const loaded = await call("/mongodb/etl/start", "POST");
        assert.equal(loaded.status, 200, JSON.stringify(loaded.body));
        assert.equal(
          loaded.body.stats.totalDocuments,
          await workbench.docstore.collection("content").count(),
        );

        const runs = (await workbench.runStore.listRuns(50)).length;
        await tab.goto(foreign.origin);
        const refused = await call("/etl/start", "POST");
        assert.equal(refused.ok, false);
        assert.equal(refused.status, 0, "the browser does not let the page read the answer");
        assert.equal(monitor.isRunning, false, "and the server did not start a run");
        assert.equal((await workbench.runStore.listRuns(50)).length, runs);
        const read = await call("/users/stats");
        assert.equal(read.status, 0, "nor read the data");
        await tab.close();
      } finally {
        app.close();
        await monitor.close();
        await api.shutdown();
        await allowed.server.shutdown();
        await foreign.server.shutdown();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
