import assert from "node:assert/strict";
import type { FileQuality } from "../pipelines/mod.ts";
import { coercionsSummaryHtml } from "./coercions_summary.ts";

const file = (over: Partial<FileQuality>): FileQuality => ({
  file: "users.csv",
  rowsRead: 10,
  loaded: 10,
  rejected: 0,
  duplicates: 0,
  rejects: [],
  coercions: [],
  ...over,
});

Deno.test("coercionsSummaryHtml lists each file's coerced fields with their count and example lines", () => {
  const html = coercionsSummaryHtml([
    file({
      coercions: [
        {
          field: "age",
          values: 1200,
          examples: [
            { file: "users.csv", line: 17, field: "age", value: "abc", stored: null },
            { file: "users.csv", line: 20, field: "age", value: "<9>", stored: null },
          ],
        },
      ],
    }),
    file({
      file: "viewing_sessions.csv",
      coercions: [{
        field: "device_type",
        values: 3,
        examples: [{
          file: "viewing_sessions.csv",
          line: 5,
          field: "device_type",
          value: "Car",
          stored: "Other",
        }],
      }],
    }),
  ], "r1");
  assert.match(html, /1,203 values loaded as NULL or a default/);
  assert.match(html, /deno task rejects r1 --coercions/);
  const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1])
  ).slice(1);
  assert.deepEqual(rows, [
    ["users.csv", "age", "1,200", "17", "abc", "NULL"],
    ["", "", "", "20", "&#60;9&#62;", "NULL"],
    ["viewing_sessions.csv", "device_type", "3", "5", "Car", "Other"],
  ]);
  assert.match(coercionsSummaryHtml([file({})], "r2"), /No value of run <code>r2<\/code> was stored as NULL/);
});
