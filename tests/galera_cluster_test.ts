/**
 * The whole DAG on the 3-node Galera cluster of `.ci/galera.sh`, through a three-host URL: tables identical
 * on the three nodes and equal to the single server's, and a run that survives `kill -9` of the node being
 * written mid-`process_sessions`. `.ci/run` runs this file with Galera's defaults and again strict
 * (`bash .ci/galera.sh strict on`: wsrep_mode=REQUIRED_PRIMARY_KEY, wsrep_max_ws_rows=50000).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { DATA_TABLES, openWorkbench, runWorkbench } from "../lib/pipelines/mod.ts";
import { openWarehouse, parseWarehouseUrl, type Warehouse } from "../lib/warehouse/mod.ts";
import type { DagEvent } from "../lib/dag/mod.ts";
import { chooseStaging, resetStaging } from "../lib/pipelines/relational/node_local_stage.ts";
import { integrationTest, serverUrl, uniqueDatabaseUrl } from "./_servers.ts";

const GALERA_SCRIPT = new URL("../.ci/galera.sh", import.meta.url).pathname;

/** `bash .ci/galera.sh ...`, failing with its output. */
async function galera(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command("bash", { args: [GALERA_SCRIPT, ...args] })
    .output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (code !== 0) throw new Error(`bash .ci/galera.sh ${args.join(" ")} failed (${code}):\n${text}`);
  return text;
}

