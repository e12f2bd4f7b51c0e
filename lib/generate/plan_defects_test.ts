import assert from "node:assert/strict";
import { countDefects, planDefects } from "./plan_defects.ts";
import { Random } from "./random.ts";

Deno.test("planDefects() gives each kind max(1, round(rate * rows)) distinct rows", () => {
  const plan = planDefects({ common: 0.01, rare: 0.0001, none: 0 }, 10_000, new Random(1), "rows");
  assert.deepEqual(countDefects(plan), { common: 100, rare: 1, none: 1 });
  for (const row of plan.keys()) assert.ok(Number.isInteger(row) && row >= 0 && row < 10_000);
});

Deno.test("planDefects() is deterministic for a seed", () => {
  const rates = { a: 0.02, b: 0.03 };
  const first = planDefects(rates, 5000, new Random(9, "plan"), "rows");
  const second = planDefects(rates, 5000, new Random(9, "plan"), "rows");
  assert.deepEqual([...first], [...second]);
});

Deno.test("planDefects() refuses a dataset too small for every kind", () => {
  assert.throws(
    () => planDefects({ a: 0.01, b: 0.01, c: 0.01 }, 5, new Random(1), "users"),
    (error) => {
      assert.ok(error instanceof RangeError);
      assert.equal(error.message, "Cannot inject 3 defects into 5 users: messy data needs at least 6 users");
      return true;
    },
  );
});

Deno.test("countDefects() of no plan is empty", () => {
  assert.deepEqual(countDefects(undefined), {});
});
