import assert from "node:assert/strict";
import { checkColumns, checkRow } from "./_check_rows.ts";
import type { SqlValue } from "./types.ts";

Deno.test("checkColumns() accepts a valid column and key list", () => {
  checkColumns("upsert", "t", ["id", "n"], ["id"]);
  checkColumns("bulk insert", "t", ["id"]);
});

Deno.test("checkColumns() rejects bad column lists with a RangeError", async (t) => {
  const cases: [string, string[], string[] | undefined, string][] = [
    ["no columns", [], undefined, 'Cannot bulk insert into "t": no columns given'],
    [
      "repeated column",
      ["a", "b", "a"],
      undefined,
      'Cannot bulk insert into "t": column "a" is listed twice',
    ],
    ["no keys", ["a"], [], 'Cannot bulk insert into "t": no key columns given'],
    [
      "unknown key",
      ["a", "b"],
      ["id"],
      'Cannot bulk insert into "t": key column "id" is not among the columns ("a", "b")',
    ],
  ];
  for (const [name, columns, keys, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => checkColumns("bulk insert", "t", columns, keys), { name: "RangeError", message });
    });
  }
});

Deno.test("checkRow() rejects rows of the wrong width or with invalid values", async (t) => {
  const cases: [string, unknown[], RegExp][] = [
    ["too short", ["a"], /^Cannot upsert into "t": row 7 has 1 values for 2 columns$/],
    ["too long", ["a", 1, 2], /row 7 has 3 values for 2 columns/],
    ["NaN", ["a", NaN], /row 7, column "n" holds NaN/],
    ["Infinity", ["a", Infinity], /column "n" holds Infinity/],
    ["undefined", [undefined, 1], /column "id" holds a value of type undefined/],
    ["boolean", ["a", true], /column "n" holds a value of type boolean/],
  ];
  for (const [name, row, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => checkRow("upsert", "t", ["id", "n"], row as SqlValue[], 7), {
        name: "RangeError",
        message,
      });
    });
  }
  await t.step("valid", () => checkRow("upsert", "t", ["id", "n"], [null, -1.5], 1));
});