/** A checksum of every data table's rows in key order (numbers rounded to 4 decimals). */
async function checksums(wh: Warehouse): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of DATA_TABLES) {
    if (table.name.startsWith("stage_")) continue;
    const rows = await wh.query(`SELECT * FROM ${table.name} ORDER BY ${table.primaryKey.join(", ")}`);
    const text = JSON.stringify(rows, (_, v) => typeof v === "number" ? Math.round(v * 1e4) / 1e4 : v);
    sums[table.name] = `${rows.length}:${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
  }
  return sums;
}

/** The single-host URLs of each node of a multi-host URL, reading with wsrep_sync_wait=1 (causal reads). */
function nodeUrls(url: string): string[] {
  const location = parseWarehouseUrl(url);
  if (location.dialect !== "mysql" || !location.hosts) throw new Error(`not a multi-host URL: ${url}`);
  const { user, password, database } = location;
  return location.hosts.map(({ host, port }) =>
    `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}` +
    "?wsrep_sync_wait=1"
  );
}

async function runDag(
  warehouseUrl: string,
  dataDir: string,
  state: string,
  onEvent?: (e: DagEvent) => void,
  batchSize = 2000,
) {
  await using wb = await openWorkbench({
    warehouseUrl,
    docstoreUrl: `embedded:${join(state, `docs_${crypto.randomUUID()}`)}`,
    stateDir: state,
  });
  const result = await runWorkbench(wb, { dataDir, batchSize, missingWatchDateLimit: 1, onEvent });
  const failed = result.nodes.filter((n) => n.status !== "success");
  assert.deepEqual(failed.map((n) => `${n.nodeId}: ${n.error}`), [], "every node succeeds");
  return result;
}

/** Every run starts from empty data tables, so runs on different servers have the same history. */
async function dropDataTables(url: string): Promise<void> {
  await using wh = await openWarehouse(url);
  for (const table of [...DATA_TABLES].reverse()) await wh.execute(wh.sql.dropTable(table.name));
}

async function nodeChecksums(url: string): Promise<Record<string, string>[]> {
  const sums = [];
  for (const nodeUrl of nodeUrls(url)) {
    await using wh = await openWarehouse(nodeUrl);
    sums.push(await checksums(wh));
  }
  return sums;
}

/** The single server's URL to compare with: the mysql kind, unless CI points that at the cluster too. */
function singleServerUrl(): string | undefined {
  return Deno.env.get("TEST_SINGLE_MYSQL_URL") ?? serverUrl("mysql");
}

integrationTest("galera", {
  name: "the DAG on a 3-node Galera cluster: identical tables on every node, equal to the single server's",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url, t) => {
  const state = await Deno.makeTempDir({ prefix: "etl_galera_" });
  const clusterUrl = uniqueDatabaseUrl(url, "galera_dag");
  {
    await using probe = await openWarehouse(clusterUrl);
    const [vars] = await probe.query<{ mode: string; max_rows: number }>(
      "SELECT @@wsrep_mode AS mode, @@wsrep_max_ws_rows AS max_rows",
    );
    console.info(`Galera: wsrep_mode='${vars.mode}', wsrep_max_ws_rows=${vars.max_rows}`);
    if (Deno.env.get("GALERA_STRICT_EXPECTED") === "on") {
      assert.match(vars.mode, /REQUIRED_PRIMARY_KEY/);
      assert.equal(vars.max_rows, 50_000);
    }
    if (vars.max_rows > 0) {
      // Bounded transactions: half the server's limit per committed chunk.
      assert.equal(probe.traits?.maxTransactionRows, Math.floor(vars.max_rows / 2));
    }
    assert.equal(probe.traits?.cluster, true);
  }
  await dropDataTables(clusterUrl);
  // More sessions than wsrep_max_ws_rows=50000: one transaction per file would be refused when strict.
  const data = join(state, "data");
  const messy = join(state, "messy");
  await generateDataset({ outDir: data, seed: 5, users: 2000, sessions: 60_000 });
  await generateDataset({
    outDir: messy,
    seed: 9,
    messy: true,
    users: 500,
    sessions: 8000,
  });
  await t.step("a fresh load, then a staged rerun of other data, succeed on the cluster", async () => {
    const fresh = await runDag(clusterUrl, data, state);
    assert.ok(fresh.nodes.length > 5);
    await runDag(clusterUrl, messy, state);
  });
  const perNode = await nodeChecksums(clusterUrl);
  await t.step("the three nodes hold identical tables", () => {
    assert.equal(perNode.length, 3);
    assert.ok(Object.keys(perNode[0]).length >= 10, "every data table is compared");
    assert.deepEqual(perNode[1], perNode[0], "node 2 equals node 1");
    assert.deepEqual(perNode[2], perNode[0], "node 3 equals node 1");
  });
  const single = singleServerUrl();
  if (single) {
    await t.step("the tables equal the single server's after the same runs", async () => {
      const singleUrl = uniqueDatabaseUrl(single, "galera_dag_single");
      await dropDataTables(singleUrl);
      await runDag(singleUrl, data, state);
      await runDag(singleUrl, messy, state);
      await using wh = await openWarehouse(singleUrl);
      assert.deepEqual(perNode[0], await checksums(wh));
    });
  }
  await Deno.remove(state, { recursive: true });
});

integrationTest("galera", {
  name: "kill -9 of the node being written mid-process_sessions: the run succeeds on the next host",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url, t) => {
  const state = await Deno.makeTempDir({ prefix: "etl_galera_kill_" });
  const clusterUrl = uniqueDatabaseUrl(url, "galera_kill");
  const data = join(state, "data");
  await generateDataset({ outDir: data, seed: 3, users: 1500, sessions: 60_000 });
  let written: number;
  {
    // Fresh tables: the kill must hit the first load of the sessions.
    await dropDataTables(clusterUrl);
    await using probe = await openWarehouse(clusterUrl);
    [{ port: written }] = await probe.query<{ port: number }>("SELECT @@port AS port");
  }
  const hosts = (parseWarehouseUrl(clusterUrl) as { hosts: { port: number }[] }).hosts;
  const victim = hosts.findIndex((h) => h.port === written) + 1;
  assert.ok(victim >= 1, `port ${written} is one of the URL's`);
  let killed: Promise<string> | undefined;
  let killedDuring = "";
  try {
    const running = runDag(clusterUrl, data, state, (event) => {
      if (
        !killed && event.type === "node-progress" && event.nodeId === "process_sessions" &&
        event.metrics.rowsRead > 0
      ) {
        killedDuring = `${event.nodeId} at ${event.metrics.rowsRead} rows`;
        killed = galera("kill", String(victim));
      }
    }, 500);
    // Bounded: a run that stalls (a commit waiting on a view change that never completes) fails the test
    // instead of hanging it; bringing the node back releases the stalled commit, so the run can end.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<"stalled">((resolve) =>
      timer = setTimeout(() => resolve("stalled"), 150_000)
    );
    const first = await Promise.race([running, stalled]);
    clearTimeout(timer);
    if (first === "stalled") {
      await killed?.catch(() => "");
      await galera("start", String(victim));
      await running.catch(() => undefined);
      throw new Error(
        `the run stalled for 150 s after node ${victim} was killed (${killedDuring}): ` +
          `the survivors' view change did not complete; the run went on once the node was back`,
      );
    }
    const result = first;
    await t.step(`node ${victim} (port ${written}) was killed during process_sessions`, async () => {
      assert.ok(killed, "the kill happened");
      await killed;
      assert.match(killedDuring, /^process_sessions/);
      const sessions = result.nodes.find((n) => n.nodeId === "process_sessions")!;
      assert.equal(sessions.status, "success");
    });
    await t.step("the survivors hold the tables of an uninterrupted run", async () => {
      const survivors = nodeUrls(clusterUrl).filter((_, i) => i !== victim - 1);
      const sums = [];
      for (const nodeUrl of survivors) {
        await using wh = await openWarehouse(nodeUrl);
        sums.push(await checksums(wh));
      }
      assert.deepEqual(sums[1], sums[0], "both survivors agree");
      const reference = singleServerUrl();
      if (reference) {
        const referenceUrl = uniqueDatabaseUrl(reference, "galera_kill_reference");
        await dropDataTables(referenceUrl);
        await runDag(referenceUrl, data, state);
        await using wh = await openWarehouse(referenceUrl);
        assert.deepEqual(sums[0], await checksums(wh), "equal to an uninterrupted run");
      }
    });
  } finally {
    await killed?.catch(() => "");
    // Restore the cluster for what follows: the killed node rejoins (IST or rsync SST).
    await galera("start", String(victim));
  }
  await t.step("the killed node rejoined with the same tables", async () => {
    await galera("status");
    await using wh = await openWarehouse(nodeUrls(clusterUrl)[victim - 1]);
    const back = await checksums(wh);
    await using other = await openWarehouse(nodeUrls(clusterUrl)[victim % 3]);
    assert.deepEqual(back, await checksums(other));
  });
  await Deno.remove(state, { recursive: true });
});

