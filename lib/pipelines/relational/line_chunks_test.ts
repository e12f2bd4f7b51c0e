import assert from "node:assert/strict";
import { lineChunks } from "./line_chunks.ts";

Deno.test("lineChunks() cuts batches into chunks of at most N rows, each with its last line", async () => {
  const batches = [[[2, "a"], [3, "b"], [5, "c"]], [], [[8, "d"], [9, "e"]]];
  const chunks = [];
  for await (const chunk of lineChunks(batches, 2)) chunks.push(chunk);
  assert.deepEqual(chunks.map((c) => [c.rows, c.lastLine]), [[2, 3], [2, 8], [1, 9]]);
  assert.deepEqual(chunks.flatMap((c) => c.batches.flat().map((row) => row[1])), ["a", "b", "c", "d", "e"]);
  assert.deepEqual(chunks[1].batches, [[[5, "c"]], [[8, "d"]]]);
  const none = [];
  for await (const chunk of lineChunks([[], []], 3)) none.push(chunk);
  assert.equal(none.length, 0);
  await assert.rejects(async () => {
    for await (const _ of lineChunks(batches, 0)) { /* nothing */ }
  }, /positive integer/);
});
