import assert from "node:assert/strict";
import { openWarehouse } from "./mod.ts";
import { syncRows } from "./sync.ts";

Deno.test("syncRows() inserts, updates, keeps and deletes so the table equals the rows", async () => {
  await using wh = await openWarehouse("sqlite::memory:");
  await wh.execute(
    "CREATE TABLE t (g TEXT NOT NULL, place INTEGER NOT NULL, v REAL, PRIMARY KEY (g, place))",
  );
  const columns = ["g", "place", "v"];
  const keys = ["g", "place"];

  const first = await syncRows(wh, "t", columns, keys, [["a", 1, 1.5], ["a", 2, null], ["b", 1, 3]]);
  assert.deepEqual(first, { inserted: 3, updated: 0, unchanged: 0, deleted: 0 });

  const again = await syncRows(wh, "t", columns, keys, [["a", 1, 1.5], ["a", 2, null], ["b", 1, 3]]);
  assert.deepEqual(again, { inserted: 0, updated: 0, unchanged: 3, deleted: 0 });

  const changed = await syncRows(wh, "t", columns, keys, [["a", 1, 2.5], ["c", 1, null]]);
  assert.deepEqual(changed, { inserted: 1, updated: 1, unchanged: 0, deleted: 2 });
  assert.deepEqual(await wh.query("SELECT g, place, v FROM t ORDER BY g, place"), [
    { g: "a", place: 1, v: 2.5 },
    { g: "c", place: 1, v: null },
  ]);

  const emptied = await syncRows(wh, "t", columns, keys, []);
  assert.deepEqual(emptied, { inserted: 0, updated: 0, unchanged: 0, deleted: 2 });
});

Deno.test("syncRows() refuses keys that are not among the columns", async () => {
  await using wh = await openWarehouse("sqlite::memory:");
  await assert.rejects(() => syncRows(wh, "t", ["a"], ["b"], []), TypeError);
});
