/**
 * The quality gates of a load and of validate_data, and the coercion records, on the embedded warehouse:
 * a file whose header lost a column fails its node with the reason, a few rejects only warn, a truncated
 * file warns in validate_data, and every value stored as NULL is listed with its line and original value.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { formatRunQuality } from "../lib/cli/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";
import type { DagEvent, RunResult } from "../lib/dag/mod.ts";
import { generateDataset } from "../lib/generate/mod.ts";
import {
  DATA_TABLES,
  dropTables,
  openWorkbench,
  RELATIONAL_NODES,
  RUN_TABLES,
  runWorkbench,
  type Workbench,
} from "../lib/pipelines/mod.ts";

const RELATIONAL = RELATIONAL_NODES.map((n) => n.id);

/** Where the tests run: the embedded warehouse always, MariaDB when a server is there. */
type Target = { name: string; warehouseUrl?: string };

async function withData(
  target: Target,
  fn: (wb: Workbench, data: string) => Promise<void>,
  options: { users?: number; sessions?: number } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "quality_gates_" });
  try {
    const data = join(dir, "data");
    await generateDataset({
      outDir: data,
      seed: 11,
      users: options.users ?? 200,
      sessions: options.sessions ?? 2000,
    });
    const open = () => openWorkbench({ warehouseUrl: target.warehouseUrl, stateDir: join(dir, "state") });
    if (target.warehouseUrl) {
      // A database of earlier test runs would have history and rows: start from nothing.
      await using old = await open();
      await dropTables(old.warehouse, [...RUN_TABLES, ...DATA_TABLES]);
    }
    await using wb = await open();
    await fn(wb, data);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Declares the test on the embedded warehouse, and on MariaDB through integrationTest. */
function gateTest(name: string, fn: (target: Target) => Promise<void>) {
  Deno.test(name, () => fn({ name: "sqlite" }));
  integrationTest(
    "mysql",
    { name: `${name} (MariaDB)`, sanitizeOps: false, sanitizeResources: false },
    (url) => fn({ name: "mysql", warehouseUrl: uniqueDatabaseUrl(url, `gates_${name.slice(0, 12)}`) }),
  );
}

const node = (run: RunResult, id: string) => run.nodes.find((n) => n.nodeId === id)!;

gateTest(
  "a header without a column of the rows fails process_users with the reason, past --max-reject-rate",
  async (target) => {
    await withData(target, async (wb, data) => {
      const path = join(data, "users.csv");
      const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
      // The header loses "country"; the rows still have six values.
      lines[0] = lines[0].split(",").filter((c) => c !== "country").join(",");
      await Deno.writeTextFile(path, lines.join("\n") + "\n");
      const run = await runWorkbench(wb, { dataDir: data, only: RELATIONAL });
      const users = node(run, "process_users");
      assert.equal(users.status, "failed");
      assert.match(
        users.error!,
        /^Cannot accept users\.csv: 200 of 200 rows of users\.csv rejected \(100 %\)/,
      );
      assert.match(
        users.error!,
        /more than the 5 % allowed \(--max-reject-rate\): 200 malformed \(first on line 2\)/,
      );
      assert.match(users.error!, new RegExp(`see deno task rejects ${run.runId}$`));
      assert.equal(node(run, "process_sessions").status, "skipped");
      const [{ n }] = await wb.warehouse.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM etl_rejects WHERE run_id = ? AND file = 'users.csv'",
        [run.runId],
      );
      assert.equal(Number(n), 200, "the rejects are stored, to be looked at");
      const [{ u }] = await wb.warehouse.query<{ u: number }>("SELECT COUNT(*) AS u FROM users");
      assert.equal(Number(u), 0);
      // With the gate opened wide, the same file loads (with every row rejected).
      const lax = await runWorkbench(wb, { dataDir: data, only: ["process_users"], maxRejectRate: 1 });
      assert.equal(node(lax, "process_users").status, "success");
    });
  },
);

gateTest("a few rejects only warn: above 1 % the load logs a warning with the reasons", async (target) => {
  await withData(target, async (wb, data) => {
    const path = join(data, "users.csv");
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
    for (const i of [3, 5, 7, 9]) lines[i] = "," + lines[i].split(",").slice(1).join(","); // no user_id: 2 %
    await Deno.writeTextFile(path, lines.join("\n") + "\n");
    const logs: string[] = [];
    const onEvent = (e: DagEvent) => e.type === "node-log" && logs.push(`${e.nodeId}: ${e.message}`);
    const run = await runWorkbench(wb, { dataDir: data, only: RELATIONAL.slice(0, 4), onEvent });
    assert.equal(node(run, "process_users").status, "success");
    assert.deepEqual(logs, [
      'process_users: warning: 4 of 200 rows of users.csv rejected (2 %): 4 missing_key (first on line 4, field "user_id")',
    ]);
  });
});

