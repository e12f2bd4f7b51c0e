import assert from "node:assert/strict";
import type { SqlValue } from "../../warehouse/mod.ts";
import { lineChunks } from "./line_chunks.ts";

/** Reads every chunk to the end: its batches, row count and last line. */
async function readChunks(batches: SqlValue[][][], maxRows: number) {
  const chunks = [];
  for await (const chunk of lineChunks(batches, maxRows)) {
    const parts = [];
    for await (const part of chunk.batches) parts.push(part);
    chunks.push({ parts, rows: chunk.rows, lastLine: chunk.lastLine });
  }
  return chunks;
}

Deno.test("lineChunks() cuts batches into chunks of at most N rows, each with its last line", async () => {
  const batches = [[[2, "a"], [3, "b"], [5, "c"]], [], [[8, "d"], [9, "e"]]];
  const chunks = await readChunks(batches, 2);
  assert.deepEqual(chunks.map((c) => [c.rows, c.lastLine]), [[2, 3], [2, 8], [1, 9]]);
  assert.deepEqual(chunks.flatMap((c) => c.parts.flat().map((row) => row[1])), ["a", "b", "c", "d", "e"]);
  assert.deepEqual(chunks[1].parts, [[[5, "c"]], [[8, "d"]]]);
  assert.deepEqual(await readChunks([[], []], 3), []);
  assert.deepEqual((await readChunks(batches, 10)).map((c) => [c.rows, c.lastLine]), [[5, 9]]);
  await assert.rejects(async () => {
    for await (const _ of lineChunks(batches, 0)) { /* nothing */ }
  }, /positive integer/);
});

Deno.test("lineChunks() streams: a chunk's rows are read from the input as the chunk is read", async () => {
  const pulled: number[] = [];
  async function* input() {
    for (let line = 1; line <= 6; line++) {
      pulled.push(line);
      yield [[line, `row ${line}`]];
    }
  }
  const chunks = lineChunks(input(), 3);
  const first = (await chunks.next()).value!;
  assert.deepEqual(pulled, [1], "the first batch only, to know that the chunk is not empty");
  await first.batches.next();
  await first.batches.next();
  assert.deepEqual(pulled, [1, 2]);
  for await (const _ of first.batches) { /* the rest */ }
  assert.deepEqual([first.rows, first.lastLine], [3, 3]);
  // A chunk left unread would lose its rows: asking for the next one says so.
  const second = (await chunks.next()).value!;
  await second.batches.next();
  await assert.rejects(() => chunks.next(), /not read to the end/);
});
