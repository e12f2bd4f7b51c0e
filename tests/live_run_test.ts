/**
 * One live run, seen everywhere: `deno task etl` in another process, followed by a server over the same
 * warehouse (status and event stream); a second run refused while one is live (CLI exit 3, API 409) and
 * queued with `--wait`; a run killed with SIGKILL mid-`process_sessions` is abandoned within the lease
 * timeout, and `--resume` ends with the same tables as an uninterrupted run; a step run (a stand-in kernel)
 * holds the lease between cells and frees it when killed. On SQLite and on MariaDB.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import {
  DATA_TABLES,
  dropTables,
  openWorkbench,
  type OpenWorkbenchOptions,
  RUN_TABLES,
  type Workbench,
} from "../lib/pipelines/mod.ts";
import { createApp, type DagView, EtlMonitor } from "../lib/server/mod.ts";
import { openWarehouse } from "../lib/warehouse/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const ETL = join(ROOT, "tasks/etl.ts");
const JSON_POST = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };

type Engine = { name: string; warehouseUrl: (suffix: string, dir: string) => string };
const SQLITE: Engine = { name: "SQLite", warehouseUrl: (_s, dir) => `sqlite:${join(dir, "warehouse.db")}` };

let dataset: Promise<string> | undefined;
/** Enough sessions that process_sessions runs for a few seconds in small batches; generated once. */
function dataDir(): Promise<string> {
  dataset ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "live_run_data_" });
    await generateDataset({ outDir: dir, seed: 11, users: 3000, sessions: 120_000, messy: true });
    return dir;
  })();
  return dataset;
}

/** A `deno task etl` process on the given stores; `output` resolves when it ends. */
function spawnEtl(stores: OpenWorkbenchOptions, data: string, args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ETL,
      "--data",
      data,
      "--warehouse",
      stores.warehouseUrl!,
      "--docstore",
      stores.docstoreUrl!,
      "--state-dir",
      stores.stateDir!,
      ...args,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_LIVE_PROGRESS: "1" },
  }).spawn();
  const output = child.output().then((o) => ({
    code: o.code,
    stdout: new TextDecoder().decode(o.stdout),
    stderr: new TextDecoder().decode(o.stderr),
  }));
  return { child, output };
}

/** Stores in a fresh folder (and a fresh MariaDB database), a server app over them; all closed after. */
async function withStores(
  engine: Engine,
  suffix: string,
  fn: (ctx: {
    stores: OpenWorkbenchOptions;
    workbench: Workbench;
    monitor: EtlMonitor;
    app: ReturnType<typeof createApp>;
    data: string;
  }) => Promise<void>,
  leaseTimeoutMs?: number,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "live_run_" });
  const stores = {
    warehouseUrl: engine.warehouseUrl(suffix, dir),
    docstoreUrl: `embedded:${join(dir, "docstore")}`,
    stateDir: join(dir, "state"),
  };
  try {
    {
      await using wh = await openWarehouse(stores.warehouseUrl, { stateDir: stores.stateDir });
      await dropTables(wh, [...DATA_TABLES, ...RUN_TABLES]);
    }
    await using workbench = await openWorkbench({ ...stores, leaseTimeoutMs });
    // In process, as `deno task serve` builds it: the app reads the warehouse the CLI writes.
    await using monitor = new EtlMonitor({ workbench, dataDir: await dataDir(), followMs: 200 });
    const app = createApp({ monitor });
    try {
      await fn({ stores, workbench, monitor, app, data: await dataDir() });
    } finally {
      app.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function status(app: ReturnType<typeof createApp>): Promise<DagView> {
  return (await (await app.request("/api/etl/status")).json()).dag;
}

/** Polls the status every 50 ms until `done` holds (or fails after `timeoutMs`), keeping every view. */
async function pollStatus(
  app: ReturnType<typeof createApp>,
  done: (dag: DagView) => boolean,
  timeoutMs: number,
  what: string,
): Promise<DagView[]> {
  const views: DagView[] = [];
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const dag = await status(app);
    views.push(dag);
    if (done(dag)) return views;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const last = views.at(-1);
  throw new Error(
    `Expected ${what} within ${timeoutMs} ms; the status is ${last?.status} (run ${last?.runId}, ${
      last?.nodes.map((n) => `${n.id}=${n.status}:${n.rowsRead}`).join(" ")
    })`,
  );
}

const sessionsOf = (dag: DagView) => dag.nodes.find((n) => n.id === "process_sessions")!;

/** Reads server-sent events from the app until `stop` is aborted; resolves to the messages. */
async function readEvents(app: ReturnType<typeof createApp>, stop: AbortSignal) {
  const res = await app.request("/api/etl/events");
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: { type: string; dag: DagView }[] = [];
  let buffer = "";
  stop.addEventListener("abort", () => reader.cancel(), { once: true });
  while (true) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done) break;
    buffer += value;
    const parts = buffer.split("\n\n");
    buffer = parts.pop()!;
    for (const part of parts) messages.push(JSON.parse(part.replace(/^data: /, "")));
  }
  return messages;
}

