/**
 * Faults, tried the way a person meets them: `deno run -A tasks/etl.ts` processes killed with SIGKILL at
 * several points and resumed, on SQLite and on MariaDB, ending in the same tables as an uninterrupted run
 * with every index present; and a MariaDB server killed and restarted under a run, which either succeeds
 * through the retry budget or fails naming the node, never with an uncaught error.
 *
 * The MariaDB parts start a PRIVATE server (`.ci/mariadb.sh` with its own port and folder), never the shared
 * one: killing it is the point. Without `mariadbd` they are skipped with a hint, and fail in CI.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { DATA_TABLES } from "../lib/pipelines/mod.ts";
import { missingIndexes } from "../lib/pipelines/repair_indexes.ts";
import { openWarehouse, quoteIdentifier, type Warehouse } from "../lib/warehouse/mod.ts";

const ETL = new URL("../tasks/etl.ts", import.meta.url).pathname;
const MARIADB_SH = new URL("../.ci/mariadb.sh", import.meta.url).pathname;
const decoder = new TextDecoder();

/** Counts for the report: faults tried and survived (the run resumed to identical tables). */
const tally = { tried: 0, survived: 0, killed: 0 };

interface EtlRun {
  code: number;
  killed: boolean;
  output: string;
}

/**
 * Runs `tasks/etl.ts`; with `kill`, sends SIGKILL `delayMs` after the first output line matching `at` (or
 * calls `onLine` instead, for faults of the server rather than of the process).
 */
