import assert from "node:assert/strict";
import { UniqueIndex } from "./unique_index.ts";

const byTitle = { name: "title_1", key: { title: 1 as const }, unique: true };

Deno.test("UniqueIndex refuses a key another document holds", () => {
  const alpha = { id: 1, title: "Alpha" };
  const index = new UniqueIndex(byTitle, [alpha]);
  assert.equal(index.conflict({ id: 2, title: "Alpha" }), '{"title":"Alpha"}');
  assert.equal(index.conflict({ id: 2, title: "Beta" }), undefined);
  assert.equal(index.conflict({ id: 1, title: "Alpha" }, alpha), undefined, "the document it replaces");
  index.remove(alpha);
  assert.equal(index.conflict({ id: 2, title: "Alpha" }), undefined);
});

Deno.test("UniqueIndex treats a missing field as null, like MongoDB", () => {
  const index = new UniqueIndex(byTitle, [{ id: 1 }]);
  assert.equal(index.conflict({ id: 2 }), '{"title":null}');
  assert.equal(index.conflict({ id: 2, title: null }), '{"title":null}');
});

Deno.test("UniqueIndex holds one key per array element", () => {
  const spec = { name: "tags_1", key: { tags: 1 as const }, unique: true };
  const index = new UniqueIndex(spec, [{ tags: ["a", "b"] }]);
  assert.equal(index.conflict({ tags: ["c", "b"] }), '{"tags":"b"}');
  assert.equal(index.conflict({ tags: ["c", "c"] }), undefined);
  assert.equal(index.conflict({ tags: "a" }), '{"tags":"a"}');
});

Deno.test("UniqueIndex compares compound keys and dotted paths as a whole", () => {
  const spec = { name: "pair", key: { "meta.year": 1 as const, title: -1 as const }, unique: true };
  const index = new UniqueIndex(spec, [{ meta: { year: 2020 }, title: "A" }]);
  assert.equal(index.conflict({ meta: { year: 2020 }, title: "B" }), undefined);
  assert.equal(index.conflict({ meta: { year: 2020 }, title: "A" }), '{"meta.year":2020,"title":"A"}');
});

Deno.test("UniqueIndex.findDuplicate() names the first key two documents share", () => {
  assert.equal(UniqueIndex.findDuplicate(byTitle, [{ title: "A" }, { title: "B" }]), undefined);
  assert.equal(
    UniqueIndex.findDuplicate(byTitle, [{ title: "A" }, { title: "B" }, { title: "A" }]),
    '{"title":"A"}',
  );
});