gateTest(
  "validate_data warns when a file has far fewer rows than at its previous successful load",
  async (target) => {
    await withData(target, async (wb, data) => {
      const first = await runWorkbench(wb, { dataDir: data, only: RELATIONAL });
      assert.equal(first.status, "success");
      const path = join(data, "viewing_sessions.csv");
      const text = await Deno.readTextFile(path);
      // A partial copy: the first quarter of the file.
      await Deno.writeTextFile(path, text.slice(0, Math.floor(text.length / 4)).replace(/\n[^\n]*$/, "\n"));
      const second = await runWorkbench(wb, { dataDir: data, only: RELATIONAL });
      assert.equal(
        node(second, "validate_data").status,
        "success",
        node(second, "validate_data").error ?? "",
      );
      const checks = await wb.warehouse.query<
        { check_name: string; status: string; observed: string; expected: string }
      >(
        "SELECT check_name, status, observed, expected FROM etl_checks WHERE run_id = ? AND status <> 'pass' ORDER BY check_name",
        [second.runId],
      );
      const rows = text.slice(0, Math.floor(text.length / 4)).split("\n").length - 2;
      assert.deepEqual(checks.map((c) => [c.check_name, c.status]), [
        ["leftover_viewing_sessions", "warn"],
        ["volume_viewing_sessions.csv", "warn"],
      ]);
      const volume = checks.find((c) => c.check_name.startsWith("volume"))!;
      assert.equal(volume.observed, `${rows.toLocaleString("en-US")} rows read`);
      assert.equal(volume.expected, `>= 1,000 (2,000 at the previous successful load, run ${first.runId})`);
      assert.match(checks[0].observed, new RegExp(`^${(2000 - rows).toLocaleString("en-US")} rows not in`));
      // The same file again is no drop against its own previous load.
      const third = await runWorkbench(wb, { dataDir: data, only: RELATIONAL, maxVolumeDrop: 0.5 });
      const [volumeAgain] = await wb.warehouse.query<{ status: string }>(
        "SELECT status FROM etl_checks WHERE run_id = ? AND check_name = 'volume_viewing_sessions.csv'",
        [third.runId],
      );
      assert.equal(volumeAgain.status, "pass");
    });
  },
);

gateTest(
  "coercions are recorded like rejects: the U99999 row's four NULLs, listed by field",
  async (target) => {
    await withData(target, async (wb, data) => {
      const path = join(data, "users.csv");
      await Deno.writeTextFile(path, "U99999,abc,Narnia,Gold,2023-13-45,xx\n", { append: true });
      const run = await runWorkbench(wb, { dataDir: data, only: RELATIONAL.slice(0, 4) });
      assert.equal(run.status, "success");
      const coercions = await wb.runStore.listCoercions(run.runId, { file: "users.csv" });
      assert.deepEqual(coercions, [
        { file: "users.csv", line: 202, field: "age", value: "abc", stored: null },
        { file: "users.csv", line: 202, field: "registration_date", value: "2023-13-45", stored: null },
        { file: "users.csv", line: 202, field: "subscription_type", value: "Gold", stored: null },
        { file: "users.csv", line: 202, field: "total_watch_time_hours", value: "xx", stored: null },
      ]);
      const [users] = await wb.runStore.fileQuality(run.runId, { file: "users.csv" });
      assert.deepEqual(users.coercions.map((c) => [c.field, c.values]), [
        ["age", 1],
        ["registration_date", 1],
        ["subscription_type", 1],
        ["total_watch_time_hours", 1],
      ]);
      const text = formatRunQuality([users], { runId: run.runId, columns: 80 });
      assert.match(
        text,
        /^users\.csv: 201 read, 201 loaded, 0 rejected, 4 values set to NULL or a default$/m,
      );
      assert.match(text, /^ {4}line 202: age "abc" -> NULL$/m);
      assert.match(text, /^ {4}line 202: total_watch_time_hours "xx" -> NULL$/m);
    });
  },
);

Deno.test("validate_content has the same gate: 20 of 300 documents without a rating fail it with the reason", async () => {
  await withData({ name: "sqlite" }, async (wb, data) => {
    const path = join(data, "content.json");
    const content = JSON.parse(await Deno.readTextFile(path));
    for (const movie of content.movies.slice(0, 20)) movie.rating = "excellent";
    await Deno.writeTextFile(path, JSON.stringify(content));
    const run = await runWorkbench(wb, { dataDir: data, only: ["validate_content", "load_content"] });
    const validate = node(run, "validate_content");
    assert.equal(validate.status, "failed");
    assert.equal(
      validate.error,
      `Cannot accept content.json: 20 of 300 rows of content.json rejected (6.67 %), more than the 5 % allowed ` +
        `(--max-reject-rate): 20 bad_rating (first on line 1, field "rating"); see deno task rejects ${run.runId}`,
    );
    assert.equal(node(run, "load_content").status, "skipped");
    const lax = await runWorkbench(wb, { dataDir: data, only: ["validate_content"], maxRejectRate: 0.1 });
    assert.equal(node(lax, "validate_content").status, "success");
  });
});
