/**
 * Secondary indexes on both engines: a bulk load without them gets them back, even when it fails, and
 * ensureTables() restores an index that went missing.
 */
import assert from "node:assert/strict";
import { DATA_TABLES, ensureTables, type TableSpec, withoutSecondaryIndexes } from "../lib/pipelines/mod.ts";
import { openWarehouse, quoteIdentifier, type Warehouse } from "../lib/warehouse/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

const SESSIONS: TableSpec = DATA_TABLES.find((t) => t.name === "viewing_sessions")!;
const INDEX = SESSIONS.indexes![0].name;

async function indexNames(wh: Warehouse): Promise<string[]> {
  const rows = await wh.query<{ name: string }>(
    wh.dialect === "mysql"
      ? `SELECT DISTINCT index_name AS name FROM information_schema.statistics
         WHERE table_schema = DATABASE() AND table_name = 'viewing_sessions' AND index_name <> 'PRIMARY'`
      : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'viewing_sessions' AND sql IS NOT NULL",
  );
  return rows.map((r) => r.name).sort();
}

async function checkIndexes(wh: Warehouse): Promise<void> {
  await ensureTables(wh, DATA_TABLES);
  assert.deepEqual(await indexNames(wh), [INDEX]);

  const seen = await withoutSecondaryIndexes(wh, SESSIONS, () => indexNames(wh));
  if (wh.traits?.cluster) {
    // On a cluster DDL is total-order (every node stalls): the indexes stay through the load.
    assert.deepEqual(seen, [INDEX], "on a cluster the load keeps the secondary index");
  } else {
    assert.deepEqual(seen, [], "the load runs without the secondary index");
  }
  assert.deepEqual(await indexNames(wh), [INDEX], "and it is back afterwards");

  await assert.rejects(
    withoutSecondaryIndexes(wh, SESSIONS, () => Promise.reject(new Error("load broke"))),
    /load broke/,
  );
  assert.deepEqual(await indexNames(wh), [INDEX], "back after a failed load too");

  const q = (name: string) => quoteIdentifier(wh.dialect, name);
  await wh.execute(
    wh.dialect === "mysql" ? `DROP INDEX ${q(INDEX)} ON viewing_sessions` : `DROP INDEX ${q(INDEX)}`,
  );
  await ensureTables(wh, DATA_TABLES);
  assert.deepEqual(await indexNames(wh), [INDEX], "ensureTables() restores a missing index");
}

Deno.test("secondary indexes come back after a load without them, on SQLite", async () => {
  await using wh = await openWarehouse("sqlite::memory:");
  await checkIndexes(wh);
});

integrationTest("mysql", "secondary indexes come back after a load without them, on MariaDB", async (url) => {
  const dbUrl = uniqueDatabaseUrl(url, "schema_indexes");
  await using wh = await openWarehouse(dbUrl);
  try {
    await checkIndexes(wh);
  } finally {
    await wh.execute(
      `DROP DATABASE IF EXISTS ${quoteIdentifier("mysql", dbUrl.slice(dbUrl.lastIndexOf("/") + 1))}`,
    );
  }
});
