import assert from "node:assert/strict";
import { upsertCounts } from "./upsert_counts.ts";

// Figures observed on MariaDB 10.11 with -FOUND_ROWS (key k, one value column).
Deno.test("upsertCounts() derives counts from affected rows and info", async (t) => {
  const cases: [string, number, number, string, [number, number, number]][] = [
    ["3 new keys", 3, 3, "Records: 3  Duplicates: 0  Warnings: 0", [3, 0, 0]],
    ["same 3 rows again", 3, 0, "Records: 3  Duplicates: 0  Warnings: 0", [0, 0, 3]],
    ["one of 3 changed", 3, 2, "Records: 3  Duplicates: 1  Warnings: 0", [0, 1, 2]],
    ["new key twice, second differs", 2, 3, "Records: 2  Duplicates: 1  Warnings: 0", [1, 1, 0]],
    ["new key twice, same values", 2, 1, "Records: 2  Duplicates: 0  Warnings: 0", [1, 0, 1]],
    ["new key 3 times, x y x", 3, 5, "Records: 3  Duplicates: 2  Warnings: 0", [1, 2, 0]],
    ["existing key changed then back", 2, 4, "Records: 2  Duplicates: 2  Warnings: 0", [0, 2, 0]],
    ["single new row", 1, 1, "", [1, 0, 0]],
    ["single changed row", 1, 2, "", [0, 1, 0]],
    ["single unchanged row", 1, 0, "", [0, 0, 1]],
  ];
  for (const [name, rows, affectedRows, info, [inserted, updated, unchanged]] of cases) {
    await t.step(name, () => {
      assert.deepEqual(upsertCounts(rows, { affectedRows, info }), { inserted, updated, unchanged });
    });
  }
});

Deno.test("upsertCounts() rejects figures that cannot be right", () => {
  assert.throws(() => upsertCounts(3, { affectedRows: 3, info: "" }), /no "Duplicates" figure/);
  assert.throws(
    () => upsertCounts(2, { affectedRows: 5, info: "Records: 2  Duplicates: 0  Warnings: 0" }),
    /do not fit 2 rows/,
  );
});
