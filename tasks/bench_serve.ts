/**
 * `deno task bench:serve`: how the status API holds up while a full run goes, and what it costs the run.
 * Alternates full runs (`fresh`, started through `POST /api/etl/start` like the dashboard's Start) without
 * and with 50 concurrent pollers of `GET /api/etl/status`; prints the run times, the slowdown ratio, and the
 * pollers' latency percentiles. The pollers run in a worker thread, so their own work does not share the
 * server's event loop (they do share the machine's cores, as a browser on the same machine would).
 *
 *   deno task bench:serve [--scale 1] [--runs 3] [--pollers 50] [--interval-ms 0] [--warehouse URL]
 *                         [--in-process]
 *
 * Runs go to a worker thread as in `deno task serve`; `--in-process` runs them on the server's thread.
 *
 * `--interval-ms 0` (the default) is a closed loop: each poller sends its next request as soon as the last
 * answer is read, far more than the dashboard's one request every 2 s.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, runWorkbenchInWorker } from "../lib/pipelines/mod.ts";
import { createApp, EtlMonitor } from "../lib/server/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    scale: { type: "string", default: "1" },
    runs: { type: "string", default: "3" },
    pollers: { type: "string", default: "50" },
    "interval-ms": { type: "string", default: "0" },
    warehouse: { type: "string" },
    "in-process": { type: "boolean" },
  },
});
const scale = Number(values.scale);
const runs = Number(values.runs);
const pollers = Number(values.pollers);
const intervalMs = Number(values["interval-ms"]);
const benchDir = ".workbench/bench-serve";
const dataDir = join(benchDir, `data-scale-${scale}`);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;

try {
  await Deno.stat(join(dataDir, "viewing_sessions.csv"));
} catch {
  console.log(`generating the dataset at scale ${scale} into ${dataDir}`);
  await generateDataset({ outDir: dataDir, scale });
}
const stateDir = join(benchDir, "state");
await Deno.remove(stateDir, { recursive: true }).catch(() => {});

const stores = { warehouseUrl: values.warehouse, stateDir };
await using workbench = await openWorkbench(stores);
// As deno task serve runs: in a worker thread, unless --in-process.
await using monitor = new EtlMonitor({
  workbench,
  dataDir,
  run: values["in-process"] ? undefined : (options) => runWorkbenchInWorker(stores, options),
});
const app = createApp({ monitor });
await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
const base = `http://127.0.0.1:${server.addr.port}`;
console.log(
  `warehouse: ${workbench.warehouse.label}   docstore: ${workbench.docstore.label}   data: ${dataDir}`,
);

/** The pollers, in a worker: `start` them, `stop` them and get every request's latency in ms. */
const POLLER_CODE = `
let stop = false;
self.onmessage = async ({ data }) => {
  if (data.type === "stop") { stop = true; return; }
  const latencies = [];
  let errors = 0;
  const loop = async () => {
    while (!stop) {
      const t0 = performance.now();
      try {
        const res = await fetch(data.url);
        const body = await res.json();
        if (!res.ok || !body.dag) errors++;
      } catch { errors++; }
      latencies.push(performance.now() - t0);
      if (data.intervalMs > 0) await new Promise((r) => setTimeout(r, data.intervalMs));
    }
  };
  self.postMessage({ type: "started" });
  await Promise.all(Array.from({ length: data.pollers }, loop));
  self.postMessage({ type: "done", latencies, errors });
};`;

async function fullRun(withPollers: boolean) {
  let worker: Worker | undefined;
  let result: Promise<{ latencies: number[]; errors: number }> | undefined;
  if (withPollers) {
    worker = new Worker(URL.createObjectURL(new Blob([POLLER_CODE], { type: "text/javascript" })), {
      type: "module",
    });
    const { promise: started, resolve: onStarted } = Promise.withResolvers<void>();
    const { promise: done, resolve: onDone } = Promise.withResolvers<
      { latencies: number[]; errors: number }
    >();
    worker.onmessage = ({ data }) => data.type === "started" ? onStarted() : onDone(data);
    worker.postMessage({ type: "start", url: `${base}/api/etl/status`, pollers, intervalMs });
    await started;
    result = done;
  }
  const res = await fetch(`${base}/api/etl/start`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fresh: true }),
  });
  if (res.status !== 202) throw new Error(`Cannot start a run: ${await res.text()}`);
  await res.body?.cancel();
  await monitor.idle();
  const dag = monitor.status();
  worker?.postMessage({ type: "stop" });
  const polled = await result;
  worker?.terminate();
  if (dag.status !== "success") throw new Error(`The run ended in ${dag.status}`);
  return { runMs: dag.elapsedMs, polled };
}

const baseline: number[] = [];
const polledRuns: number[] = [];
const latencies: number[] = [];
let errors = 0;
await fullRun(false); // warm-up: creates the tables, JIT-compiles the nodes
for (let i = 0; i < runs; i++) {
  const a = await fullRun(false);
  baseline.push(a.runMs);
  const b = await fullRun(true);
  polledRuns.push(b.runMs);
  latencies.push(...b.polled!.latencies);
  errors += b.polled!.errors;
  console.log(
    `run ${i + 1}: ${s(a.runMs)} alone, ${s(b.runMs)} with ${pollers} pollers ` +
      `(${b.polled!.latencies.length} requests, ${
        (b.polled!.latencies.length / (b.runMs / 1000)).toFixed(0)
      }/s)`,
  );
}
app.close();
latencies.sort((a, b) => a - b);
const runTime = median(polledRuns);
console.log(
  `
full run at scale ${scale}, median of ${runs}: ${s(median(baseline))} alone, ${
    s(runTime)
  } with ${pollers} pollers` +
    ` (interval ${intervalMs} ms): slowdown x${(runTime / median(baseline)).toFixed(2)}
status requests: ${latencies.length} (${errors} errors), p50 ${ms(percentile(latencies, 50))}, ` +
    `p90 ${ms(percentile(latencies, 90))}, p99 ${ms(percentile(latencies, 99))}, max ${
      ms(latencies.at(-1) ?? 0)
    }`,
);
