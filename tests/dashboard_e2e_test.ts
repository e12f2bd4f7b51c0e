/// <reference lib="dom" />
/**
 * The dashboard in headless Chromium against a real server on a generated dataset: Start shows nodes going
 * from running to success with moving progress, a green final state, Reset; a run on a data folder without
 * `viewing_sessions.csv` shows the failed node in red with its message; runs started outside the page (a
 * `deno task etl` process, and a notebook-style step run through `startStepRun`) are followed live, with who
 * started them. Screenshots go to out/screenshots/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { generateDataset } from "../lib/generate/mod.ts";
import {
  openWorkbench,
  type OpenWorkbenchOptions,
  runWorkbenchInWorker,
  startStepRun,
  type Workbench,
} from "../lib/pipelines/mod.ts";
import { buildDashboard, createApp, EtlMonitor, type StaticAsset } from "../lib/server/mod.ts";
import { browserTest, launchChromium } from "./_chromium.ts";

const SCREENSHOTS = new URL("../out/screenshots/", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;

/**
 * A real HTTP server on a free loopback port over a monitor of `workbench`, closed by `await using`. Runs go
 * to a worker thread on the same stores, as in `deno task serve`.
 */
function serveDashboard(
  workbench: Workbench,
  stores: OpenWorkbenchOptions,
  dataDir: string,
  assets: Map<string, StaticAsset>,
) {
  const monitor = new EtlMonitor({
    workbench,
    dataDir,
    run: (options) => runWorkbenchInWorker(stores, options),
  });
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

/** What the page shows, for a failure message: the DAG status, any error banner, the node rows. */
function describePage(page: Page): Promise<string> {
  return page.evaluate(() => {
    const status = document.querySelector("[data-dag-status]")?.textContent;
    const banner = document.querySelector(".banner")?.textContent ?? "none";
    const live = document.querySelector(".live")?.textContent;
    const rows = [...document.querySelectorAll<HTMLElement>("[data-node-row]")]
      .map((r) => `${r.dataset.nodeRow}=${r.dataset.status}:${r.dataset.rowsRead}`);
    return `status "${status}", banner "${banner}", "${live}", nodes ${rows.join(" ")}`;
  });
}

/** Waits for `wait`, or fails with what the page shows. */
async function expectPage(page: Page, what: string, wait: Promise<unknown>): Promise<void> {
  try {
    await wait;
  } catch (error) {
    throw new Error(`Expected ${what}; the page shows ${await describePage(page)}`, { cause: error });
  }
}

browserTest(
  "dashboard: Start runs the DAG live to green, Reset; a bad data folder shows the failed node",
  async (chromium) => {
    const dir = await Deno.makeTempDir({ prefix: "dashboard_e2e_" });
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    try {
      const data = join(dir, "data");
      // Enough sessions that process_sessions runs for a few progress intervals (250 ms each); messy, so that
      // the selected run has rejects by reason to show.
      await generateDataset({ outDir: data, users: 2000, sessions: 150_000, messy: true });
      const badData = join(dir, "bad-data");
      await Deno.mkdir(badData);
      await Deno.copyFile(join(data, "users.csv"), join(badData, "users.csv"));
      await Deno.copyFile(join(data, "content.json"), join(badData, "content.json"));
      const assets = await buildDashboard({ outDir: join(dir, "web") });

      const stores = { stateDir: join(dir, "state") };
      await using workbench = await openWorkbench(stores);
      await using browser = await launchChromium(chromium);
      const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));

      {
        await using server = serveDashboard(workbench, stores, data, assets);
        await page.goto(server.url);
        await page.waitForSelector('[data-dag-status="idle"]');
        assert.equal(await page.locator("svg.dag [data-node]").count(), 13);
        assert.equal(await page.locator('svg.dag [data-status="pending"]').count(), 13);
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-idle.png"), fullPage: true });

        await recordNodeChanges(page);
        // Small batches: more round trips, so process_sessions reports progress several times.
        await page.getByLabel("Batch size").fill("100");
        await page.getByRole("button", { name: "Start" }).click();
        // Whichever node is running once rows flow: on a loaded machine the page may catch any of them.
        await expectPage(
          page,
          "a running node with rows read",
          page.waitForFunction(
            () => {
              const row = document.querySelector<HTMLElement>('[data-node-row][data-status="running"]');
              return row !== null && Number(row.dataset.rowsRead) > 0;
            },
            undefined,
            { polling: 20, timeout: 60_000 },
          ),
        );
        assert.equal(
          await page.textContent(".live"),
          "live (event stream)",
          "the page follows the event stream",
        );
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-running.png") });
        await expectPage(
          page,
          "a successful run",
          page.waitForSelector('[data-dag-status="success"]', { timeout: 120_000 }),
        );
        await page.waitForSelector("[data-details-run] [data-checks]");
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-success.png"), fullPage: true });

        const samples = await page.evaluate(() =>
          (globalThis as unknown as { samples: { id: string; status: string; rows: number }[] }).samples
        );
        const seen = JSON.stringify(samples);
        const sessions = samples.filter((s) => s.id === "process_sessions");
        const firstSuccess = sessions.findIndex((s) => s.status === "success");
        assert.ok(
          firstSuccess > 0 && sessions.slice(0, firstSuccess).some((s) => s.status === "running"),
          `process_sessions seen running, then success: ${seen}`,
        );
        // Moving progress: some node showed at least two different row counts while it was running.
        const rowsWhileRunning = new Map<string, Set<number>>();
        for (const s of samples.filter((s) => s.status === "running" && s.rows > 0)) {
          rowsWhileRunning.set(s.id, (rowsWhileRunning.get(s.id) ?? new Set()).add(s.rows));
        }
        assert.ok([...rowsWhileRunning.values()].some((rows) => rows.size >= 2), `progress moved: ${seen}`);
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
        const rejectRows = await page.locator("[data-rejects] tbody tr").allTextContents();
        assert.equal(rejectRows.length, run.rejectsByReason.length);
        assert.ok(rejectRows.length > 0, "the messy dataset's rejects are listed by reason");
        const sessionsRow = page.locator('[data-node-row="process_sessions"]');
        assert.equal(await sessionsRow.getAttribute("data-rows-read"), String(dag.nodes[4].rowsRead));
        assert.equal(await page.locator(`[data-run="${dag.runId}"] .badge`).textContent(), "success");

        await page.getByRole("button", { name: "Reset" }).click();
        await page.waitForSelector('[data-dag-status="idle"]');
        assert.equal(await page.locator('svg.dag [data-status="pending"]').count(), 13);

        // Without the event stream the hook polls every 2 s while the run goes, and still reaches the end.
        await page.goto(`${server.url}?stream=off`);
        await page.waitForSelector('[data-dag-status="idle"]');
        await page.getByRole("button", { name: "Start" }).click();
        await expectPage(page, "polling", page.waitForSelector('.live:text("polling every 2 s")'));
        await expectPage(
          page,
          "a successful run by polling",
          page.waitForSelector('[data-dag-status="success"]', { timeout: 120_000 }),
        );
        assert.equal(await page.locator('svg.dag [data-status="success"]').count(), 13);
      }

      {
        // Runs started outside the page: a terminal's `deno task etl`, then a notebook's step run.
        await using server = serveDashboard(workbench, stores, data, assets);
        await page.goto(server.url);
        await page.waitForSelector("[data-dag-status]");
        await recordNodeChanges(page);
        const cli = new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            join(ROOT, "tasks/etl.ts"),
            "--data",
            data,
            "--state-dir",
            stores.stateDir,
            "--batch-size",
            "20",
            "--json",
          ],
          cwd: ROOT,
          stdout: "piped",
          stderr: "piped",
          env: { NO_LIVE_PROGRESS: "1" },
        }).spawn();
        const cliOutput = cli.output();
        await expectPage(
          page,
          "the CLI's run followed live",
          page.waitForFunction(
            () => {
              const row = document.querySelector<HTMLElement>('[data-node-row][data-status="running"]');
              return document.querySelector('[data-started-by="cli"]') !== null && row !== null &&
                Number(row.dataset.rowsRead) > 0;
            },
            undefined,
            { polling: 20, timeout: 60_000 },
          ),
        );
        assert.equal(await page.getAttribute("[data-dag-status]", "data-dag-status"), "running");
        assert.match(
          (await page.textContent("[data-started-by]")) ?? "",
          new RegExp(`^cli \\(pid ${cli.pid} on .+\\)$`),
        );
        await page.setViewportSize({ width: 1280, height: 720 });
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-cli-run.png") });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-cli-run-narrow.png"), fullPage: true });
        await page.setViewportSize({ width: 1400, height: 1500 });
        await expectPage(
          page,
          "the CLI's run to succeed on the page",
          page.waitForSelector('[data-dag-status="success"]', { timeout: 120_000 }),
        );
        const output = await cliOutput;
        assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
        const cliRunId = JSON.parse(new TextDecoder().decode(output.stdout)).runId;
        const { dag } = await (await fetch(new URL("api/etl/status", server.url))).json();
        assert.equal(dag.runId, cliRunId, "the page shows the CLI's run");
        assert.equal(await page.locator('svg.dag [data-status="success"]').count(), 13);
        const samples = await page.evaluate(() =>
          (globalThis as unknown as { samples: { id: string; status: string; rows: number }[] }).samples
        );
        // Moving progress, as the CLI wrote it: some node was shown running with part of its rows, more than
        // none and fewer than it ended with.
        const final = new Map(samples.filter((s) => s.status === "success").map((s) => [s.id, s.rows]));
        assert.ok(
          samples.some((s) => s.status === "running" && s.rows > 0 && s.rows < (final.get(s.id) ?? 0)),
          `rows moved: ${JSON.stringify(samples)}`,
        );

        // A notebook's step run, from another workbench on the same stores (as a kernel would open).
        await using kernel = await openWorkbench(stores);
        const steps = await startStepRun(kernel, { dataDir: data, batchSize: 100 });
        await expectPage(
          page,
          "the step run followed",
          page.waitForSelector('[data-started-by="notebook"]', { timeout: 10_000 }),
        );
        for (const id of ["validate_files", "create_schema", "load_dimensions", "process_users"]) {
          assert.equal((await steps.runNode(id)).status, "success");
        }
        // Between cells the run stays live, with the nodes done so far.
        await expectPage(
          page,
          "process_users done between cells",
          page.waitForSelector('[data-node-row="process_users"][data-status="success"]', { timeout: 10_000 }),
        );
        assert.equal(await page.getAttribute("[data-dag-status]", "data-dag-status"), "running");
        await page.setViewportSize({ width: 1280, height: 720 });
        await page.screenshot({ path: join(SCREENSHOTS, "dashboard-notebook-run.png") });
        await page.setViewportSize({ width: 1400, height: 1500 });
        assert.equal((await steps.runNode("process_sessions")).status, "success");
        await steps.finish();
        await expectPage(
          page,
          "the step run's end",
          page.waitForSelector('[data-dag-status="success"]', { timeout: 10_000 }),
        );
        const after = await page.evaluate(() =>
          (globalThis as unknown as { samples: { id: string; status: string; rows: number }[] }).samples
        );
        const stepSessions = after.slice(samples.length).filter((s) => s.id === "process_sessions");
        assert.ok(
          stepSessions.some((s) => s.status === "running") && stepSessions.at(-1)?.status === "success",
          `the step run's process_sessions seen running, then success: ${JSON.stringify(stepSessions)}`,
        );
        const { dag: stepDag } = await (await fetch(new URL("api/etl/status", server.url))).json();
        assert.equal(stepDag.runId, steps.runId);
      }

      {
        await using server = serveDashboard(workbench, stores, badData, assets);
        await page.goto(server.url);
        await page.waitForSelector('[data-dag-status="idle"]');
        await page.getByRole("button", { name: "Start" }).click();
        await expectPage(
          page,
          "a failed run",
          page.waitForSelector('[data-dag-status="error"]', { timeout: 60_000 }),
        );
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
