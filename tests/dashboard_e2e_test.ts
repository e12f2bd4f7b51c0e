/// <reference lib="dom" />
/**
 * The dashboard in headless Chromium against a real server on a generated dataset: Start shows nodes going
 * from running to success with moving progress, a green final state, Reset; a run on a data folder without
 * `viewing_sessions.csv` shows the failed node in red with its message. Screenshots go to out/screenshots/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, type Workbench } from "../lib/pipelines/mod.ts";
import { buildDashboard, createApp, EtlMonitor, type StaticAsset } from "../lib/server/mod.ts";
import { browserTest, launchChromium } from "./_chromium.ts";

const SCREENSHOTS = new URL("../out/screenshots/", import.meta.url).pathname;

/** A real HTTP server on a free loopback port over a monitor of `workbench`, closed by `await using`. */
function serveDashboard(workbench: Workbench, dataDir: string, assets: Map<string, StaticAsset>) {
  const monitor = new EtlMonitor({ workbench, dataDir });
  const app = createApp({ monitor, assets });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    monitor,
    async [Symbol.asyncDispose]() {
      app.close();
      await monitor.close();
      await server.shutdown();
    },
  };
}

/** Records every change of each node's status and rows read in the page, as the DOM shows them. */
async function recordNodeChanges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = new Map<string, string>();
    const samples: { id: string; status: string; rows: number }[] = [];
    (globalThis as unknown as { samples: typeof samples }).samples = samples;
    const sample = () => {
      for (const row of document.querySelectorAll<HTMLElement>("[data-node-row]")) {
        const id = row.dataset.nodeRow!;
        const key = `${row.dataset.status}:${row.dataset.rowsRead}`;
        if (seen.get(id) === key) continue;
        seen.set(id, key);
        samples.push({ id, status: row.dataset.status!, rows: Number(row.dataset.rowsRead) });
      }
    };
    new MutationObserver(sample).observe(document.body, {
      subtree: true,
      attributes: true,
      childList: true,
      attributeFilter: ["data-status", "data-rows-read"],
    });
    sample();
  });
}

browserTest(
  "dashboard: Start runs the DAG live to green, Reset; a bad data folder shows the failed node",
  async (chromium) => {
    const dir = await Deno.makeTempDir({ prefix: "dashboard_e2e_" });
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    try {
      const data = join(dir, "data");
      // Enough sessions that process_sessions runs for a few progress intervals (250 ms each).
      await generateDataset({ outDir: data, users: 2000, sessions: 150_000 });
      const badData = join(dir, "bad-data");
      await Deno.mkdir(badData);
      await Deno.copyFile(join(data, "users.csv"), join(badData, "users.csv"));
      await Deno.copyFile(join(data, "content.json"), join(badData, "content.json"));
      const assets = await buildDashboard({ outDir: join(dir, "web") });

      await using workbench = await openWorkbench({ stateDir: join(dir, "state") });
      await using browser = await launchChromium(chromium);
      const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));

      {
        await using server = serveDashboard(workbench, data, assets);
        await page.goto(server.url);
        await page.waitForSelector('[data-dag-status="idle"]');
        assert.equal(await page.locator("svg.dag [data-node]").count(), 13);
        assert.equal(await page.locator('svg.dag [data-status="pending"]').count(), 13);
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-idle.png"), fullPage: true });

        await recordNodeChanges(page);
        // Small batches: more round trips, so process_sessions reports progress several times.
        await page.getByLabel("Batch size").fill("100");
        await page.getByRole("button", { name: "Start" }).click();
        await page.waitForFunction(
          () => {
            const row = document.querySelector<HTMLElement>('[data-node-row="process_sessions"]');
            return row?.dataset.status === "running" && Number(row.dataset.rowsRead) > 0 &&
              document.querySelector("[data-current-node]")?.textContent !== "none";
          },
          undefined,
          { polling: 20 },
        );
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-running.png") });
        await page.waitForSelector('[data-dag-status="success"]', { timeout: 120_000 });
        await page.waitForSelector("[data-details-run] [data-checks]");
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-success.png"), fullPage: true });

        const samples = await page.evaluate(() =>
          (globalThis as unknown as { samples: { id: string; status: string; rows: number }[] }).samples
        );
        const of = (id: string) => samples.filter((s) => s.id === id);
        const sessions = of("process_sessions");
        const firstSuccess = sessions.findIndex((s) => s.status === "success");
        const running = sessions.slice(0, firstSuccess).filter((s) => s.status === "running");
        assert.ok(
          running.length > 0 && firstSuccess > 0,
          `running before success: ${JSON.stringify(sessions)}`,
        );
        const rowsWhileRunning = new Set(running.map((s) => s.rows).filter((r) => r > 0));
        assert.ok(rowsWhileRunning.size >= 2, `progress moved: ${JSON.stringify(running)}`);
        const seenRunning = new Set(samples.filter((s) => s.status === "running").map((s) => s.id));
        assert.ok(seenRunning.size >= 3, `nodes seen running: ${[...seenRunning].join(", ")}`);

        assert.equal(await page.locator('svg.dag [data-status="success"]').count(), 13);
        assert.equal(
          await page.locator('svg.dag [data-node="generate_stats"] .node-box').evaluate((el) =>
            getComputedStyle(el).stroke
          ),
          "rgb(22, 163, 74)",
          "a successful node is drawn green",
        );
        const { dag } = await (await fetch(new URL("api/etl/status", server.url))).json();
        assert.equal(dag.nodes[4].id, "process_sessions");
        const { run } = await (await fetch(new URL(`api/etl/runs/${dag.runId}`, server.url))).json();
        assert.equal(run.options.batchSize, 100, "the batch size typed in the page reached the run");
        const sessionsRow = page.locator('[data-node-row="process_sessions"]');
        assert.equal(await sessionsRow.getAttribute("data-rows-read"), String(dag.nodes[4].rowsRead));
        assert.equal(await page.locator(`[data-run="${dag.runId}"] .badge`).textContent(), "success");

        await page.getByRole("button", { name: "Reset" }).click();
        await page.waitForSelector('[data-dag-status="idle"]');
        assert.equal(await page.locator('svg.dag [data-status="pending"]').count(), 13);
      }

      {
        await using server = serveDashboard(workbench, badData, assets);
        await page.goto(server.url);
        await page.waitForSelector('[data-dag-status="idle"]');
        await page.getByRole("button", { name: "Start" }).click();
        await page.waitForSelector('[data-dag-status="error"]', { timeout: 60_000 });
        const failed = page.locator('svg.dag [data-node="validate_files"]');
        assert.equal(await failed.getAttribute("data-status"), "failed");
        assert.equal(
          await failed.locator(".node-box").evaluate((el) => getComputedStyle(el).stroke),
          "rgb(220, 38, 38)",
          "the failed node is drawn red",
        );
        const { dag } = await (await fetch(new URL("api/etl/status", server.url))).json();
        const message = dag.nodes.find((n: { id: string }) => n.id === "validate_files").error;
        assert.match(message, /viewing_sessions\.csv/);
        assert.equal(
          (await page.textContent('[data-error-of="validate_files"]'))?.replace(/^Error: /, ""),
          message,
        );
        assert.equal(await page.textContent("[data-dag-status]"), "Failed");
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-failed.png"), fullPage: true });
      }
      assert.deepEqual(pageErrors, [], "no error in the page");
      await page.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
