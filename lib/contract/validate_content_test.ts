import assert from "node:assert/strict";
import { ContentDocumentSchema } from "./record_schemas.ts";
import type { ContentDocument, Reject } from "./types.ts";
import { type ContentType, validateContent } from "./validate_content.ts";

const MOVIE = {
  content_id: "M001",
  title: "Advanced World",
  genre: ["Sci-Fi", "Horror"],
  duration_minutes: 179,
  release_year: 2020,
  rating: 3.5,
  views_count: 66721,
  production_budget: 220088717,
};

const SERIES = {
  content_id: "S001",
  title: "The Investigators",
  genre: ["Crime"],
  seasons: 2,
  episodes_per_season: [8, 14],
  rating: 1.3,
  total_views: 50315,
};

function accepted(doc: unknown, type?: ContentType): ContentDocument {
  const result = validateContent(doc, type);
  assert.ok(result.ok, `expected an accepted document, got ${JSON.stringify(result)}`);
  assert.deepEqual(result.coerced, []);
  ContentDocumentSchema.parse(result.record);
  return result.record;
}

function rejected(doc: unknown): Reject {
  const result = validateContent(doc, "movie");
  assert.ok(!result.ok, `expected a reject, got ${JSON.stringify(result)}`);
  return result.reject;
}

Deno.test("validateContent() keeps every source field and adds type and views", () => {
  assert.deepEqual(accepted(MOVIE, "movie"), { ...MOVIE, type: "movie", views: 66721 });
  assert.deepEqual(accepted(SERIES, "series"), { ...SERIES, type: "series", views: 50315 });
});

Deno.test("validateContent() does not change its input", () => {
  const doc = structuredClone({ ...MOVIE, genre: "Drama" });
  accepted(doc, "movie");
  assert.deepEqual(doc, { ...MOVIE, genre: "Drama" });
});

Deno.test("validateContent() normalises the required fields", async (t) => {
  const cases: [string, Record<string, unknown>, Partial<ContentDocument>][] = [
    ["numeric content_id becomes text", { content_id: 42 }, { content_id: "42" }],
    ["content_id is cleaned", { content_id: "  M 001 " }, { content_id: "M 001" }],
    ["title is cleaned", { title: "  Lost   Data " }, { title: "Lost Data" }],
    ["a single genre becomes a list", { genre: "Drama" }, { genre: ["Drama"] }],
    ["genres are cleaned", { genre: [" Sci-Fi ", "Film  Noir"] }, { genre: ["Sci-Fi", "Film Noir"] }],
    ["numeric string rating", { rating: " 4.5 " }, { rating: 4.5 }],
    ["rating 0", { rating: 0 }, { rating: 0 }],
    ["rating 5", { rating: 5 }, { rating: 5 }],
  ];
  for (const [name, changes, expected] of cases) {
    await t.step(name, () => {
      const record = accepted({ ...MOVIE, ...changes }, "movie");
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(record[field], value);
    });
  }
});

Deno.test("validateContent() rejects documents that break section 6", async (t) => {
  const cases: [string, unknown, Reject][] = [
    ["null", null, { reason: "malformed", field: null, value: null }],
    ["a string", "M001", { reason: "malformed", field: null, value: "M001" }],
    ["a number", 7, { reason: "malformed", field: null, value: "7" }],
    ["an array", [MOVIE.content_id], { reason: "malformed", field: null, value: '["M001"]' }],
    ["no content_id", { ...MOVIE, content_id: undefined }, {
      reason: "missing_key",
      field: "content_id",
      value: null,
    }],
    ["empty content_id", { ...MOVIE, content_id: " " }, {
      reason: "missing_key",
      field: "content_id",
      value: " ",
    }],
    ["boolean content_id", { ...MOVIE, content_id: true }, {
      reason: "missing_key",
      field: "content_id",
      value: "true",
    }],
    ["non-finite content_id", { ...MOVIE, content_id: NaN }, {
      reason: "missing_key",
      field: "content_id",
      value: "null",
    }],
    ["no title", { ...MOVIE, title: undefined }, { reason: "missing_field", field: "title", value: null }],
    ["null title", { ...MOVIE, title: null }, { reason: "missing_field", field: "title", value: null }],
    ["empty title", { ...MOVIE, title: "  " }, { reason: "missing_field", field: "title", value: "  " }],
    ["numeric title", { ...MOVIE, title: 1984 }, { reason: "missing_field", field: "title", value: "1984" }],
    ["no genre", { ...MOVIE, genre: undefined }, { reason: "bad_genre", field: "genre", value: null }],
    ["empty genre list", { ...MOVIE, genre: [] }, { reason: "bad_genre", field: "genre", value: "[]" }],
    ["empty genre text", { ...MOVIE, genre: " " }, { reason: "bad_genre", field: "genre", value: " " }],
    ["empty genre item", { ...MOVIE, genre: ["Drama", ""] }, {
      reason: "bad_genre",
      field: "genre",
      value: '["Drama",""]',
    }],
    ["numeric genre item", { ...MOVIE, genre: ["Drama", 3] }, {
      reason: "bad_genre",
      field: "genre",
      value: '["Drama",3]',
    }],
    ["genre object", { ...MOVIE, genre: { name: "Drama" } }, {
      reason: "bad_genre",
      field: "genre",
      value: '{"name":"Drama"}',
    }],
    ["no rating", { ...MOVIE, rating: undefined }, { reason: "bad_rating", field: "rating", value: null }],
    ["rating above 5", { ...MOVIE, rating: 5.1 }, { reason: "bad_rating", field: "rating", value: "5.1" }],
    ["negative rating", { ...MOVIE, rating: -1 }, { reason: "bad_rating", field: "rating", value: "-1" }],
    ["text rating", { ...MOVIE, rating: "good" }, { reason: "bad_rating", field: "rating", value: "good" }],
    ["string rating out of range", { ...MOVIE, rating: "7" }, {
      reason: "bad_rating",
      field: "rating",
      value: "7",
    }],
    ["boolean rating", { ...MOVIE, rating: true }, { reason: "bad_rating", field: "rating", value: "true" }],
  ];
  for (const [name, doc, expected] of cases) {
    await t.step(name, () => assert.deepEqual(rejected(doc), expected));
  }
  await t.step("the first failing field is the reason", () => {
    assert.equal(rejected({ content_id: "", title: "", genre: [], rating: 9 }).reason, "missing_key");
    assert.equal(rejected({ content_id: "X", title: "", genre: [], rating: 9 }).reason, "missing_field");
    assert.equal(rejected({ content_id: "X", title: "T", genre: [], rating: 9 }).reason, "bad_genre");
  });
});

