import assert from "node:assert/strict";
import { documentsEqual } from "./_documents_equal.ts";

Deno.test("documentsEqual() compares document values as MongoDB stores them", async (t) => {
  const cases: [name: string, a: unknown, b: unknown, equal: boolean][] = [
    ["same fields in another order", { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    ["a field set to undefined is absent", { a: 1, b: undefined }, { a: 1 }, true],
    ["a different value", { a: 1 }, { a: 2 }, false],
    ["a missing field", { a: 1, b: null }, { a: 1 }, false],
    ["arrays in another order", { a: [1, 2] }, { a: [2, 1] }, false],
    ["nested documents", { a: { b: { c: "x" } } }, { a: { b: { c: "x" } } }, true],
    ["nested difference", { a: { b: { c: "x" } } }, { a: { b: { c: "y" } } }, false],
    ["a number and its text", { a: 1 }, { a: "1" }, false],
    ["dates by time", { a: new Date(0) }, { a: new Date(0) }, true],
    ["a date and a string", { a: new Date(0) }, { a: new Date(0).toISOString() }, false],
    ["NaN", { a: NaN }, { a: NaN }, true],
    ["an array and an object", { a: [] }, { a: {} }, false],
  ];
  for (const [name, a, b, equal] of cases) {
    await t.step(name, () => {
      assert.equal(documentsEqual(a, b), equal);
      assert.equal(documentsEqual(b, a), equal);
    });
  }
});

Deno.test("documentsEqual() uses the equals() of driver value types", () => {
  class Id {
    constructor(readonly hex: string) {}
    equals(other: unknown): boolean {
      return other instanceof Id && other.hex === this.hex;
    }
  }
  assert.ok(documentsEqual({ id: new Id("a") }, { id: new Id("a") }));
  assert.ok(!documentsEqual({ id: new Id("a") }, { id: new Id("b") }));
});
