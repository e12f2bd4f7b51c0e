import assert from "node:assert/strict";
import { validateContentJson } from "./validate_content_json.ts";

const movie = (id: string, extra: Record<string, unknown> = {}) => ({
  content_id: id,
  title: `Movie ${id}`,
  genre: ["Drama"],
  rating: 3.5,
  views_count: 10,
  ...extra,
});

Deno.test("validateContentJson() accepts movies and series with their type and views", () => {
  const result = validateContentJson({
    movies: [movie("M1")],
    series: [{ content_id: "S1", title: "Show", genre: "Crime", rating: 4, total_views: 7 }],
  });
  assert.equal(result.documents, 2);
  assert.equal(result.valid, 2);
  assert.equal(result.duplicates, 0);
  assert.deepEqual(result.rejects, []);
  assert.deepEqual(result.byType, { movie: 1, series: 1 });
  assert.deepEqual(result.accepted.map((d) => [d.content_id, d.type, d.views, d.genre]), [
    ["M1", "movie", 10, ["Drama"]],
    ["S1", "series", 7, ["Crime"]],
  ]);
});

Deno.test("validateContentJson() rejects by reason with the document's position and JSON", async (t) => {
  const cases = [
    { doc: movie("M1", { title: undefined }), reason: "missing_field", field: "title", value: null },
    { doc: movie("M1", { rating: 7 }), reason: "bad_rating", field: "rating", value: "7" },
    { doc: movie("M1", { rating: "high" }), reason: "bad_rating", field: "rating", value: "high" },
    { doc: movie("M1", { genre: [] }), reason: "bad_genre", field: "genre", value: "[]" },
    { doc: movie("", {}), reason: "missing_key", field: "content_id", value: "" },
    { doc: ["not", "an", "object"], reason: "malformed", field: null, value: '["not","an","object"]' },
  ];
  for (const { doc, reason, field, value } of cases) {
    await t.step(`${reason} (${JSON.stringify(doc)})`, () => {
      const result = validateContentJson({ movies: [movie("M0"), doc] });
      assert.equal(result.documents, 2);
      assert.equal(result.valid, 1);
      assert.deepEqual(result.rejectedByReason, { [reason]: 1 });
      assert.deepEqual(result.rejects, [{ position: 2, reason, field, value, raw: JSON.stringify(doc) }]);
      assert.deepEqual(result.accepted.map((d) => d.content_id), ["M0"]);
    });
  }
});

Deno.test("validateContentJson() keeps the last document of a repeated content_id", () => {
  const result = validateContentJson({
    movies: [movie("M1", { rating: 1 }), movie("M2"), movie("M1", { rating: 2 })],
    series: [{ content_id: "M1", title: "Now a series", genre: ["Crime"], rating: 3 }],
  });
  assert.equal(result.documents, 4);
  assert.equal(result.valid, 4);
  assert.equal(result.duplicates, 2);
  assert.deepEqual(result.accepted.map((d) => [d.content_id, d.type, d.rating]), [
    ["M1", "series", 3],
    ["M2", "movie", 3.5],
  ]);
  assert.deepEqual(result.byType, { movie: 1, series: 1 });
});

Deno.test("validateContentJson() does not let a rejected document replace an accepted one", () => {
  const result = validateContentJson([movie("M1"), movie("M1", { rating: -1 })]);
  assert.equal(result.duplicates, 0);
  assert.deepEqual(result.accepted.map((d) => d.rating), [3.5]);
  assert.deepEqual(result.rejectedByReason, { bad_rating: 1 });
});

Deno.test("validateContentJson() refuses a root that is neither sections nor an array", () => {
  assert.throws(() => validateContentJson({ films: [] }), TypeError);
  assert.throws(() => validateContentJson("content"), TypeError);
});
