import assert from "node:assert/strict";
import type { FileCounts } from "./load_keyed_csv.ts";
import { reconcileLines } from "./validate_data.ts";

const counts = (rowsRead: number, physical: number, cr = 0): FileCounts => ({
  file: "viewing_sessions.csv",
  mode: "direct",
  rowsRead,
  loaded: rowsRead,
  rejected: 0,
  duplicates: 0,
  inserted: rowsRead,
  updated: 0,
  unchanged: 0,
  rejectedByReason: {},
  coerced: {},
  timings: {},
  lines: {
    header: 1,
    blank: 2,
    continuation: 1,
    physical: { lines: physical, bytes: 100, endings: { lf: physical - cr, crlf: 0, cr } },
  },
});

Deno.test("reconcileLines() fails when the rows read do not add up to the file's physical lines (line ends reproduction)", () => {
  const ok = reconcileLines(counts(996, 1000));
  assert.equal(ok.status, "pass");
  assert.equal(ok.expected, "996 read + 1 header + 2 blank + 1 continuation = 1000");
  // The reproduction: 1000 LF lines, then 1000 bare-CR lines a reader took for one line.
  const lost = reconcileLines(counts(1001, 2001, 1000));
  assert.equal(lost.status, "fail");
  assert.equal(lost.name, "lines_viewing_sessions.csv");
  assert.match(lost.observed, /^2001 lines \(100 bytes; line ends: 1001 LF, 1000 bare CR\)$/);
});