function liveSuite(engine: Engine) {
  return async (t: Deno.TestContext) => {
    await t.step(
      "the server shows a CLI run live, with its run id, moving counts, then success",
      async () => {
        await withStores(engine, "follow", async ({ stores, app, data }) => {
          const stop = new AbortController();
          const events = readEvents(app, stop.signal);
          const cli = spawnEtl(stores, data, ["--batch-size", "50", "--json"]);
          const views = await pollStatus(
            app,
            (dag) => dag.status === "success" || dag.status === "error",
            180_000,
            "the CLI's run to end",
          );
          const { code, stdout, stderr } = await cli.output;
          assert.equal(code, 0, stderr);
          const runId = JSON.parse(stdout).runId;
          const running = views.filter((v) => v.status === "running");
          assert.ok(running.length > 0, "the run was seen running");
          assert.ok(running.every((v) => v.runId === runId), "the run shown is the CLI's");
          assert.equal(running[0].startedBy?.source, "cli");
          assert.equal(running[0].startedBy?.pid, cli.child.pid);
          const counts = new Set(
            running.filter((v) => sessionsOf(v).status === "running").map((v) => sessionsOf(v).rowsRead),
          );
          assert.ok(
            counts.size >= 2,
            `process_sessions' rows moved while running: ${[...counts].join(", ")}`,
          );
          const last = views.at(-1)!;
          assert.equal(last.status, "success");
          assert.equal(last.runId, runId);
          assert.equal(last.stats.completed, 13);
          const cliSessions = JSON.parse(stdout).nodes.find((n: { nodeId: string }) =>
            n.nodeId === "process_sessions"
          );
          assert.equal(sessionsOf(last).rowsRead, cliSessions.rowsRead);
          stop.abort();
          const messages = await events;
          assert.ok(
            messages.some((m) => m.type === "run-started" && m.dag.runId === runId),
            "run-started sent",
          );
          assert.ok(messages.filter((m) => m.type === "node-progress").length >= 2, "progress sent");
          assert.equal(messages.at(-1)?.dag.status, "success");
        });
      },
    );

    await t.step("a second run is refused while one is live (exit 3, 409); --wait queues", async () => {
      await withStores(engine, "refuse", async ({ stores, workbench, app, data }) => {
        const first = spawnEtl(stores, data, ["--batch-size", "50"]);
        const [seen] = (await pollStatus(app, (d) => d.status === "running", 60_000, "the first run live"))
          .slice(-1);
        const sentence = new RegExp(
          `^Cannot start a run: run ${seen.runId} is live on this warehouse, started by cli \\(pid ${first.child.pid} on host .+\\) at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC`,
        );
        const second = await spawnEtl(stores, data, []).output;
        assert.equal(second.code, 3, second.stdout + second.stderr);
        assert.match(second.stdout.split("\n").find((l) => l.startsWith("Cannot"))!, sentence);

        const res = await app.request("/api/etl/start", JSON_POST);
        assert.equal(res.status, 409);
        assert.match((await res.json()).error, sentence);
        // A server that has not seen the run yet is refused by the lease itself.
        await using blind = new EtlMonitor({ workbench, dataDir: data, followMs: 0 });
        const refused = await createApp({ monitor: blind }).request("/api/etl/start", JSON_POST);
        assert.equal(refused.status, 409);
        assert.match((await refused.json()).error, sentence);

        const queued = spawnEtl(stores, data, ["--wait", "--only", "generate_stats", "--json"]);
        const [firstOut, queuedOut] = await Promise.all([first.output, queued.output]);
        assert.equal(firstOut.code, 0, firstOut.stderr);
        assert.equal(queuedOut.code, 0, queuedOut.stderr);
        assert.match(queuedOut.stderr, new RegExp(`Waiting: run ${seen.runId} is live`));
        const runs = await workbench.runStore.listRuns(5);
        const [queuedRun, firstRun] = runs;
        assert.equal(queuedRun.runId, JSON.parse(queuedOut.stdout).runId);
        assert.equal(firstRun.runId, seen.runId);
        assert.equal(firstRun.status, "success");
        assert.equal(queuedRun.status, "success");
        assert.ok(
          queuedRun.startedAt >= firstRun.finishedAt!,
          "the queued run started after the first ended",
        );
      });
    });

    await t.step(
      "a notebook's step run holds the lease between cells; its kernel's death frees it",
      async () => {
        await withStores(engine, "kernel", async ({ stores, workbench, app, data }) => {
          const kernel = new Deno.Command(Deno.execPath(), {
            args: ["run", "-A", join(ROOT, "tests/_hold_step_run.ts"), JSON.stringify(stores), data],
            cwd: ROOT,
            stdout: "piped",
            stderr: "inherit",
          }).spawn();
          const lines = kernel.stdout.pipeThrough(new TextDecoderStream()).getReader();
          const runId = (await lines.read()).value!.trim();
          const [live] = (await pollStatus(app, (d) => d.runId === runId, 5_000, "the step run shown")).slice(
            -1,
          );
          assert.equal(live.status, "running");
          assert.deepEqual(live.startedBy, { source: "notebook", host: Deno.hostname(), pid: kernel.pid });
          const holder = await workbench.runStore.leaseHolder();
          assert.equal(holder?.runId, runId, "the step run holds the lease between cells");
          assert.equal(holder?.fresh, true);
          kernel.kill("SIGKILL");
          await kernel.status;
          await lines.cancel();
          const [gone] = (await pollStatus(app, (d) => d.status === "abandoned", 6_000, "abandoned")).slice(
            -1,
          );
          assert.equal(gone.runId, runId);
          const next = await spawnEtl(stores, data, ["--only", "validate_files", "--lease-timeout", "2"])
            .output;
          assert.equal(next.code, 0, next.stdout + next.stderr);
          const stepRun = (await workbench.runStore.listRuns(5)).find((r) => r.runId === runId);
          assert.equal(stepRun?.status, "abandoned");
        }, 2_000);
      },
    );

    await t.step(
      "a run killed mid-process_sessions is abandoned; --resume ends as if never stopped",
      async () => {
        const timeout = ["--lease-timeout", "2"];
        await withStores(engine, "kill", async ({ stores, workbench, monitor, app, data }) => {
          // Tiny batches: process_sessions runs long enough to be killed in the middle.
          const victim = spawnEtl(stores, data, ["--batch-size", "5", ...timeout]);
          const views = await pollStatus(
            app,
            (d) => d.status === "running" && sessionsOf(d).status === "running" && sessionsOf(d).rowsRead > 0,
            120_000,
            "process_sessions running",
          );
          const runId = views.at(-1)!.runId!;
          victim.child.kill("SIGKILL");
          const killedAt = Date.now();
          await victim.output;
          const [abandoned] = (await pollStatus(app, (d) => d.status === "abandoned", 6_000, "abandoned"))
            .slice(-1);
          assert.ok(Date.now() - killedAt < 2_000 + 3_000, "abandoned within the lease timeout (and a poll)");
          assert.equal(abandoned.runId, runId);
          assert.match(abandoned.error ?? "", /abandoned: no heartbeat for/);
          assert.equal(sessionsOf(abandoned).status, "failed");
          // The monitor marks the run in etl_runs right after showing it abandoned.
          await monitor.idle();
          const [stored] = await workbench.runStore.listRuns(1);
          assert.equal(stored.runId, runId);
          assert.equal(stored.status, "abandoned");
          const node = (await workbench.runStore.nodeRuns(runId)).find((n) =>
            n.nodeId === "process_sessions"
          );
          assert.equal(node?.status, "abandoned");

          const resumed = await spawnEtl(stores, data, ["--resume", "--json", ...timeout]).output;
          assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
          const result = JSON.parse(resumed.stdout);
          assert.ok(result.nodes.some((n: { nodeId: string }) => n.nodeId === "process_sessions"));
          assert.equal(result.status, "success");
          const afterResume = await tables(workbench);

          // The same data, uninterrupted, into stores of its own.
          await withStores(engine, "kill_ref", async ({ stores: ref, workbench: refWb }) => {
            const straight = await spawnEtl(ref, data, ["--batch-size", "500"]).output;
            assert.equal(straight.code, 0, straight.stderr);
            assert.deepEqual(afterResume, await tables(refWb));
          });
        }, 2_000);
      },
    );
  };
}

