import assert from "node:assert/strict";
import { join } from "node:path";
import type { IndexSpec } from "../types.ts";
import { EmbeddedCollection } from "./embedded_collection.ts";

const DOCS = [
  { id: "a", title: "Alpha", rating: 4 },
  { id: "b", title: "Beta", rating: 3 },
  { id: "c", title: "Gamma", rating: 5 },
];
const KEY = { keyField: "id" };

function inMemory(): EmbeddedCollection {
  return new EmbeddedCollection({ name: "content", file: undefined, assertOpen: () => {} });
}

async function withFolder(fn: (folder: string) => Promise<void>): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "embedded_collection_" });
  try {
    await fn(folder);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("EmbeddedCollection runs operations in the order they were called", async () => {
  const collection = inMemory();
  const [counts, count, found] = await Promise.all([
    collection.bulkUpsert(DOCS, KEY),
    collection.count(),
    collection.find({}, { sort: { rating: -1 }, limit: 1 }),
  ]);
  assert.equal(counts.inserted, 3);
  assert.equal(count, 3);
  assert.deepEqual(found, [DOCS[2]]);
});

Deno.test("EmbeddedCollection returns copies: changing a result changes nothing stored", async () => {
  const collection = inMemory();
  await collection.bulkUpsert(DOCS, KEY);
  const [first] = await collection.find();
  first.title = "Changed";
  const [changed] = await collection.aggregate([{ $set: { title: "Changed too" } }]);
  assert.equal(changed.title, "Changed too");
  assert.deepEqual(await collection.find(), DOCS);
});

Deno.test("EmbeddedCollection finds in insertion order and treats limit 0 as no limit", async () => {
  const collection = inMemory();
  await collection.bulkUpsert([DOCS[2], DOCS[0], DOCS[1]], KEY);
  assert.deepEqual((await collection.find({}, { limit: 0 })).map((doc) => doc.id), ["c", "a", "b"]);
  await assert.rejects(collection.find({}, { skip: -1 }), RangeError);
  await assert.rejects(collection.bulkUpsert(DOCS, { keyField: "id", batchSize: 0 }), RangeError);
  await assert.rejects(collection.bulkUpsert(DOCS, { keyField: "" }), TypeError);
});

Deno.test("EmbeddedCollection stores JSON: a value JSON cannot hold fails its document", async () => {
  const collection = inMemory();
  const counts = await collection.bulkUpsert([{ id: "x", big: 1n }, { id: "y", when: new Date(0) }], KEY);
  assert.deepEqual([counts.inserted, counts.failed], [1, 1]);
  assert.equal(counts.errors[0].key, "x");
  assert.match(counts.errors[0].message, /^Cannot store document as JSON: /);
  assert.deepEqual(await collection.find({ id: "y" }), [{ id: "y", when: "1970-01-01T00:00:00.000Z" }]);
});

Deno.test("EmbeddedCollection names the collection when mingo refuses a query or pipeline", async () => {
  const collection = inMemory();
  await assert.rejects(collection.find({ rating: { $bogus: 1 } }), { message: /^Cannot query "content": / });
  await assert.rejects(collection.aggregate([{ $bogus: {} }]), { message: /^Cannot aggregate "content": / });
});

Deno.test("EmbeddedCollection refuses an index that clashes with one it has", async (t) => {
  const collection = inMemory();
  await collection.bulkUpsert([...DOCS, { id: "d", title: "Alpha", rating: 1 }], KEY);
  await collection.createIndexes([{ key: { rating: -1 } }]);
  const cases: { name: string; spec: IndexSpec; message: RegExp }[] = [
    {
      name: "same name, another key",
      spec: { name: "rating_-1", key: { rating: 1 } },
      message: /another key/,
    },
    {
      name: "same key, another name",
      spec: { name: "by_rating", key: { rating: -1 } },
      message: /the same key/,
    },
    {
      name: "unique over duplicates",
      spec: { key: { title: 1 }, unique: true },
      message: /^Cannot create unique index "title_1" on "content": duplicate key \{"title":"Alpha"\}$/,
    },
  ];
  for (const { name, spec, message } of cases) {
    await t.step(name, () => assert.rejects(collection.createIndexes([spec]), { message }));
  }
  await assert.rejects(collection.createIndexes([{ key: { rating: 2 as 1 } }]), TypeError);
  assert.deepEqual(await collection.listIndexes(), [{
    name: "rating_-1",
    key: { rating: -1 },
    unique: false,
  }]);
});

Deno.test("EmbeddedCollection writes its file only when something changed", async () => {
  await withFolder(async (folder) => {
    const file = join(folder, "content.json");
    const collection = new EmbeddedCollection({ name: "content", file, assertOpen: () => {} });
    await collection.bulkUpsert(DOCS, KEY);
    const written = await Deno.stat(file);
    assert.equal((await collection.bulkUpsert(DOCS, KEY)).unchanged, 3);
    assert.equal(await collection.deleteMissing("id", ["a", "b", "c"]), 0);
    const after = await Deno.stat(file);
    assert.deepEqual([after.ino, after.mtime], [written.ino, written.mtime], "the file was not replaced");
  });
});

Deno.test("EmbeddedCollection sees what another instance wrote to its file", async () => {
  await withFolder(async (folder) => {
    const file = join(folder, "content.json");
    // As the server and a run in a worker (or deno task etl in a terminal) both open the state folder.
    const reader = new EmbeddedCollection({ name: "content", file, assertOpen: () => {} });
    const writer = new EmbeddedCollection({ name: "content", file, assertOpen: () => {} });
    assert.equal(await reader.count(), 0);
    await writer.bulkUpsert(DOCS, KEY);
    assert.equal(await reader.count(), 3);
    await writer.deleteMissing("id", ["a"]);
    assert.deepEqual(await reader.find({}, { projection: { id: 1 } }), [{ id: "a" }]);
    await reader.bulkUpsert([{ id: "z", title: "Zeta", rating: 1 }], KEY);
    assert.equal(await writer.count(), 2, "and the other way round");
    await Deno.remove(file);
    assert.equal(await reader.count(), 0, "a removed file is an empty collection");
  });
});

Deno.test("EmbeddedCollection forgets a change it could not write and rereads the file", async () => {
  await withFolder(async (folder) => {
    const file = join(folder, "content", "content.json");
    await Deno.mkdir(join(folder, "content"));
    const collection = new EmbeddedCollection({ name: "content", file, assertOpen: () => {} });
    await collection.bulkUpsert(DOCS.slice(0, 1), KEY);
    await Deno.remove(join(folder, "content"), { recursive: true });
    await assert.rejects(collection.bulkUpsert(DOCS, KEY), { message: /^Cannot write collection file / });
    assert.equal(await collection.count(), 0, "read back from the (now missing) file");
  });
});

Deno.test("EmbeddedCollection loads 200,000 documents in one write, and deleteMissing is not quadratic (embedded store reproduction)", async () => {
  await withFolder(async (folder) => {
    const file = join(folder, "content.json");
    const collection = new EmbeddedCollection({ name: "content", file, assertOpen: () => {} });
    const docs = Array.from(
      { length: 200_000 },
      (_, i) => ({ id: `C${i}`, title: `Title ${i}`, genre: ["Drama"] }),
    );
    const done: number[] = [];
    const t0 = performance.now();
    const counts = await collection.bulkUpsert(docs, {
      keyField: "id",
      batchSize: 100,
      onBatch: (n) => done.push(n),
    });
    assert.equal(counts.inserted, 200_000);
    assert.deepEqual(done, [200_000], "one call, one write of the file");
    const keep = docs.slice(0, 150_000).map((d) => d.id);
    assert.equal(await collection.deleteMissing("id", keep), 50_000);
    const seconds = (performance.now() - t0) / 1000;
    // A write per batch of 100 or a $nin scan per document took minutes at this size.
    assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
    const reopened = new EmbeddedCollection({ name: "content", file, assertOpen: () => {} });
    assert.equal(await reopened.count(), 150_000);
    assert.deepEqual(await reopened.find({ id: "C149999" }), [{
      id: "C149999",
      title: "Title 149999",
      genre: ["Drama"],
    }]);
  });
});
