import assert from "node:assert/strict";
import type { SqlValue } from "../types.ts";
import { type ValuesList, ValuesLists } from "./values_lists.ts";

function collect(lists: ValuesLists, rows: SqlValue[][]): ValuesList[] {
  const out: ValuesList[] = [];
  for (const row of rows) {
    const full = lists.add(row);
    if (full) out.push(full);
  }
  const rest = lists.flush();
  if (rest) out.push(rest);
  return out;
}

Deno.test("ValuesLists escapes values for MySQL", () => {
  const [list] = collect(new ValuesLists("upsert", "t", ["a", "b", "c"]), [
    ["it's", null, 1.5],
    ["back\\slash\nnew line", -2, ""],
  ]);
  assert.deepEqual(list, {
    sql: String.raw`('it\'s',NULL,1.5),('back\\slash\nnew line',-2,'')`,
    rowCount: 2,
  });
});

Deno.test("ValuesLists closes a list at maxRows or maxChars", async (t) => {
  await t.step("by rows", () => {
    const lists = collect(new ValuesLists("upsert", "t", ["a"], { maxRows: 2 }), [[1], [2], [3], [4], [5]]);
    assert.deepEqual(lists.map((l) => l.rowCount), [2, 2, 1]);
  });
  await t.step("by characters", () => {
    const rows = Array.from({ length: 10 }, () => ["x".repeat(100)]);
    const lists = collect(new ValuesLists("upsert", "t", ["a"], { maxChars: 250 }), rows);
    assert.deepEqual(lists.map((l) => l.rowCount), [3, 3, 3, 1]);
    assert.ok(lists.every((l) => l.sql.length < 250 + 110));
  });
});

Deno.test("ValuesLists numbers rows across lists in its errors", () => {
  const lists = new ValuesLists("bulk insert", "t", ["a", "b"], { maxRows: 1 });
  lists.add([1, 2]);
  assert.throws(() => lists.add([1]), {
    name: "RangeError",
    message: 'Cannot bulk insert into "t": row 2 has 1 values for 2 columns',
  });
});
