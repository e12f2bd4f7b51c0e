import assert from "node:assert/strict";
import { join } from "node:path";
import { openSqliteWarehouse } from "./sqlite_warehouse.ts";

Deno.test("SQLite readQuery() reads committed rows on its own connection, beside a transaction", async () => {
  const dir = await Deno.makeTempDir({ prefix: "read_query_" });
  await using wh = await openSqliteWarehouse(join(dir, "wh.db"));
  await wh.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, x REAL)");
  await wh.upsert("t", ["id", "n", "x"], ["id"], [["a", 1, 0.5], ["b", 2, null]]);
  const sql = "SELECT id, n, x FROM t WHERE n >= ? ORDER BY id";
  assert.deepEqual(await wh.readQuery(sql, [1]), await wh.query(sql, [1]));

  // A transaction holds the one connection until `release`; the read does not wait for it, and sees only
  // what was committed before.
  let release!: () => void;
  const held = new Promise<void>((resolve) => release = resolve);
  const tx = wh.transaction(async (t) => {
    await t.execute("INSERT INTO t VALUES ('c', 3, 1.5)");
    await held;
  });
  const waiting = wh.query("SELECT COUNT(*) AS n FROM t");
  const read = await wh.readQuery<{ n: number }>("SELECT COUNT(*) AS n FROM t");
  assert.deepEqual(read, [{ n: 2 }]);
  let queried = false;
  waiting.then(() => queried = true);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(queried, false, "the ordinary query still waits for the transaction");
  release();
  await tx;
  assert.deepEqual(await waiting, [{ n: 3 }]);
  assert.deepEqual(await wh.readQuery("SELECT COUNT(*) AS n FROM t"), [{ n: 3 }]);

  // Errors keep their message, so isMissingTable() still tells a missing table.
  const error = await wh.readQuery("SELECT * FROM missing").catch((e) => e);
  assert.match(error.message, /no such table: missing/);
  assert.equal(wh.sql.isMissingTable(error), true);
  await wh.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("SQLite readQuery() on :memory: and inside a transaction is query()", async () => {
  await using wh = await openSqliteWarehouse(":memory:");
  await wh.execute("CREATE TABLE t (n INTEGER)");
  await wh.transaction(async (tx) => {
    await tx.execute("INSERT INTO t VALUES (7)");
    assert.deepEqual(await tx.readQuery("SELECT n FROM t"), [{ n: 7 }], "sees the transaction's own write");
  });
  assert.deepEqual(await wh.readQuery("SELECT n FROM t"), [{ n: 7 }]);
});

Deno.test("SQLite readQuery() runs two long reads side by side, on two worker connections", async () => {
  const dir = await Deno.makeTempDir({ prefix: "read_query_" });
  await using wh = await openSqliteWarehouse(join(dir, "wh.db"));
  await wh.execute("CREATE TABLE t (n INTEGER)");
  await wh.execute("INSERT INTO t VALUES (1)");
  // The main connection is held, so neither read can fall back to it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => release = resolve);
  const tx = wh.transaction(() => held);
  const long = wh.readQuery<{ n: number }>(
    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000000) SELECT COUNT(*) AS n FROM c",
  );
  let longDone = false;
  long.then(() => longDone = true);
  try {
    assert.deepEqual(await wh.readQuery("SELECT COUNT(*) AS n FROM t"), [{ n: 1 }]);
    assert.equal(longDone, false, "the short read did not queue behind the long one");
    assert.deepEqual(await long, [{ n: 3_000_000 }]);
  } finally {
    release();
    await tx;
  }
  await wh.close();
  await Deno.remove(dir, { recursive: true });
});
