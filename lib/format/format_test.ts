import assert from "node:assert/strict";
import { formatCount, formatDuration, formatRows, formatTime } from "./mod.ts";

Deno.test("formatCount() and formatRows() group thousands and say row or rows", () => {
  assert.equal(formatCount(222785), "222,785");
  assert.equal(formatCount(0.4), "0");
  assert.equal(formatRows(1), "1 row");
  assert.equal(formatRows(12345), "12,345 rows");
});

Deno.test("formatDuration() prints ms, seconds with two decimals, then minutes and seconds", () => {
  assert.equal(formatDuration(850.4), "850 ms");
  assert.equal(formatDuration(2410), "2.41 s");
  assert.equal(formatDuration(59_990), "59.99 s");
  assert.equal(formatDuration(245_000), "4 min 05 s");
  assert.equal(formatDuration(119_700), "2 min 00 s");
});

Deno.test("formatTime() reads ISO and run store timestamps as UTC", () => {
  assert.equal(formatTime("2026-11-26 01:35:07.123"), "2026-11-26 01:35:07 UTC");
  assert.equal(formatTime("2026-11-26T01:35:07Z"), "2026-11-26 01:35:07 UTC");
  assert.equal(formatTime(null), "–");
  assert.equal(formatTime("soon"), "soon");
});
