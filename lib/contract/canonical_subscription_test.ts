import assert from "node:assert/strict";
import { canonicalSubscription } from "./canonical_subscription.ts";

Deno.test("canonicalSubscription() accepts the three plans in any case", async (t) => {
  const cases: [string | null | undefined, string | null][] = [
    ["Basic", "Basic"],
    ["basic", "Basic"],
    ["STANDARD", "Standard"],
    [" premium ", "Premium"],
    ["PrEmIuM", "Premium"],
    ["Gold", null],
    ["Premium Plus", null],
    ["", null],
    [undefined, null],
    [null, null],
  ];
  for (const [value, expected] of cases) {
    await t.step(
      JSON.stringify(value) ?? "undefined",
      () => assert.equal(canonicalSubscription(value), expected),
    );
  }
});
