/**
 * `deno task bench`: per engine and scale, the whole `deno task etl` (13 nodes, `--fresh`, wall time from
 * spawning Deno to its exit, as a user runs it) against the **floor**, the same load done by the database's
 * own tools: the `mariadb` client's `LOAD DATA LOCAL INFILE` of users and sessions into the same tables, their
 * secondary indexes built after the load (as the DAG builds them), plus the `user_metrics` query; or the
 * `sqlite3` CLI's `.import`, the indexes and the same query. Prints the ratio, each node's seconds and
 * seconds per million sessions (a node that grows faster than its input stands out as the scale rises), and
 * the peak memory (VmHWM) of the run, with a timeline (each node's start and end since Deno was spawned);
 * then runs `deno task bench:serve` (50 pollers of the status API).
 *
 *   deno task bench [--scale 1,10[,100]] [--engines mysql,sqlite] [--runs 1]
 *                   [--mysql mysql://workbench:workbench@127.0.0.1:3306/workbench_bench] [--data-root DIR]
 *                   [--skip-serve] [--skip-partitions] [--skip-live]
 *
 * Datasets are generated once into `<data-root>/scale-<N>` (default `.workbench/bench`); point `--mysql` at
 * any server, e.g. a stock one: `MARIADB_CONFIG=stock MARIADB_PORT=3407 MARIADB_DIR=.workbench/servers/stock
 * bash .ci/mariadb.sh start`.
 *
 * With partitioned sessions (`tasks/bench_partitions.ts`): one new day and no new file against a full
 * refresh at scale 10, on SQLite and MariaDB. With live writes on and off (`tasks/bench_live.ts`): the cost
 * of the live channel, the relational DAG alternating at scale 1 on both engines.
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { DIALECTS, parseWarehouseUrl } from "../lib/warehouse/mod.ts";
import { DATA_TABLES, USER_METRICS_SQL } from "../lib/pipelines/mod.ts";
import type { RunResult } from "../lib/dag/mod.ts";
import { benchPartitions } from "./bench_partitions.ts";
import { benchLive } from "./bench_live.ts";

const USAGE = `usage: deno task bench [--scale 1,10[,100]] [--engines mysql,sqlite] [--runs N] [--mysql URL]
                       [--data-root DIR] [--skip-serve] [--skip-partitions] [--skip-live]

Runs the whole \`deno task etl\` per engine and scale against the database's own bulk load (the floor) and
prints the ratio, each node's seconds and the peak memory. Datasets go to <data-root>/scale-<N>
(default .workbench/bench), generated when missing.`;

let args;
try {
  args = parseArgs({
    args: Deno.args,
    options: {
      help: { type: "boolean", short: "h" },
      mysql: { type: "string" },
      scale: { type: "string", default: "1,10" },
      engines: { type: "string", default: "mysql,sqlite" },
      runs: { type: "string", default: "1" },
      "data-root": { type: "string", default: ".workbench/bench" },
      "skip-serve": { type: "boolean" },
      // Accepted for older scripts: memory is measured on every run now.
      "skip-memory": { type: "boolean" },
      "skip-partitions": { type: "boolean" },
      "skip-live": { type: "boolean" },
    },
  });
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  Deno.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const mysqlUrl = args.values.mysql ??
  Deno.env.get("TEST_MYSQL_URL")?.replace(/\/[^/]*$/, "/workbench_bench") ??
  "mysql://workbench:workbench@127.0.0.1:3306/workbench_bench";
const scales = args.values.scale.split(",").map(Number);
const engines = args.values.engines.split(",") as ("mysql" | "sqlite")[];
const runs = Number(args.values.runs);
const root = resolve(args.values["data-root"]);
if (scales.some((s) => !(s > 0)) || !(runs >= 1) || engines.some((e) => e !== "mysql" && e !== "sqlite")) {
  console.error(USAGE);
  Deno.exit(2);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => (ms / 1000).toFixed(2);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const table = (name: string) => DATA_TABLES.find((t) => t.name === name)!;
const FLOOR_TABLES = ["users", "viewing_sessions", "user_metrics"];
/** A floor table without its secondary indexes: the floor builds them after the load, as the DAG does. */
const bare = (name: string) => ({ ...table(name), indexes: [] });
/** The floor tables' secondary indexes, built once their rows are in. */
const indexStatements = (dialect: "mysql" | "sqlite") =>
  FLOOR_TABLES.flatMap((t) => (table(t).indexes ?? []).map((i) => DIALECTS[dialect].createIndex(t, i)));

