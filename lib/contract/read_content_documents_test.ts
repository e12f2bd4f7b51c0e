import assert from "node:assert/strict";
import { readContentDocuments } from "./read_content_documents.ts";

Deno.test("readContentDocuments() lists movies, then series, with 1-based positions", () => {
  const entries = readContentDocuments({ series: [{ id: "S1" }], movies: [{ id: "M1" }, { id: "M2" }] });
  assert.deepEqual(entries, [
    { doc: { id: "M1" }, type: "movie", position: 1 },
    { doc: { id: "M2" }, type: "movie", position: 2 },
    { doc: { id: "S1" }, type: "series", position: 3 },
  ]);
});

Deno.test("readContentDocuments() accepts one section alone and keeps non-object documents", () => {
  assert.deepEqual(readContentDocuments({ series: [null, 3] }), [
    { doc: null, type: "series", position: 1 },
    { doc: 3, type: "series", position: 2 },
  ]);
  assert.deepEqual(readContentDocuments({ movies: [], series: [] }), []);
});

Deno.test("readContentDocuments() reads a bare array without a type", () => {
  assert.deepEqual(readContentDocuments([{ id: "M1" }, "junk"]), [
    { doc: { id: "M1" }, type: undefined, position: 1 },
    { doc: "junk", type: undefined, position: 2 },
  ]);
});

Deno.test("readContentDocuments() throws TypeError for any other root", async (t) => {
  const cases: [unknown, string][] = [
    [null, "found: null"],
    ["[]", "found: string"],
    [42, "found: number"],
    [{ films: [] }, "found: object"],
    [{ movies: {} }, `"movies" is not an array (found: object)`],
    [{ movies: [], series: "none" }, `"series" is not an array (found: string)`],
  ];
  for (const [json, detail] of cases) {
    await t.step(JSON.stringify(json), () => {
      assert.throws(() => readContentDocuments(json), (error) => {
        assert.ok(error instanceof TypeError);
        assert.ok(error.message.startsWith("Cannot read content documents: "), error.message);
        assert.ok(error.message.includes(detail), error.message);
        return true;
      });
    });
  }
});
