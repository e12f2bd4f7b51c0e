import assert from "node:assert/strict";
import { keyString, planUpserts } from "./_upsert_plan.ts";
import type { Doc } from "./types.ts";

const stored = new Map<string, Doc>([[keyString("a"), { id: "a", v: 1 }]]);

Deno.test("planUpserts() writes new and changed documents only", () => {
  const plan = planUpserts([{ id: "a", v: 1 }, { id: "b", v: 1 }, { id: "a", v: 2 }], "id", stored);
  assert.equal(plan.unchanged, 1);
  assert.deepEqual(plan.writes, [
    { key: "b", doc: { id: "b", v: 1 }, existed: false },
    { key: "a", doc: { id: "a", v: 2 }, existed: true },
  ]);
  assert.deepEqual(plan.failed, []);
});

Deno.test("planUpserts() compares a repeated key with the batch's earlier document", () => {
  const plan = planUpserts([{ id: "c", v: 1 }, { id: "c", v: 1 }, { id: "c", v: 2 }], "id", new Map());
  assert.equal(plan.unchanged, 1);
  assert.deepEqual(plan.writes.map(({ doc, existed }) => [doc.v, existed]), [[1, false], [2, true]]);
});

Deno.test("planUpserts() fails documents without a usable key and drops _id", () => {
  const plan = planUpserts([{ v: 1 }, { id: null }, { id: 10n }, { _id: "x", id: "d" }], "id", new Map());
  assert.deepEqual(plan.failed.map(({ message }) => message), [
    'Document has no "id"',
    'Document has no "id"',
    plan.failed[2].message,
  ]);
  assert.match(plan.failed[2].message, /^Cannot use "id" as a key: .*BigInt/);
  assert.deepEqual(plan.writes, [{ key: "d", doc: { id: "d" }, existed: false }]);
});

Deno.test("keyString() tells a number from its text", () => {
  assert.notEqual(keyString(1), keyString("1"));
  assert.equal(keyString("x"), keyString("x"));
});
