/**
 * The incremental load's targets, measured by `deno task bench` (or alone: `deno run -A
 * tasks/bench_partitions.ts [--scale 10] [--mysql URL] [--engines sqlite,mysql]`): on a partitioned dataset at scale 10, the whole DAG
 * as a full refresh, then a run with no new file, then a run with one new day (about 1/245 of the sessions),
 * on SQLite and on MariaDB. Times are of `runWorkbench` in this process, so Deno's start-up is left out.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { appendDays, generateDataset, partitionSessionsByDay } from "../lib/generate/mod.ts";
import { openWorkbench, runWorkbench } from "../lib/pipelines/mod.ts";

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function load(): Promise<string> {
  const out = await new Deno.Command("uptime", { stdout: "piped" }).output().catch(() => null);
  return out ? new TextDecoder().decode(out.stdout).trim() : "uptime unavailable";
}

/** Full refresh, no new file, one new day: times and ratios on one warehouse. */
export async function benchIncremental(
  label: string,
  warehouseUrl: string,
  dataDir: string,
  stateDir: string,
): Promise<{ full: number; idle: number; day: number }> {
  await using wb = await openWorkbench({
    warehouseUrl,
    docstoreUrl: `embedded:${stateDir}/docs_${label}`,
    stateDir,
  });
  const time = async (options: Partial<Parameters<typeof runWorkbench>[1]>) => {
    const started = performance.now();
    const result = await runWorkbench(wb, { dataDir, ...options });
    const failed = result.nodes.filter((n) => n.status !== "success");
    if (failed.length) {
      throw new Error(`${label}: ${failed.map((n) => `${n.nodeId}: ${n.error}`).join("; ")}`);
    }
    const ms = performance.now() - started;
    const what = options.fullRefresh ? "full refresh" : "run";
    // Every node of a short run (what is left to cut), the four slowest of a full one.
    const nodes = options.fullRefresh
      ? [...result.nodes].sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0)).slice(0, 4)
      : result.nodes;
    const list = nodes.map((n) => `${n.nodeId} ${((n.durationMs ?? 0) / 1000).toFixed(3)}`).join(", ");
    console.log(
      `  ${label} ${what} ${seconds(ms)}; ${options.fullRefresh ? "slowest " : ""}nodes (s): ${list}`,
    );
    const sessions = result.nodes.find((n) => n.nodeId === "process_sessions");
    const timings = (sessions?.details as { timings?: Record<string, number> } | undefined)?.timings;
    if (!options.fullRefresh && timings) console.log(`    process_sessions (ms): ${JSON.stringify(timings)}`);
    return ms;
  };
  const full = await time({ fresh: true, fullRefresh: true });
  const idle = await time({});
  const added = await appendDays(dataDir, 1, 42, { replace: false });
  let day: number;
  try {
    day = await time({});
  } finally {
    for (const file of added) await Deno.remove(file.path);
  }
  console.log(
    `${label}: full refresh ${seconds(full)}; no new file ${seconds(idle)} (${
      (idle / full * 100).toFixed(1)
    } %, ` +
      `target <= 2 %); one new day ${seconds(day)} (${(day / full * 100).toFixed(1)} %, target <= 5 %)`,
  );
  return { full, idle, day };
}

/** Runs the measurement on SQLite and MariaDB (or the engines named). */
export async function benchPartitions(
  options: { scale: number; mysqlUrl: string; benchDir: string; engines?: readonly string[] },
) {
  const engines = options.engines ?? ["sqlite", "mysql"];
  const dataDir = join(options.benchDir, `partitioned-x${options.scale}`);
  try {
    await Deno.stat(join(dataDir, "viewing_sessions"));
  } catch {
    console.log(`generating the partitioned dataset at scale ${options.scale} into ${dataDir}`);
    await generateDataset({ outDir: dataDir, scale: options.scale });
    await partitionSessionsByDay(dataDir);
  }
  console.log(`load before: ${await load()}`);
  const state = join(options.benchDir, "partitions");
  await Deno.mkdir(state, { recursive: true });
  if (engines.includes("sqlite")) {
    await benchIncremental("SQLite", `sqlite:${join(state, "warehouse.db")}`, dataDir, state);
  }
  if (engines.includes("mysql")) await benchIncremental("MariaDB", options.mysqlUrl, dataDir, state);
  console.log(`load after: ${await load()}`);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { scale: { type: "string" }, mysql: { type: "string" }, engines: { type: "string" } },
  });
  await benchPartitions({
    scale: Number(values.scale ?? 10),
    mysqlUrl: values.mysql ?? "mysql://workbench:workbench@127.0.0.1:3306/workbench_bench_partitions",
    benchDir: ".workbench/bench",
    engines: values.engines?.split(","),
  });
}
