import assert from "node:assert/strict";
import { roundTo2 } from "./round_to_2.ts";

Deno.test("roundTo2() rounds half away from zero on the decimal value", async (t) => {
  const cases: [number, number][] = [
    [1.005, 1.01],
    [-1.005, -1.01],
    [2.675, 2.68],
    [-2.675, -2.68],
    [1.255, 1.26],
    [8.345, 8.35],
    [0.125, 0.13],
    [1.004, 1],
    [1.0049999, 1],
    [78.9, 78.9],
    [12, 12],
    [0.5, 0.5],
    [-1.5, -1.5],
    [0.07, 0.07],
    [1234567.89, 1234567.89],
    [1234567.895, 1234567.9],
    [1e-7, 0],
    [5e-3, 0.01],
    [1e21, 1e21],
  ];
  for (const [value, expected] of cases) {
    await t.step(String(value), () => assert.equal(roundTo2(value), expected));
  }
  await t.step(
    "a negative value that rounds to zero is plain zero",
    () => assert.ok(Object.is(roundTo2(-0.001), 0)),
  );
  await t.step("non-finite values come back unchanged", () => {
    assert.ok(Number.isNaN(roundTo2(NaN)));
    assert.equal(roundTo2(Infinity), Infinity);
  });
});

Deno.test("roundTo2() matches decimal arithmetic on seeded three-decimal values", () => {
  let state = 7;
  const next = () => (state = (state * 48271) % 2147483647);
  for (let i = 0; i < 20_000; i++) {
    const thousandths = (next() % 20_000_001) - 10_000_000;
    const sign = thousandths < 0 ? "-" : "";
    const magnitude = Math.abs(thousandths);
    const value = Number(
      `${sign}${Math.floor(magnitude / 1000)}.${String(magnitude % 1000).padStart(3, "0")}`,
    );
    // Half away from zero on the exact decimal: add 5 thousandths to the magnitude, then drop the last digit.
    const hundredths = Math.floor((magnitude + 5) / 10);
    const expected = Number(
      `${sign}${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`,
    );
    assert.equal(roundTo2(value), expected === 0 ? 0 : expected, `roundTo2(${value})`);
  }
});
