import assert from "node:assert/strict";
import { capitalizeWords } from "./capitalize_words.ts";

Deno.test("capitalizeWords() lower-cases, then capitalises each space-separated word", async (t) => {
  const cases: [string, string][] = [
    ["mexico", "Mexico"],
    ["UNITED STATES", "United States"],
    ["costa rica", "Costa Rica"],
    ["ñuñoa", "Ñuñoa"],
    ["guinea-bissau", "Guinea-bissau"],
    ["Peru", "Peru"],
    ["", ""],
  ];
  for (const [value, expected] of cases) {
    await t.step(JSON.stringify(value), () => assert.equal(capitalizeWords(value), expected));
  }
});
