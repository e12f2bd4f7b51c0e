import assert from "node:assert/strict";
import { parseNumber } from "./parse_number.ts";

Deno.test("parseNumber() reads the number formats of section 5", async (t) => {
  const cases: [string, number][] = [
    ["12", 12],
    [" 12 ", 12],
    ["1,234", 1234],
    ["1,234,567.89", 1234567.89],
    ["45 min", 45],
    ["45min", 45],
    ["58.0 h", 58],
    ["85.5%", 85.5],
    ["-5", -5],
    ["-12.5 min", -12.5],
    ["+3", 3],
    ["0", 0],
    ["-0", 0],
    [".5", 0.5],
    ["5.", 5],
    ["007", 7],
    ["12,", 12],
    ["45 min.", 45],
  ];
  for (const [value, expected] of cases) {
    await t.step(JSON.stringify(value), () => assert.equal(parseNumber(value), expected));
  }
  await t.step("a negative zero is plain zero", () => assert.ok(Object.is(parseNumber("-0.0"), 0)));
});

Deno.test("parseNumber() returns NULL for values that are not one number", async (t) => {
  const cases: (string | null | undefined)[] = [
    "",
    "   ",
    "abc",
    "n/a",
    "-",
    "+",
    ".",
    "1.2.3",
    "1.2.",
    "12 to 15",
    "2024-01-01",
    "$5",
    "~12",
    "- 5",
    "1e3",
    "1,5",
    "1,2345",
    ",123",
    "1.234,5",
    "9".repeat(400),
    undefined,
    null,
  ];
  for (const value of cases) {
    await t.step(JSON.stringify(value) ?? "undefined", () => assert.equal(parseNumber(value), null));
  }
});
