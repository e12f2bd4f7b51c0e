import assert from "node:assert/strict";
import { fitsLength } from "./_fits_length.ts";

Deno.test("fitsLength() counts code points, like a SQL VARCHAR", async (t) => {
  const cases: [string, number, boolean][] = [
    ["", 0, true],
    ["abc", 3, true],
    ["abcd", 3, false],
    ["😀".repeat(3), 3, true],
    ["😀".repeat(4), 3, false],
    ["é".repeat(32), 32, true],
  ];
  for (const [text, max, expected] of cases) {
    await t.step(`${JSON.stringify(text)} <= ${max}`, () => assert.equal(fitsLength(text, max), expected));
  }
});
