import assert from "node:assert/strict";
import { cumulativeWeights, Random } from "./random.ts";

function draws(random: Random, count: number): number[] {
  return Array.from({ length: count }, () => random.uint32());
}

Deno.test("Random repeats its sequence for the same seed and stream", () => {
  assert.deepEqual(draws(new Random(42, "users"), 100), draws(new Random(42, "users"), 100));
});

Deno.test("Random gives different sequences for another seed or stream", () => {
  const base = draws(new Random(42, "users"), 20);
  assert.notDeepEqual(draws(new Random(43, "users"), 20), base);
  assert.notDeepEqual(draws(new Random(42, "sessions"), 20), base);
});

Deno.test("Random.next() stays in [0, 1) and is roughly uniform", () => {
  const random = new Random(1);
  const buckets = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const value = random.next();
    assert.ok(value >= 0 && value < 1, String(value));
    buckets[Math.floor(value * 10)]++;
  }
  for (const count of buckets) assert.ok(Math.abs(count - 10_000) < 500, String(buckets));
});

Deno.test("Random.int() covers both bounds and nothing outside", () => {
  const random = new Random(2);
  const seen = new Set<number>();
  for (let i = 0; i < 10_000; i++) seen.add(random.int(-2, 3));
  assert.deepEqual([...seen].sort((a, b) => a - b), [-2, -1, 0, 1, 2, 3]);
});

Deno.test("Random.pickCumulative() follows the weights and never picks a zero weight", async (t) => {
  const random = new Random(3);
  const cumulative = cumulativeWeights([1, 0, 3, 0]);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 40_000; i++) counts[random.pickCumulative(cumulative)]++;
  await t.step("zero weights", () => assert.deepEqual([counts[1], counts[3]], [0, 0]));
  await t.step("shares", () => assert.ok(Math.abs(counts[2] / 40_000 - 0.75) < 0.01, String(counts)));
  await t.step("from an index on", () => {
    for (let i = 0; i < 1000; i++) assert.equal(random.pickCumulative(cumulative, 1), 2);
  });
});

Deno.test("Random rejects a seed that is not a safe integer", () => {
  assert.throws(() => new Random(1.5), RangeError);
  assert.throws(() => new Random(Number.NaN), RangeError);
});