async function dataset(scale: number): Promise<{ dir: string; sessions: number }> {
  const dir = join(root, `scale-${scale}`);
  try {
    await Deno.stat(join(dir, "manifest.json"));
  } catch {
    console.log(`generating the dataset at scale ${scale} into ${dir}`);
    await generateDataset({ outDir: dir, scale });
  }
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  return { dir, sessions: manifest.sessions };
}

/** Runs a command; resolves to its wall time in ms. */
async function timed(command: string, cmdArgs: string[], stdin?: string): Promise<number> {
  const t0 = performance.now();
  const child = new Deno.Command(command, {
    args: cmdArgs,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${command} failed: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}

/** The `mariadb` client, as a person would time it by hand. */
function mariadb(sql: string, database?: string): Promise<number> {
  const target = parseWarehouseUrl(mysqlUrl);
  if (target.dialect !== "mysql") throw new TypeError("--mysql must be a mysql:// URL");
  return timed("mariadb", [
    "--local-infile=1",
    `-h${target.host}`,
    `-P${target.port}`,
    `-u${target.user}`,
    `-p${target.password}`,
    ...(database ? [database] : []),
    "-e",
    sql,
  ]);
}

async function mysqlFloor(dir: string): Promise<number> {
  const target = parseWarehouseUrl(mysqlUrl);
  const db = `${target.dialect === "mysql" ? target.database : "workbench"}_floor`;
  await mariadb(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db}`);
  await mariadb(FLOOR_TABLES.flatMap((t) => DIALECTS.mysql.createTable(bare(t))).join(";\n"), db);
  const load = (file: string, name: string, columns: string) =>
    `LOAD DATA LOCAL INFILE '${join(dir, file)}' INTO TABLE ${name}
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
  const indexes = await mariadb(indexStatements("mysql").join(";\n"), db);
  const aggregation = await mariadb(`INSERT INTO user_metrics ${USER_METRICS_SQL}`, db);
  await mariadb(`DROP DATABASE ${db}`);
  return users + sessions + indexes + aggregation;
}

/** The `sqlite3` CLI with its defaults: `.import` into the same tables and indexes, then the query. */
async function sqliteFloor(dir: string, work: string): Promise<number> {
  const path = join(work, "floor.db");
  await Deno.remove(path).catch(() => {});
  await timed(
    "sqlite3",
    [path],
    FLOOR_TABLES.flatMap((t) => DIALECTS.sqlite.createTable(bare(t))).join(";\n") + ";\n",
  );
  const ms = await timed(
    "sqlite3",
    [path],
    `.import --csv --skip 1 ${join(dir, "users.csv")} users
.import --csv --skip 1 ${join(dir, "viewing_sessions.csv")} viewing_sessions
${indexStatements("sqlite").join(";\n")};
INSERT INTO user_metrics ${USER_METRICS_SQL};
`,
  );
  await Deno.remove(path);
  return ms;
}

interface EtlRun {
  /** When Deno was spawned (epoch ms): the timeline's zero. */
  spawnedAt: number;
  wallMs: number;
  peakRss: number;
  result: RunResult;
}

/** The options `deno task etl` gives `deno run` (deno.json), e.g. its V8 flags: the bench runs it the same way. */
const ETL_RUN_OPTIONS: string[] = (() => {
  const task: string =
    JSON.parse(Deno.readTextFileSync(join(import.meta.dirname!, "../deno.json"))).tasks.etl;
  const words = task.split(/\s+/);
  return words.slice(words.indexOf("run") + 1, words.indexOf("tasks/etl.ts"));
})();

/** `deno task etl --fresh --json` in a child process: wall time, peak resident memory (Linux), summary. */
async function etl(dir: string, warehouseUrl: string, work: string): Promise<EtlRun> {
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...ETL_RUN_OPTIONS,
      "tasks/etl.ts",
      "--data",
      dir,
      "--warehouse",
      warehouseUrl,
      "--docstore",
      `embedded:${join(work, "docstore")}`,
      "--state-dir",
      work,
      "--fresh",
      "--json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let peak = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch { /* the process just ended */ }
  }, 20);
  const out = await child.output();
  const wallMs = performance.now() - t0;
  clearInterval(poll);
  let result: RunResult | undefined;
  try {
    result = JSON.parse(new TextDecoder().decode(out.stdout));
  } catch { /* no summary: the run did not get that far */ }
  if (!out.success || result?.status !== "success") {
    const failed = result ? JSON.stringify(result.nodes.filter((n) => n.error)) : "";
    const stderr = new TextDecoder().decode(out.stderr).split("\n").slice(-15).join("\n");
    throw new Error(`deno task etl failed: ${failed}\n${stderr}`);
  }
  return { spawnedAt, wallMs, peakRss: peak, result };
}