async function etl(
  args: string[],
  options: {
    kill?: { at: RegExp; delayMs: number; signal?: Deno.Signal };
    onLine?: (line: string) => void;
  } = {},
): Promise<EtlRun> {
  const child = new Deno.Command(Deno.execPath(), {
    // A killed run keeps its lease until its heartbeat is stale: the next run queues for it (--wait), with a
    // short timeout so that the test does not wait the default 15 s after every kill.
    args: ["run", "-A", ETL, "--wait", "--lease-timeout", "3", ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", NO_LIVE_PROGRESS: "1" },
  }).spawn();
  let output = "";
  let killed = false;
  let armed = false;
  const readOut = (async () => {
    let carry = "";
    for await (const chunk of child.stdout) {
      const text = carry + decoder.decode(chunk, { stream: true });
      const lines = text.split("\n");
      carry = lines.pop()!;
      for (const line of lines) {
        output += line + "\n";
        options.onLine?.(line);
        if (options.kill && !armed && options.kill.at.test(line)) {
          armed = true;
          setTimeout(() => {
            try {
              child.kill(options.kill!.signal ?? "SIGKILL");
              killed = true;
            } catch { /* it already ended */ }
          }, options.kill.delayMs);
        }
      }
    }
    output += carry;
  })();
  const readErr = (async () => {
    for await (const chunk of child.stderr) output += decoder.decode(chunk);
  })();
  const status = await child.status;
  await Promise.all([readOut, readErr]);
  return {
    code: status.code,
    killed: killed && status.signal === (options.kill?.signal ?? "SIGKILL"),
    output,
  };
}

/** Every data table, rows in primary-key order, as one digest per table. */
async function tableDigests(url: string, stateDir: string): Promise<Record<string, string>> {
  const wh = await openWarehouse(url, { stateDir });
  try {
    const digests: Record<string, string> = {};
    for (const table of DATA_TABLES.filter((t) => !t.name.startsWith("stage_"))) {
      const q = (name: string) => quoteIdentifier(wh.dialect, name);
      const rows = await wh.query(
        `SELECT * FROM ${q(table.name)} ORDER BY ${table.primaryKey.map(q).join(", ")}`,
      );
      digests[table.name] = `${rows.length}:${
        createHash("sha256").update(JSON.stringify(rows)).digest("hex")
      }`;
    }
    return digests;
  } finally {
    await wh.close();
  }
}

async function indexesMissing(url: string, stateDir: string): Promise<string[]> {
  const wh: Warehouse = await openWarehouse(url, { stateDir });
  try {
    return (await missingIndexes(wh, DATA_TABLES)).map((m) => `${m.table}.${m.index}`);
  } finally {
    await wh.close();
  }
}

function assertNoUncaught(run: EtlRun, what: string): void {
  assert.doesNotMatch(run.output, /Uncaught|\n\s+at .+:\d+:\d+/, `${what}: no uncaught error or stack trace`);
}

/** Kill points, in the order a chain of resumed runs meets them. */
const KILL_POINTS = [
  { at: /^process_sessions: started/, delayMs: 150 },
  { at: /^create_aggregations: started/, delayMs: 0 },
  { at: /^cross_store_stats: started/, delayMs: 50 },
  { at: /^generate_stats: started/, delayMs: 0 },
];

/**
 * Kills a fresh run, then each resumed run, at the kill points, resumes to the end, and compares the
 * tables with those of an uninterrupted run in another database.
 */
async function killAndResume(
  t: Deno.TestContext,
  dataDir: string,
  reference: { warehouse: string; stateDir: string },
  target: { warehouse: string; stateDir: string },
): Promise<void> {
  const common = (s: { warehouse: string; stateDir: string }) => [
    "--data",
    dataDir,
    "--warehouse",
    s.warehouse,
    "--state-dir",
    s.stateDir,
    "--docstore",
    `embedded:${s.stateDir}/docstore`,
    "--retry-budget",
    "5",
  ];
  const ref = await etl([...common(reference), "--fresh"]);
  assert.equal(ref.code, 0, ref.output);
  const expected = await tableDigests(reference.warehouse, reference.stateDir);

  let args = [...common(target), "--fresh"];
  for (const point of KILL_POINTS) {
    await t.step(`kill -9 at ${point.at.source} + ${point.delayMs} ms`, async () => {
      const run = await etl(args, { kill: point });
      assertNoUncaught(run, point.at.source);
      tally.tried++;
      if (run.killed) tally.killed++;
      if (!run.killed) assert.equal(run.code, 0, `not killed, so it ended well:\n${run.output}`);
      args = [...common(target), "--resume"];
    });
  }
  await t.step("--resume ends in the same tables, with every index", async () => {
    const last = await etl(args);
    assertNoUncaught(last, "resume");
    assert.ok(last.code === 0 || /Nothing to resume/.test(last.output), last.output);
    assert.deepEqual(await tableDigests(target.warehouse, target.stateDir), expected);
    assert.deepEqual(await indexesMissing(target.warehouse, target.stateDir), []);
    tally.survived += KILL_POINTS.length;
    console.log(
      `faults_test: ${tally.killed} of ${tally.tried} runs killed so far (a kill after the end misses)`,
    );
  });
  await t.step(
    "an index lost between a load and its rebuild is rebuilt by the next run (resume reproduction)",
    async () => {
      const wh = await openWarehouse(target.warehouse, { stateDir: target.stateDir });
      try {
        await wh.execute(
          wh.dialect === "mysql"
            ? "DROP INDEX ix_sessions_user_device ON viewing_sessions"
            : "DROP INDEX ix_sessions_user_device",
        );
        assert.deepEqual((await missingIndexes(wh, DATA_TABLES)).map((m) => m.index), [
          "ix_sessions_user_device",
        ]);
      } finally {
        await wh.close();
      }
      const run = await etl([...common(target), "--only", "validate_data"]);
      assert.equal(run.code, 0, run.output);
      assert.deepEqual(await indexesMissing(target.warehouse, target.stateDir), []);
    },
  );
}

async function dataset(dir: string): Promise<string> {
  const dataDir = join(dir, "data");
  await generateDataset({ outDir: dataDir, users: 2000, sessions: 80_000 });
  return dataDir;
}

Deno.test("faults: kill -9 of etl at four points on SQLite, then --resume, gives the same tables and indexes", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "faults_sqlite_" });
  try {
    const dataDir = await dataset(dir);
    await killAndResume(
      t,
      dataDir,
      { warehouse: `sqlite:${dir}/ref/warehouse.db`, stateDir: `${dir}/ref` },
      { warehouse: `sqlite:${dir}/kill/warehouse.db`, stateDir: `${dir}/kill` },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("faults: SIGTERM during process_sessions cancels, records and summarises the run (SIGTERM reproduction)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "faults_sigterm_" });
  try {
    const dataDir = await dataset(dir);
    const warehouse = `sqlite:${dir}/warehouse.db`;
    const run = await etl(
      [
        "--data",
        dataDir,
        "--warehouse",
        warehouse,
        "--state-dir",
        dir,
        "--docstore",
        `embedded:${dir}/docstore`,
      ],
      { kill: { at: /^process_sessions: started/, delayMs: 100, signal: "SIGTERM" } },
    );
    assertNoUncaught(run, "SIGTERM");
    assert.equal(run.code, 1, run.output);
    assert.equal(run.killed, false, "the process handled SIGTERM and exited by itself");
    assert.match(run.output, /^node\s+status/m, "the summary table is printed");
    assert.match(run.output, /: cancelled in /);
    const wh = await openWarehouse(warehouse, { stateDir: dir });
    try {
      const [last] = await wh.query<{ status: string }>(
        "SELECT status FROM etl_runs ORDER BY started_at DESC LIMIT 1",
      );
      assert.equal(last.status, "cancelled", "the run is recorded as cancelled, not left running");
    } finally {
      await wh.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A MariaDB server of this test alone, on a free port, in a temporary folder. */
class PrivateMariadb {
  constructor(readonly dir: string, readonly port: number) {}
  get url(): string {
    return `mysql://workbench:workbench@127.0.0.1:${this.port}`;
  }
  async #script(command: "start" | "stop"): Promise<void> {
    const out = await new Deno.Command("bash", {
      args: [MARIADB_SH, command],
      env: { MARIADB_PORT: String(this.port), MARIADB_DIR: this.dir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(
        `mariadb.sh ${command} failed: ${decoder.decode(out.stdout)}${decoder.decode(out.stderr)}`,
      );
    }
  }
  start(): Promise<void> {
    return this.#script("start");
  }
  stop(): Promise<void> {
    return this.#script("stop");
  }
  /** SIGKILL to the server process, as a crash or an OOM kill would. */
  async kill(): Promise<void> {
    const pid = Number((await Deno.readTextFile(join(this.dir, "mariadb.pid"))).trim());
    Deno.kill(pid, "SIGKILL");
    // Wait until it is gone, so that a restart does not race the dying process for the port.
    for (let i = 0; i < 100; i++) {
      try {
        Deno.kill(pid, "SIGCONT");
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function hasMariadbd(): Promise<boolean> {
  const out = await new Deno.Command("bash", {
    args: ["-c", "PATH=$PATH:/usr/sbin:/sbin command -v mariadbd"],
  })
    .output().catch(() => undefined);
  return out?.success ?? false;
}

const mariadbAvailable = await hasMariadbd();
if (!mariadbAvailable && Deno.env.get("CI") !== "true") {
  console.log(
    "faults_test: mariadbd is not installed, MariaDB faults are skipped (bash .ci/mariadb.sh install)",
  );
}

Deno.test({
  name: "faults: a private MariaDB killed and restarted under runs, and etl runs killed on MariaDB",
  ignore: !mariadbAvailable && Deno.env.get("CI") !== "true",
  fn: async (t) => {
    if (!mariadbAvailable) {
      throw new Error("CI requires mariadbd for tests/faults_test.ts: bash .ci/mariadb.sh install");
    }
    const dir = await Deno.makeTempDir({ prefix: "faults_mariadb_" });
    const server = new PrivateMariadb(join(dir, "server"), freePort());
    try {
      await server.start();
      const dataDir = await dataset(dir);
      const state = (name: string) => ({ warehouse: `${server.url}/${name}`, stateDir: join(dir, name) });
      const args = (s: { warehouse: string; stateDir: string }, ...more: string[]) => [
        "--data",
        dataDir,
        "--warehouse",
        s.warehouse,
        "--state-dir",
        s.stateDir,
        "--docstore",
        `embedded:${s.stateDir}/docstore`,
        ...more,
      ];

      await t.step("kill -9 of etl at four points, then --resume", async (t) => {
        await killAndResume(t, dataDir, state("faults_ref"), state("faults_kill"));
      });

      const expected = await tableDigests(state("faults_ref").warehouse, state("faults_ref").stateDir);

      await t.step(
        "the server killed during process_sessions and back within the budget: the run succeeds (restart reproduction)",
        async () => {
          let restarted: Promise<void> | undefined;
          const run = await etl(args(state("faults_restart"), "--fresh", "--retry-budget", "60"), {
            onLine: (line) => {
              if (restarted || !/^process_sessions: started/.test(line)) return;
              restarted = (async () => {
                await new Promise((resolve) => setTimeout(resolve, 200));
                await server.kill();
                await new Promise((resolve) => setTimeout(resolve, 2000));
                await server.start();
              })();
            },
          });
          await restarted;
          tally.tried++;
          assertNoUncaught(run, "restart");
          assert.equal(run.code, 0, run.output);
          assert.match(run.output, /retrying in/, "the fault was met and retried");
          assert.deepEqual(
            await tableDigests(state("faults_restart").warehouse, state("faults_restart").stateDir),
            expected,
          );
          assert.deepEqual(
            await indexesMissing(state("faults_restart").warehouse, state("faults_restart").stateDir),
            [],
          );
          tally.survived++;
        },
      );

      await t.step(
        "the server down past the budget: the run fails naming the node, with a summary (kill reproduction)",
        async () => {
          let killed: Promise<void> | undefined;
          const run = await etl(args(state("faults_down"), "--fresh", "--retry-budget", "2"), {
            onLine: (line) => {
              if (!killed && /^process_sessions: started/.test(line)) {
                killed = new Promise((resolve) => setTimeout(resolve, 200)).then(() => server.kill());
              }
            },
          });
          await killed;
          tally.tried++;
          assertNoUncaught(run, "server down");
          assert.equal(run.code, 1, run.output);
          assert.match(run.output, /^(process_sessions|cross_store_stats|create_aggregations): FAILED: /m);
          assert.match(run.output, /^node\s+status/m, "the summary table is printed");
          assert.match(
            run.output,
            /run store is incomplete: node "[a-z_]+" \(failed\) could not be recorded/,
          );
          await server.start();
          const resumed = await etl(args(state("faults_down"), "--resume", "--retry-budget", "10"));
          assertNoUncaught(resumed, "resume after the server came back");
          assert.equal(resumed.code, 0, resumed.output);
          assert.deepEqual(
            await tableDigests(state("faults_down").warehouse, state("faults_down").stateDir),
            expected,
          );
          tally.survived++;
        },
      );
    } finally {
      await server.stop().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      console.log(`faults_test: faults tried ${tally.tried}, survived ${tally.survived}`);
    }
  },
});
