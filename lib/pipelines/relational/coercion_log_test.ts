import assert from "node:assert/strict";
import { CoercionLog } from "./coercion_log.ts";

Deno.test("CoercionLog counts every coercion and keeps the first ones of each field", () => {
  const log = new CoercionLog("r", "users.csv", 2);
  for (let line = 2; line < 7; line++) log.add(line, "age", `x${line}`, null);
  log.add(9, "device_type", "Smartwatch", "Other");
  assert.deepEqual(log.counts, { age: 5, device_type: 1 });
  assert.deepEqual(log.rows, [
    ["r", "users.csv", 2, "age", "x2", null],
    ["r", "users.csv", 3, "age", "x3", null],
    ["r", "users.csv", 9, "device_type", "Smartwatch", "Other"],
  ]);
  assert.deepEqual([...log.batches(2)].map((b) => b.length), [2, 1]);
  assert.throws(() => new CoercionLog("r", "f", -1), RangeError);
});