const load = await Deno.loadavg();
console.log(
  `machine: ${navigator.hardwareConcurrency} cores, load average ${
    load.map((l) => l.toFixed(2)).join(" ")
  }, Deno ${Deno.version.deno}; MariaDB at ${mysqlUrl.replace(/:[^:@/]*@/, "@")}; deno run ${
    ETL_RUN_OPTIONS.join(" ")
  } tasks/etl.ts`,
);

const peaks = new Map<string, number[]>();
for (const engine of engines) {
  for (const scale of scales) {
    const { dir, sessions } = await dataset(scale);
    const work = join(root, `run-${engine}-${scale}`);
    await Deno.remove(work, { recursive: true }).catch(() => {});
    await Deno.mkdir(work, { recursive: true });
    const warehouseUrl = engine === "mysql" ? mysqlUrl : `sqlite:${join(work, "warehouse.db")}`;
    const floors: number[] = [];
    const dags: EtlRun[] = [];
    for (let i = 0; i < runs; i++) {
      floors.push(engine === "mysql" ? await mysqlFloor(dir) : await sqliteFloor(dir, work));
      dags.push(await etl(dir, warehouseUrl, work));
    }
    const floor = median(floors);
    const dag = dags.find((d) => d.wallMs === median(dags.map((x) => x.wallMs)))!;
    const millions = sessions / 1e6;
    console.log(
      `\n${engine} scale ${scale} (${sessions.toLocaleString("en-US")} sessions${
        runs > 1 ? `, median of ${runs}` : ""
      }): floor ${s(floor)} s, DAG ${s(dag.wallMs)} s, ratio ${
        (dag.wallMs / floor).toFixed(2)
      }, peak memory ${mib(dag.peakRss)}`,
    );
    // The timeline: each node's start and end in seconds since Deno was spawned (start-up, waits, overlap).
    const at = (date: Date | string | null) =>
      date === null ? "-" : s(new Date(date).getTime() - dag.spawnedAt).padStart(6);
    console.log(`  run started at ${at(dag.result.startedAt)} s, Deno exited at ${s(dag.wallMs)} s`);
    console.log("  node                      seconds   s / M sessions    from     to");
    const byStart = [...dag.result.nodes].sort((a, b) =>
      new Date(a.startedAt ?? 0).getTime() - new Date(b.startedAt ?? 0).getTime()
    );
    for (const node of byStart) {
      const ms = node.durationMs ?? 0;
      console.log(
        `  ${node.nodeId.padEnd(24)} ${s(ms).padStart(8)} ${
          (ms / 1000 / millions).toFixed(2).padStart(16)
        }  ${at(node.startedAt)} ${at(node.finishedAt)}`,
      );
    }
    peaks.set(engine, [...(peaks.get(engine) ?? []), dag.peakRss]);
    await Deno.remove(work, { recursive: true });
  }
}
for (const [engine, [first, ...rest]] of peaks) {
  if (rest.length === 0) continue;
  console.log(
    `\n${engine} peak memory: ${[first, ...rest].map(mib).join(", ")} (scales ${scales.join(", ")}); ` +
      `largest / first ${(Math.max(...rest) / first).toFixed(2)} (target <= 1.3)`,
  );
}

if (!args.values["skip-partitions"]) {
  console.log("\nincremental loads of partitioned sessions, scale 10");
  await benchPartitions({
    scale: 10,
    mysqlUrl: mysqlUrl.replace(/\/[^/]*$/, "/workbench_bench_partitions"),
    benchDir: root,
  });
}

if (!args.values["skip-live"]) {
  console.log("\nthe live channel's cost: relational DAG with live writes on and off, scale 1");
  await benchLive({
    dataDir: (await dataset(1)).dir,
    benchDir: root,
    mysqlUrl: engines.includes("mysql") ? mysqlUrl.replace(/\/[^/]*$/, "/workbench_bench_live") : undefined,
    runs: Math.max(5, runs),
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