Deno.test("validateContent() takes views from the field of the document's type", async (t) => {
  const cases: [string, Record<string, unknown>, ContentType, number | null][] = [
    ["movie views_count", { views_count: 12 }, "movie", 12],
    ["series total_views", { total_views: 34 }, "series", 34],
    ["a movie ignores total_views", { total_views: 34 }, "movie", null],
    ["a series ignores views_count", { views_count: 12 }, "series", null],
    ["absent", {}, "movie", null],
    ["not a number", { views_count: "12" }, "movie", null],
  ];
  const { views_count: _, ...base } = MOVIE;
  for (const [name, fields, type, expected] of cases) {
    await t.step(name, () => assert.equal(accepted({ ...base, ...fields }, type).views, expected));
  }
});

Deno.test("validateContent() infers the type of a document from a bare array", async (t) => {
  const { total_views: _, ...seriesWithoutViews } = SERIES;
  const cases: [string, Record<string, unknown>, ContentType, number | null][] = [
    ["own type movie", { ...SERIES, type: "movie", views_count: 5 }, "movie", 5],
    ["own type series", { ...MOVIE, type: "series" }, "series", null],
    ["seasons make a series", seriesWithoutViews, "series", null],
    ["total_views makes a series", { ...MOVIE, total_views: 8 }, "series", 8],
    ["otherwise a movie", MOVIE, "movie", 66721],
    ["an unknown own type is ignored", { ...SERIES, type: "show" }, "series", 50315],
  ];
  for (const [name, doc, type, views] of cases) {
    await t.step(name, () => {
      const record = accepted(doc);
      assert.equal(record.type, type);
      assert.equal(record.views, views);
    });
  }
  await t.step("the section wins over the document's own type", () => {
    assert.equal(accepted({ ...MOVIE, type: "series" }, "movie").type, "movie");
  });
});

Deno.test("validateContent() rejects what a document store cannot hold, the same for every store (content reproduction)", () => {
  const base = { content_id: "M1", title: "T", genre: ["Drama"], rating: 4 };
  let deep: Record<string, unknown> = {};
  const root = deep;
  for (let i = 0; i < 10_000; i++) {
    const next = {};
    deep.x = next;
    deep = next;
  }
  const cases: [string, unknown, string, string | null][] = [
    ["a $-prefixed key", { ...base, meta: { $where: "1" } }, "bad_key", "meta.$where"],
    ["a dotted key", { ...base, "a.b": 1 }, "bad_key", "a.b"],
    ["an _id from the file", { ...base, _id: "x" }, "supplied_id", "_id"],
    ["10,000 levels of nesting", { ...base, nested: root }, "too_deep", "nested"],
    ["over 16 MiB", { ...base, blob: "x".repeat(17 * 1024 * 1024) }, "too_large", null],
  ];
  for (const [name, doc, reason, field] of cases) {
    const result = validateContent(doc, "movie");
    assert.equal(result.ok, false, name);
    if (result.ok) continue;
    assert.equal(result.reject.reason, reason, name);
    if (field !== null) assert.equal(result.reject.field, field, name);
  }
  const fine = validateContent({ ...base, nested: { a: [{ b: 1 }] } }, "movie");
  assert.equal(fine.ok, true);
});