integrationTest("galera", {
  name:
    "kill -9 of the written node during a staged rerun: node-local staging starts the file again on the next host",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url, t) => {
  const state = await Deno.makeTempDir({ prefix: "etl_galera_kill_staged_" });
  // Chunks of 5000 rows, so that some have committed (with their progress) when the node dies.
  const clusterUrl = `${uniqueDatabaseUrl(url, "galera_kill_staged")}?max-transaction-rows=5000`;
  const first = join(state, "first");
  const second = join(state, "second");
  await generateDataset({ outDir: first, seed: 31, users: 1500, sessions: 60_000 });
  await generateDataset({ outDir: second, seed: 32, users: 1500, sessions: 60_000 });
  await dropDataTables(clusterUrl);
  await runDag(clusterUrl, first, state);
  let written: number;
  {
    await using probe = await openWarehouse(clusterUrl);
    [{ port: written }] = await probe.query<{ port: number }>("SELECT @@port AS port");
  }
  const hosts = (parseWarehouseUrl(clusterUrl) as { hosts: { port: number }[] }).hosts;
  const victim = hosts.findIndex((h) => h.port === written) + 1;
  let killed: Promise<string> | undefined;
  const logs: string[] = [];
  try {
    const result = await runDag(clusterUrl, second, state, (event) => {
      if (event.type === "node-log" && event.nodeId === "process_sessions") logs.push(event.message);
      if (
        !killed && event.type === "node-progress" && event.nodeId === "process_sessions" &&
        event.metrics.rowsRead >= 20_000
      ) {
        killed = galera("kill", String(victim));
      }
    }, 500);
    await t.step(`node ${victim} was killed mid-staging; the file was loaded again from line 1`, async () => {
      assert.ok(killed, "the kill happened");
      await killed;
      const sessions = result.nodes.find((n) => n.nodeId === "process_sessions")!;
      assert.equal(sessions.status, "success");
      assert.ok(sessions.attempts >= 2, `retried after the failover (${sessions.attempts} attempts)`);
      const restart = logs.find((m) => /^not resuming viewing_sessions\.csv at line \d+:/.test(m));
      assert.ok(restart, `the log says why the file starts again:\n${logs.join("\n")}`);
      assert.match(restart, /staged rows are on node\d/);
      const details = sessions.details as { mode: string; stagingTable?: string; resumedAt?: unknown };
      assert.equal(details.mode, "staged");
      assert.equal(details.stagingTable, "stage_sessions_local");
      assert.equal(details.resumedAt, undefined, "not resumed: started over");
    });
    await t.step("the survivors hold the tables of uninterrupted runs", async () => {
      const survivors = nodeUrls(clusterUrl).filter((_, i) => i !== victim - 1);
      const sums = [];
      for (const nodeUrl of survivors) {
        await using wh = await openWarehouse(nodeUrl);
        sums.push(await checksums(wh));
      }
      assert.deepEqual(sums[1], sums[0], "both survivors agree");
      const reference = singleServerUrl();
      if (reference) {
        const referenceUrl = uniqueDatabaseUrl(reference, "galera_kill_staged_reference");
        await dropDataTables(referenceUrl);
        await runDag(referenceUrl, first, state);
        await runDag(referenceUrl, second, state);
        await using wh = await openWarehouse(referenceUrl);
        assert.deepEqual(sums[0], await checksums(wh), "equal to uninterrupted runs");
      }
    });
  } finally {
    await killed?.catch(() => "");
    await galera("start", String(victim));
  }
  await Deno.remove(state, { recursive: true });
});

