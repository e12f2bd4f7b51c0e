import assert from "node:assert/strict";
import { parseDate, parseDateTime } from "./parse_date_time.ts";

const VALID: [string, string][] = [
  ["2024-03-05", "2024-03-05 00:00:00"],
  [" 2024-03-05 ", "2024-03-05 00:00:00"],
  ["2024/03/05", "2024-03-05 00:00:00"],
  ["05/03/2024", "2024-03-05 00:00:00"],
  ["31/12/2023", "2023-12-31 00:00:00"],
  ["2024-03-05T14:30", "2024-03-05 14:30:00"],
  ["2024-03-05T14:30Z", "2024-03-05 14:30:00"],
  ["2024-03-05T14:30:15", "2024-03-05 14:30:15"],
  ["2024-03-05T14:30:15Z", "2024-03-05 14:30:15"],
  ["2024-03-05 14:30", "2024-03-05 14:30:00"],
  ["2024-03-05 23:59:59", "2024-03-05 23:59:59"],
  ["2024-02-29", "2024-02-29 00:00:00"],
  ["2000-02-29", "2000-02-29 00:00:00"],
  ["1000-01-01", "1000-01-01 00:00:00"],
  ["9999-12-31", "9999-12-31 00:00:00"],
  ["9999-12-31T00:00Z", "9999-12-31 00:00:00"],
];

const INVALID: (string | null | undefined)[] = [
  "2024-02-30",
  "2023-02-29",
  "1900-02-29",
  "2024-04-31",
  "2024-13-01",
  "2024-00-10",
  "2024-01-00",
  "30/02/2024",
  "2024/02/30",
  "2024-03-05 24:00",
  "2024-03-05T23:60",
  "2024-03-05T23:59:60",
  "2024-03-05 14:30Z",
  "2024-03-05T14:30+02:00",
  "2024-03-05T14:30:15.123Z",
  "2024-03-05T14",
  "2024-3-5",
  "5/3/2024",
  "2024/03/05 14:30",
  "03-05-2024",
  "0999-12-31",
  "March 5, 2024",
  "20240305",
  "",
  "   ",
  undefined,
  null,
];

Deno.test("parseDateTime() reads the date formats of section 5 as UTC", async (t) => {
  for (const [value, expected] of VALID) {
    await t.step(JSON.stringify(value), () => assert.equal(parseDateTime(value), expected));
  }
});

Deno.test("parseDateTime() returns NULL for impossible dates and other formats", async (t) => {
  for (const value of INVALID) {
    await t.step(JSON.stringify(value) ?? "undefined", () => assert.equal(parseDateTime(value), null));
  }
});

Deno.test("parseDate() keeps the date part of every accepted format", async (t) => {
  for (const [value, expected] of VALID) {
    await t.step(JSON.stringify(value), () => assert.equal(parseDate(value), expected.slice(0, 10)));
  }
  for (const value of INVALID) {
    await t.step(
      `${JSON.stringify(value) ?? "undefined"} is NULL`,
      () => assert.equal(parseDate(value), null),
    );
  }
});
