/**
 * syncFromSelect() on both engines: what it counts, that a rerun changes nothing, and that it works inside
 * a transaction (where it runs as a savepoint) without ending that transaction.
 */
import assert from "node:assert/strict";
import { openWarehouse, quoteIdentifier, syncFromSelect, type Warehouse } from "../lib/warehouse/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

async function setUp(wh: Warehouse): Promise<void> {
  for (const table of ["src", "dst"]) await wh.execute(`DROP TABLE IF EXISTS ${table}`);
  // Keyed: a Galera cluster with wsrep_mode=REQUIRED_PRIMARY_KEY refuses writes to a keyless table.
  await wh.execute("CREATE TABLE src (k VARCHAR(10) PRIMARY KEY, g VARCHAR(10), n INTEGER)");
  await wh.execute("CREATE TABLE dst (g VARCHAR(10) PRIMARY KEY, total INTEGER, rows_in INTEGER)");
  await wh.bulkInsert("src", ["k", "g", "n"], [[["1", "a", 1], ["2", "a", 2], ["3", "b", 5], ["4", "c", 7]]]);
}

const TOTALS = "SELECT g, SUM(n) AS total, COUNT(*) AS rows_in FROM src GROUP BY g";
const COLUMNS = ["g", "total", "rows_in"];

async function checkSync(wh: Warehouse): Promise<void> {
  await setUp(wh);
  const sync = () => syncFromSelect(wh, "dst", COLUMNS, ["g"], TOTALS, { deleteMissing: true });
  assert.deepEqual(await sync(), { inserted: 3, updated: 0, unchanged: 0, deleted: 0 });
  assert.deepEqual(
    await sync(),
    { inserted: 0, updated: 0, unchanged: 3, deleted: 0 },
    "a rerun changes nothing",
  );

  await wh.execute("UPDATE src SET n = 10 WHERE k = '3'");
  await wh.execute("DELETE FROM src WHERE g = 'c'");
  await wh.execute("INSERT INTO src (k, g, n) VALUES ('5', 'd', 4)");
  assert.deepEqual(await sync(), { inserted: 1, updated: 1, unchanged: 1, deleted: 1 });
  assert.deepEqual(await wh.query("SELECT g, total, rows_in FROM dst ORDER BY g"), [
    { g: "a", total: 3, rows_in: 2 },
    { g: "b", total: 10, rows_in: 1 },
    { g: "d", total: 4, rows_in: 1 },
  ]);

  // Inside a transaction it runs as a savepoint; the transaction must still be whole afterwards, and roll
  // back as one.
  await assert.rejects(
    wh.transaction(async (tx) => {
      await tx.execute("INSERT INTO src (k, g, n) VALUES ('6', 'e', 1)");
      assert.deepEqual(
        await syncFromSelect(tx, "dst", COLUMNS, ["g"], TOTALS, { deleteMissing: true }),
        { inserted: 1, updated: 0, unchanged: 3, deleted: 0 },
      );
      assert.deepEqual(
        await syncFromSelect(tx, "dst", COLUMNS, ["g"], TOTALS, { deleteMissing: true }),
        { inserted: 0, updated: 0, unchanged: 4, deleted: 0 },
      );
      throw new Error("roll it all back");
    }),
    /roll it all back/,
  );
  assert.deepEqual(await wh.query("SELECT COUNT(*) AS n FROM dst"), [{ n: 3 }], "the savepoints rolled back");
}

Deno.test("syncFromSelect() counts changes and nests in transactions on SQLite", async () => {
  await using wh = await openWarehouse("sqlite::memory:");
  await checkSync(wh);
});

integrationTest(
  "mysql",
  "syncFromSelect() counts changes and nests in transactions on MariaDB",
  async (url) => {
    const dbUrl = uniqueDatabaseUrl(url, "sync_from_select");
    await using wh = await openWarehouse(dbUrl);
    try {
      await checkSync(wh);
    } finally {
      await wh.execute(
        `DROP DATABASE IF EXISTS ${quoteIdentifier("mysql", dbUrl.slice(dbUrl.lastIndexOf("/") + 1))}`,
      );
    }
  },
);
