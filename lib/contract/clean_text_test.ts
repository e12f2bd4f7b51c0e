import assert from "node:assert/strict";
import { cleanText } from "./clean_text.ts";

Deno.test("cleanText() trims, collapses inner whitespace and turns empty into NULL", async (t) => {
  const cases: [string | null | undefined, string | null][] = [
    ["Mexico", "Mexico"],
    ["  Mexico ", "Mexico"],
    ["New   York", "New York"],
    ["New\tYork", "New York"],
    ["New \r\n York", "New York"],
    ["New\u00a0York", "New York"],
    ["a b c", "a b c"],
    ["", null],
    ["  \t ", null],
    [undefined, null],
    [null, null],
  ];
  for (const [value, expected] of cases) {
    await t.step(JSON.stringify(value) ?? "undefined", () => assert.equal(cleanText(value), expected));
  }
});