/** What the relational pipeline produced: every data table's rows, in key order (sessions summarised). */
async function tables(workbench: Workbench): Promise<Record<string, unknown>> {
  const wh = workbench.warehouse;
  const out: Record<string, unknown> = {};
  for (const table of DATA_TABLES) {
    if (table.name.startsWith("stage_")) continue;
    const order = table.primaryKey.join(", ");
    if (table.name === "viewing_sessions") {
      out[table.name] = await wh.query(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS users, ROUND(SUM(watch_duration_minutes), 2) AS minutes,
           MIN(session_id) AS first, MAX(session_id) AS last FROM viewing_sessions`,
      );
      continue;
    }
    out[table.name] = (await wh.query(`SELECT * FROM ${table.name} ORDER BY ${order}`))
      .map((row) => JSON.stringify(row));
  }
  return out;
}

Deno.test({
  name: "live run on SQLite: followed by the server, one at a time, abandoned when killed",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: liveSuite(SQLITE),
});

integrationTest(
  "mysql",
  {
    name: "live run on MariaDB: followed by the server, one at a time, abandoned when killed",
    sanitizeOps: false,
    sanitizeResources: false,
  },
  (url, t) =>
    liveSuite({ name: "MariaDB", warehouseUrl: (suffix) => uniqueDatabaseUrl(url, `live_${suffix}`) })(t),
);
