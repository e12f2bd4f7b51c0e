/**
 * Several hosts in a MySQL URL: the first that answers is used, and every host is named when none does. URL
 * options that bound transactions and turn LOAD DATA off.
 */
import assert from "node:assert/strict";
import { openWarehouse } from "../lib/warehouse/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

/** A local port nothing listens on: bound, then released. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

integrationTest("mysql", "a multi-host URL skips a host that refuses connections", async (url) => {
  const single = new URL(uniqueDatabaseUrl(url, "failover"));
  const dead = freePort();
  const multi =
    `mysql://${single.username}:${single.password}@127.0.0.1:${dead},${single.host}${single.pathname}` +
    "?connect-timeout=3&wsrep_sync_wait=0&sql_mode=STRICT_ALL_TABLES";
  await using wh = await openWarehouse(multi);
  assert.equal(wh.label, `mysql://${single.username}@127.0.0.1:${dead},${single.host}${single.pathname}`);
  const [row] = await wh.query<{ port: number; mode: string; tz: string }>(
    "SELECT @@port AS port, @@session.sql_mode AS mode, @@session.time_zone AS tz",
  );
  assert.equal(String(row.port), single.port || "3306");
  assert.equal(row.mode, "STRICT_ALL_TABLES", "session variables from the URL are set");
  assert.equal(row.tz, "+00:00");
});

Deno.test("a multi-host URL where no host answers names every host", async () => {
  const [a, b] = [freePort(), freePort()];
  await assert.rejects(
    () => openWarehouse(`mysql://u:secret@127.0.0.1:${a},127.0.0.1:${b}/db?connect-timeout=2`),
    (error: Error) => {
      assert.equal(
        error.message,
        `Cannot connect to MySQL at any of 127.0.0.1:${a}, 127.0.0.1:${b}: connection refused`,
      );
      return true;
    },
  );
});

integrationTest(
  "mysql",
  "max-transaction-rows commits bulk loads in chunks; load-data=false uses INSERTs",
  async (url) => {
    for (const loadData of ["true", "false"]) {
      await using wh = await openWarehouse(
        `${uniqueDatabaseUrl(url, "bounded")}?max-transaction-rows=3&load-data=${loadData}`,
      );
      assert.equal(wh.traits?.maxTransactionRows, 3);
      await wh.execute("DROP TABLE IF EXISTS t");
      await wh.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
      const rows = Array.from({ length: 8 }, (_, i) => [i, `v${i}`]);
      assert.equal(await wh.bulkInsert("t", ["id", "v"], [rows.slice(0, 5), rows.slice(5)]), 8);
      assert.deepEqual(await wh.query("SELECT COUNT(*) AS n FROM t"), [{ n: 8 }]);
      // A failing chunk leaves the chunks committed before it: rows 10..12 stay, 13 fails on its duplicate.
      await assert.rejects(
        () => wh.bulkInsert("t", ["id", "v"], [[[10, "a"], [11, "b"], [12, "c"], [13, "d"], [13, "e"]]]),
        /Cannot bulk insert into "t"/,
      );
      const ids = await wh.query<{ id: number }>("SELECT id FROM t WHERE id >= 10 ORDER BY id");
      assert.deepEqual(ids.map((r) => r.id), [10, 11, 12], `load-data=${loadData}: earlier chunks committed`);
    }
  },
);

integrationTest(
  "mysql",
  "a session variable the server does not know is named in the connect error",
  async (url) => {
    await assert.rejects(
      () => openWarehouse(`${uniqueDatabaseUrl(url, "failover")}?no_such_variable=1`),
      /^Error: Cannot connect to MySQL at .*: Unknown system variable 'no_such_variable'$/,
    );
  },
);
