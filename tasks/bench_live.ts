/**
 * The cost of the live channel, measured by `deno task bench` (or alone: `deno run -A tasks/bench_live.ts
 * [--data DIR] [--mysql URL] [--runs 7]`): the relational DAG (`--fresh`, its eight nodes) with live writes on
 * (each node's live row and counters written at most twice a second, the heartbeat on its own thread) and off,
 * alternating run by run on the same warehouse so that both see the same machine, on SQLite and on MariaDB.
 * Times are of `runWorkbench` in this process, so Deno's start-up is left out. Both modes hold the run lease.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, RELATIONAL_NODES, runWorkbench } from "../lib/pipelines/mod.ts";

/** Median wall times (ms) of the relational DAG with live writes on and off, and their ratio. */
export interface LiveCost {
  on: number;
  off: number;
  ratio: number;
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs the relational DAG `runs` times in each mode, alternating, and prints the medians and the ratio. */
export async function benchLiveWrites(
  label: string,
  warehouseUrl: string,
  dataDir: string,
  stateDir: string,
  runs: number,
): Promise<LiveCost> {
  const times = { on: [] as number[], off: [] as number[] };
  await using wb = await openWorkbench({ warehouseUrl, stateDir });
  for (let i = 0; i < runs; i++) {
    // Alternate which mode goes first, so that neither always follows the other's warm caches.
    const order = i % 2 ? ["off", "on"] as const : ["on", "off"] as const;
    for (const mode of order) {
      const started = performance.now();
      const result = await runWorkbench(wb, {
        dataDir,
        fresh: true,
        only: RELATIONAL_NODES.map((n) => n.id),
        liveWrites: mode === "on",
      });
      if (result.status !== "success") {
        const failed = result.nodes.filter((n) => n.status !== "success");
        throw new Error(`${label}: ${failed.map((n) => `${n.nodeId}: ${n.error}`).join("; ")}`);
      }
      times[mode].push(performance.now() - started);
    }
  }
  const cost = { on: median(times.on), off: median(times.off), ratio: 0 };
  cost.ratio = cost.on / cost.off;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `  ${label}: relational DAG, median of ${runs}: live writes on ${s(cost.on)}, off ${s(cost.off)}; ` +
      `${((cost.ratio - 1) * 100).toFixed(1)} % (target < 3 %); runs on ${times.on.map(s).join(" ")}, ` +
      `off ${times.off.map(s).join(" ")}`,
  );
  return cost;
}

/** Both engines on one dataset; MariaDB only when `mysqlUrl` is given. */
export async function benchLive(
  options: { dataDir: string; benchDir: string; mysqlUrl?: string; runs?: number },
): Promise<void> {
  const { dataDir, benchDir, mysqlUrl, runs = 7 } = options;
  const stateDir = join(benchDir, "live-state");
  await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  await benchLiveWrites("sqlite", `sqlite:${join(stateDir, "warehouse.db")}`, dataDir, stateDir, runs);
  if (mysqlUrl) await benchLiveWrites("mysql", mysqlUrl, dataDir, stateDir, runs);
}

if (import.meta.main) {
  const args = parseArgs({
    args: Deno.args,
    options: {
      data: { type: "string" },
      mysql: { type: "string" },
      runs: { type: "string", default: "7" },
      "bench-dir": { type: "string", default: ".workbench/bench" },
    },
  });
  const benchDir = args.values["bench-dir"];
  const dataDir = args.values.data ?? join(benchDir, "scale-1");
  try {
    await Deno.stat(join(dataDir, "viewing_sessions.csv"));
  } catch {
    console.log(`generating the dataset at scale 1 into ${dataDir}`);
    await generateDataset({ outDir: dataDir, scale: 1 });
  }
  await benchLive({ dataDir, benchDir, mysqlUrl: args.values.mysql, runs: Number(args.values.runs) });
}