integrationTest("galera", {
  name: "staging is node-local (Aria) unless wsrep_mode replicates Aria or refuses other engines",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url) => {
  const [first] = nodeUrls(uniqueDatabaseUrl(url, "galera_staging"));
  await using wh = await openWarehouse(first);
  const stage = DATA_TABLES.find((t) => t.name === "stage_sessions")!;
  const [{ mode }] = await wh.query<{ mode: string }>("SELECT @@GLOBAL.wsrep_mode AS mode");
  const withMode = async (extra: string) => {
    await wh.execute(`SET GLOBAL wsrep_mode = '${[mode, extra].filter(Boolean).join(",")}'`);
    return await chooseStaging(wh, stage);
  };
  try {
    const node = (await wh.query<{ node: string }>(wh.sql.nodeIdentitySql!))[0].node;
    assert.match(node, /^node\d \(.+:331\d\)$/);
    assert.deepEqual(await withMode(""), { table: "stage_sessions_local", node, engine: "Aria" });
    assert.deepEqual(await withMode("REPLICATE_ARIA"), {
      table: "stage_sessions_local",
      node,
      engine: "MyISAM",
    });
    assert.deepEqual(await withMode("REPLICATE_ARIA,REPLICATE_MYISAM"), {
      table: "stage_sessions",
      node: null,
    });
    assert.deepEqual(await withMode("STRICT_REPLICATION"), { table: "stage_sessions", node: null });
  } finally {
    await wh.execute(`SET GLOBAL wsrep_mode = '${mode}'`);
  }
  // The node-local table's rows stay on its node: Galera does not replicate Aria.
  const local = await resetStaging(wh, stage, await chooseStaging(wh, stage));
  await wh.execute(`INSERT INTO ${local.table} (line, session_id, user_id, content_id, watch_duration_minutes,
    device_type) VALUES (2, 's1', 'u1', 'c1', 1.5, 'tv')`);
  const [, second] = nodeUrls(uniqueDatabaseUrl(url, "galera_staging"));
  await using other = await openWarehouse(second);
  const counted = async (w: Warehouse) =>
    (await w.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${local.table}`).catch(() => [{ n: 0 }]))[0].n;
  assert.equal(await counted(wh), 1);
  assert.equal(await counted(other), 0, "not on node 2");
});

integrationTest("galera", {
  name: "a certification conflict across two nodes is error 1213, which the adapter calls transient",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (url) => {
  const [first, second] = nodeUrls(uniqueDatabaseUrl(url, "galera_conflict"));
  await using a = await openWarehouse(first);
  await using b = await openWarehouse(second);
  await a.execute("DROP TABLE IF EXISTS conflict_t");
  await a.execute("CREATE TABLE conflict_t (id INT PRIMARY KEY, v INT)");
  await a.execute("INSERT INTO conflict_t VALUES (1, 0)");
  // Node 2 applies node 1's commits a moment later: an UPDATE there before the row arrives changes nothing,
  // and then nothing conflicts. Wait until node 2 reads what `expected` says (at most 10 s).
  const seenOnNode2 = async (expected: { v: number }[]) => {
    const deadline = Date.now() + 10_000;
    let rows: unknown[] = [];
    while (Date.now() < deadline) {
      rows = await b.query("SELECT v FROM conflict_t");
      if (JSON.stringify(rows) === JSON.stringify(expected)) return rows;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return rows;
  };
  assert.deepEqual(await seenOnNode2([{ v: 0 }]), [{ v: 0 }], "node 2 has the row");
  let caught: unknown;
  try {
    await a.transaction(async (tx) => {
      await tx.execute("UPDATE conflict_t SET v = 1 WHERE id = 1");
      // Committed on node 2 first: node 1's open transaction on the same row loses certification.
      assert.equal(await b.execute("UPDATE conflict_t SET v = 2 WHERE id = 1"), 1, "node 2 changed the row");
      await tx.execute("UPDATE conflict_t SET v = v + 10 WHERE id = 1");
    });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught, "the transaction on node 1 fails");
  assert.equal((caught as { errno?: number }).errno, 1213, String(caught));
  assert.equal(a.sql.isTransient(caught), true);
  // A retry, as the DAG's and the run store's callers do, then goes through.
  await a.transaction((tx) => tx.execute("UPDATE conflict_t SET v = v + 10 WHERE id = 1"));
  assert.deepEqual(await seenOnNode2([{ v: 12 }]), [{ v: 12 }]);
});
