import assert from "node:assert/strict";
import { chunkedBatches, serverTransactionRows } from "./bounded_transactions.ts";
import { isHostDown } from "./failover_pool.ts";
import { MYSQL_DIALECT } from "./dialect.ts";

Deno.test("chunkedBatches() regroups batches into chunks of at most N rows, in order", async () => {
  const batches = [[[1], [2], [3]], [[4]], [], [[5], [6], [7], [8], [9]]];
  const chunks: number[][] = [];
  for await (const chunk of chunkedBatches(batches, 4)) {
    chunks.push(chunk.flat().map((row) => row[0] as number));
  }
  assert.deepEqual(chunks, [[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  const none = [];
  for await (const chunk of chunkedBatches([[]], 4)) none.push(chunk);
  assert.deepEqual(none, []);
});

Deno.test("serverTransactionRows() takes the smaller of the option and half the server's limits", () => {
  const galera = (maxWsRows: number, maxWsSize = 2 ** 31 - 1) => ({ wsrepOn: true, maxWsRows, maxWsSize });
  assert.equal(serverTransactionRows(undefined, undefined), undefined);
  assert.equal(serverTransactionRows({ wsrepOn: false, maxWsRows: 10, maxWsSize: 10 }, undefined), undefined);
  assert.equal(serverTransactionRows(galera(50_000), undefined), 25_000);
  assert.equal(serverTransactionRows(galera(50_000), 10_000), 10_000);
  assert.equal(serverTransactionRows(galera(0, 12 * 1024 * 1024), undefined), 6144);
  assert.equal(serverTransactionRows(undefined, 7), 7);
});

Deno.test("a dead host fails over; a Galera node outside the primary component is transient", () => {
  assert.equal(isHostDown({ code: "ECONNREFUSED" }), true);
  assert.equal(isHostDown({ errors: [{ code: "ECONNREFUSED" }] }), true);
  assert.equal(isHostDown({ errno: 1047 }), true);
  assert.equal(isHostDown({ code: "ER_ACCESS_DENIED_ERROR", errno: 1045 }), false);
  assert.equal(isHostDown({ code: "ER_PARSE_ERROR", errno: 1064 }), false);
  assert.equal(MYSQL_DIALECT.isTransient({ errno: 1213, message: "Deadlock found" }), true);
  assert.equal(MYSQL_DIALECT.isTransient({ errno: 1047 }), true);
  assert.equal(
    MYSQL_DIALECT.isTransient(
      new Error("Cannot bulk insert", {
        cause: {
          message:
            "Error while appending streaming replication fragment(provider status: Not connected to Primary Component)",
        },
      }),
    ),
    true,
  );
  assert.equal(
    MYSQL_DIALECT.isTransient({ errno: 4165, message: "Galera replication not supported" }),
    false,
  );
});
