import assert from "node:assert/strict";
import { canonicalQuality } from "./canonical_quality.ts";

Deno.test("canonicalQuality() accepts 4K, HD and SD in any case", async (t) => {
  const cases: [string | null | undefined, string | null][] = [
    ["4K", "4K"],
    ["4k", "4K"],
    ["HD", "HD"],
    ["hd", "HD"],
    [" Sd ", "SD"],
    ["8K", null],
    ["Full HD", null],
    ["", null],
    [undefined, null],
    [null, null],
  ];
  for (const [value, expected] of cases) {
    await t.step(JSON.stringify(value) ?? "undefined", () => assert.equal(canonicalQuality(value), expected));
  }
});
