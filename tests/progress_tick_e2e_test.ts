/// <reference lib="dom" />
/**
 * A notebook's progress table keeps ticking in the browser while the kernel sends nothing (a synchronous
 * SQLite statement blocks the kernel's thread): the HTML of a running node, drawn once, is loaded in headless
 * Chromium, and its elapsed time, estimate bar, percentage and indeterminate bar are read twice, seconds
 * apart, from the computed styles that CSS animates. No script runs in the page.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ProgressTable } from "../lib/notebook/mod.ts";
import { browserTest, launchChromium } from "./_chromium.ts";

const SCREENS = new URL("../.workbench/screens/", import.meta.url).pathname;

browserTest("a running node's time and bar move in the browser between two drawings", async (chromium) => {
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const table = new ProgressTable(["create_aggregations", "generate_stats", "validate_data"]);
  table.apply({ type: "run-started", runId: "r", nodeIds: ["create_aggregations"], at: ago(90_000) });
  // 65.5 s into a node that took 100 s last time; 4.2 s into one without an estimate.
  table.apply({
    type: "node-started",
    runId: "r",
    nodeId: "create_aggregations",
    attempt: 1,
    at: ago(65_500),
  });
  table.apply({
    type: "node-progress",
    runId: "r",
    nodeId: "create_aggregations",
    metrics: { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, estimatedMs: 100_000 },
    at: ago(65_500),
  });
  table.apply({ type: "node-started", runId: "r", nodeId: "generate_stats", attempt: 1, at: ago(4_200) });
  const html = table.html({ now });
  assert.match(html, /^<style>@property --wb-s/, "the ticking CSS comes with a running node");
  assert.doesNotMatch(html, /<script/i);

  await using browser = await launchChromium(chromium);
  const page = await browser.newPage({ viewport: { width: 1100, height: 260 } });
  await page.setContent(`<!doctype html><html><body style="font:14px sans-serif">${html}</body></html>`);
  const read = () =>
    page.evaluate(() => {
      const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      const rows = [...document.querySelectorAll("tr")].slice(1, 3);
      const [estimated, unknown] = rows.map((row) => {
        const tick = row.querySelector(".wb-tick")!;
        const s = Number(getComputedStyle(tick).getPropertyValue("--wb-s"));
        const m = Number(getComputedStyle(tick).getPropertyValue("--wb-m"));
        return {
          seconds: m * 60 + s,
          staticShown: getComputedStyle(tick.querySelector(".wb-static")!).display !== "none",
          minutesShown: parseFloat(getComputedStyle(tick.querySelector(".wb-over")!).fontSize) > 0,
          underShown: parseFloat(getComputedStyle(tick.querySelector(".wb-under")!).fontSize) > 0,
        };
      });
      const fill = document.querySelector(".wb-fill")!;
      return {
        estimated,
        unknown,
        fill: fill.getBoundingClientRect().width / fill.parentElement!.getBoundingClientRect().width,
        percent: Number(style(".wb-pct").getPropertyValue("--wb-p")),
        slide: style(".wb-indeterminate").left,
        pending: document.querySelectorAll("tr")[3].querySelector(".wb-tick"),
      };
    });
  const first = await read();
  await page.screenshot({ path: join(SCREENS, "progress-tick-1.png") }).catch(() => {});
  assert.ok(first.estimated.seconds >= 65 && first.estimated.seconds <= 67, JSON.stringify(first));
  assert.ok(first.unknown.seconds >= 4 && first.unknown.seconds <= 6, JSON.stringify(first));
  assert.deepEqual(
    [first.estimated.staticShown, first.estimated.minutesShown, first.estimated.underShown],
    [false, true, false],
    "past a minute: '1 min 05 s', the static text hidden",
  );
  assert.deepEqual([first.unknown.minutesShown, first.unknown.underShown], [false, true], "'4 s'");
  assert.ok(Math.abs(first.fill - 0.655) < 0.03, `bar at ${first.fill}`);
  assert.ok(Math.abs(first.percent - 66) <= 2, `percent ${first.percent}`);
  assert.equal(first.pending, null, "a pending node does not tick");

  // Nothing is drawn again: the page itself must move on.
  await page.waitForFunction(
    (start) => {
      const tick = document.querySelector(".wb-tick")!;
      const style = getComputedStyle(tick);
      return Number(style.getPropertyValue("--wb-m")) * 60 + Number(style.getPropertyValue("--wb-s")) >=
        start + 3;
    },
    first.estimated.seconds,
    { timeout: 10_000 },
  );
  const second = await read();
  await page.screenshot({ path: join(SCREENS, "progress-tick-2.png") }).catch(() => {});
  assert.ok(second.unknown.seconds >= first.unknown.seconds + 2, JSON.stringify([first, second]));
  assert.ok(second.fill > first.fill + 0.02, `the bar grew: ${first.fill} -> ${second.fill}`);
  assert.ok(second.percent >= first.percent + 2, `percent ${first.percent} -> ${second.percent}`);
  assert.notEqual(second.slide, first.slide, "the indeterminate block moved");
  await page.close();
});

Deno.test("a finished table carries no animation, and its static text is all it shows", () => {
  const table = new ProgressTable(["load"]);
  const at = new Date(Date.UTC(2024, 0, 1));
  table.apply({ type: "node-started", runId: "r", nodeId: "load", attempt: 1, at });
  const running = table.html({ now: new Date(at.getTime() + 5_250) });
  assert.match(
    running,
    /<span class="wb-tick" style="--wb-d:-5\.250s;"><span class="wb-static">5\.25 s<\/span>/,
  );
  assert.match(running, /class="wb-indeterminate" style="--wb-d:-5\.250s;/);
  table.apply({
    type: "node-finished",
    runId: "r",
    nodeId: "load",
    result: {
      nodeId: "load",
      status: "success",
      attempts: 1,
      startedAt: at,
      finishedAt: new Date(at.getTime() + 6000),
      durationMs: 6000,
      error: null,
      rowsRead: 0,
      rowsWritten: 0,
      rowsRejected: 0,
    },
    at: new Date(at.getTime() + 6000),
  });
  const done = table.html();
  assert.doesNotMatch(done, /<style>|wb-tick|--wb-d/);
  assert.match(done, />6\.00 s</);
});
