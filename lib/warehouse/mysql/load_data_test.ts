import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { loadDataLine, loadDataSql, loadDataStream } from "./load_data.ts";
import type { SqlValue } from "../types.ts";

Deno.test("loadDataLine() escapes what LOAD DATA would misread", async (t) => {
  const cases: [string, SqlValue[], string][] = [
    ["plain", ["a", 1, -2.5], "a\t1\t-2.5\n"],
    ["NULL", [null, "x"], "\\N\tx\n"],
    ["tab, newline, CR", ["a\tb", "c\nd\re"], "a\\tb\tc\\nd\\re\n"],
    ["backslash", ["C:\\dir\\N"], "C:\\\\dir\\\\N\n"],
    ["NUL", ["a\0b"], "a\\0b\n"],
    ["the word NULL and empty text stay text", ["NULL", ""], "NULL\t\n"],
    ["quotes and unicode untouched", [`it's "ok" 😀 é`], `it's "ok" 😀 é\n`],
  ];
  for (const [name, row, expected] of cases) {
    await t.step(name, () => assert.equal(loadDataLine(row), expected));
  }
});

Deno.test("loadDataSql() names the table and columns", () => {
  assert.equal(
    loadDataSql("t", ["a", "b`c"]),
    "LOAD DATA LOCAL INFILE 'workbench-rows.tsv' INTO TABLE `t` CHARACTER SET utf8mb4 " +
      "FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (`a`, `b``c`)",
  );
});

Deno.test("loadDataStream() emits only Buffers of at most 1 MB holding every row in order", async () => {
  async function* batches() {
    for (let b = 0; b < 30; b++) {
      yield Array.from({ length: 1000 }, (_, i) => [`row ${b * 1000 + i}`, "x".repeat(100)] as SqlValue[]);
    }
  }
  const chunks: unknown[] = [];
  for await (const chunk of loadDataStream("t", ["a", "b"], batches())) chunks.push(chunk);
  assert.ok(chunks.length > 1, "large input is split into several chunks");
  for (const chunk of chunks) {
    assert.ok(Buffer.isBuffer(chunk));
    assert.ok(chunk.length <= 1 << 20);
  }
  const lines = Buffer.concat(chunks as Buffer[]).toString("utf8").split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, 30_000);
  assert.equal(lines[0], `row 0\t${"x".repeat(100)}`);
  assert.equal(lines[29_999], `row 29999\t${"x".repeat(100)}`);
});

Deno.test("loadDataStream() fails on a row of the wrong width", async () => {
  const stream = loadDataStream("t", ["a", "b"], [[["a", "b"], ["only one"]]]);
  await assert.rejects(async () => {
    for await (const _ of stream) { /* drain */ }
  }, { name: "RangeError", message: 'Cannot bulk insert into "t": row 2 has 1 values for 2 columns' });
});
