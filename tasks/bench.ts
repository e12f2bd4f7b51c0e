/**
 * `deno task bench`: measures the relational DAG on MariaDB against the floor of the same work done by the
 * `mariadb` client with `LOAD DATA LOCAL INFILE` plus the aggregation query, the peak memory of
 * `deno task etl` at scale 10 against scale 1, then runs `deno task bench:serve` (50 pollers of the status
 * API during a full run). Prints ratios measured in this one run.
 *
 *   deno task bench [--mysql mysql://workbench:workbench@127.0.0.1:3306/workbench_bench] [--runs 3]
 *                   [--skip-memory] [--skip-serve] [--skip-partitions]
 *
 * With partitioned sessions (`tasks/bench_partitions.ts`): one new day and no new file against a full
 * refresh at scale 10, on SQLite and MariaDB.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { DIALECTS } from "../lib/warehouse/mod.ts";
import {
  DATA_TABLES,
  openWorkbench,
  RELATIONAL_NODES,
  runWorkbench,
  USER_METRICS_SQL,
} from "../lib/pipelines/mod.ts";
import { parseWarehouseUrl } from "../lib/warehouse/mod.ts";
import { benchPartitions } from "./bench_partitions.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    mysql: { type: "string" },
    "skip-memory": { type: "boolean" },
    "skip-serve": { type: "boolean" },
    "skip-partitions": { type: "boolean" },
    runs: { type: "string" },
  },
});
const mysqlUrl = args.values.mysql ??
  Deno.env.get("TEST_MYSQL_URL")?.replace(/\/[^/]*$/, "/workbench_bench") ??
  "mysql://workbench:workbench@127.0.0.1:3306/workbench_bench";
const runs = Number(args.values.runs ?? 3);
const benchDir = ".workbench/bench";
const dataDir = join(benchDir, "data");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function ensureData(dir: string, scale: number) {
  try {
    await Deno.stat(join(dir, "viewing_sessions.csv"));
  } catch {
    console.log(`generating the dataset at scale ${scale} into ${dir}`);
    await generateDataset({ outDir: dir, scale });
  }
}

/** The mariadb client, as a person would time it by hand. */
async function mariadb(sql: string, database?: string): Promise<number> {
  const target = parseWarehouseUrl(mysqlUrl);
  if (target.dialect !== "mysql") throw new TypeError("--mysql must be a mysql:// URL");
  const t0 = performance.now();
  const out = await new Deno.Command("mariadb", {
    args: [
      "--local-infile=1",
      `-h${target.host}`,
      `-P${target.port}`,
      `-u${target.user}`,
      `-p${target.password}`,
      ...(database ? [database] : []),
      "-e",
      sql,
    ],
  }).output();
  if (!out.success) throw new Error(`mariadb failed: ${new TextDecoder().decode(out.stderr)}`);
  return performance.now() - t0;
}

async function floor(): Promise<{ total: number; sessions: number; aggregation: number }> {
  const db = "workbench_floor";
  await mariadb(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db}`);
  const table = (name: string) => DATA_TABLES.find((t) => t.name === name)!;
  const ddl = ["users", "viewing_sessions", "user_metrics"].flatMap((t) =>
    DIALECTS.mysql.createTable(table(t))
  )
    .join(";\n");
  await mariadb(ddl, db);
  const load = (file: string, name: string, columns: string) =>
    `LOAD DATA LOCAL INFILE '${Deno.realPathSync(join(dataDir, file))}' INTO TABLE ${name}
     FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\n' IGNORE 1 LINES ${columns}`;
  const users = await mariadb(load("users.csv", "users", ""), db);
  const sessions = await mariadb(
    load(
      "viewing_sessions.csv",
      "viewing_sessions",
      "(session_id, user_id, content_id, @d, watch_duration_minutes, completion_percentage, device_type, quality_level) SET watch_date = @d",
    ),
    db,
  );
  const aggregation = await mariadb(`INSERT INTO user_metrics ${USER_METRICS_SQL}`, db);
  return { total: users + sessions + aggregation, sessions, aggregation };
}

async function relationalDag(): Promise<{ total: number; sessions: number }> {
  await using wb = await openWorkbench({ warehouseUrl: mysqlUrl, stateDir: benchDir });
  const result = await runWorkbench(wb, {
    dataDir,
    fresh: true,
    only: RELATIONAL_NODES.map((n) => n.id),
  });
  if (result.status !== "success") {
    throw new Error(`the DAG failed: ${JSON.stringify(result.nodes.filter((n) => n.error))}`);
  }
  return {
    total: result.finishedAt.getTime() - result.startedAt.getTime(),
    sessions: result.nodes.find((n) => n.nodeId === "process_sessions")!.durationMs!,
  };
}

/** Peak resident memory of a child process, read from /proc while it runs (Linux). */
async function peakRss(args: string[]): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).spawn();
  let peak = 0;
  const poll = setInterval(() => {
    try {
      const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch { /* the process just ended */ }
  }, 20);
  const status = await child.status;
  clearInterval(poll);
  if (!status.success) throw new Error(`${args.join(" ")} failed`);
  return peak;
}

await ensureData(dataDir, 1);
console.log(
  `machine: ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}; MariaDB at ${
    mysqlUrl.replace(/:[^:@/]*@/, "@")
  }`,
);
const floors = [];
const dags = [];
for (let i = 0; i < runs; i++) {
  floors.push(await floor());
  dags.push(await relationalDag());
  console.log(`run ${i + 1}: floor ${seconds(floors[i].total)}, DAG ${seconds(dags[i].total)}`);
}
const f = median(floors.map((x) => x.total));
const d = median(dags.map((x) => x.total));
console.log(`\nmedians over ${runs} runs`);
console.log(
  `floor (mariadb LOAD DATA + aggregation): ${seconds(f)} (sessions ${
    seconds(median(floors.map((x) => x.sessions)))
  }, aggregation ${seconds(median(floors.map((x) => x.aggregation)))})`,
);
console.log(
  `relational DAG: ${seconds(d)} (process_sessions ${seconds(median(dags.map((x) => x.sessions)))})`,
);
console.log(`ratio DAG / floor: ${(d / f).toFixed(2)} (target <= 2)`);

if (!args.values["skip-memory"]) {
  const scale10 = join(benchDir, "data-x10");
  await ensureData(scale10, 10);
  const etl = (
    dir: string,
    state: string,
  ) => ["run", "--allow-all", "tasks/etl.ts", "--data", dir, "--state-dir", join(benchDir, state), "--fresh"];
  const one = await peakRss(etl(dataDir, "mem1"));
  const ten = await peakRss(etl(scale10, "mem10"));
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `peak memory of deno task etl: scale 1 ${mib(one)}, scale 10 ${mib(ten)}; ratio ${
      (ten / one).toFixed(2)
    } (target <= 1.3)`,
  );
}

if (!args.values["skip-partitions"]) {
  console.log("\nincremental loads of partitioned sessions, scale 10");
  await benchPartitions({
    scale: 10,
    mysqlUrl: mysqlUrl.replace(/\/[^/]*$/, "/workbench_bench_partitions"),
    benchDir,
  });
}

if (!args.values["skip-serve"]) {
  console.log("\ndeno task bench:serve");
  const serve = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "tasks/bench_serve.ts", "--runs", String(runs)],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!serve.success) Deno.exit(1);
}
