/**
 * One contract, every document store: the embedded store (always), FerretDB (required in CI) and a real
 * MongoDB (when `TEST_MONGODB_URL` is set) must give equal results for the same calls and pipeline literals.
 * Cases FerretDB 1.24 cannot run are skipped there, named with the reason, and still run elsewhere.
 */
import assert from "node:assert/strict";
import { MongoClient } from "mongodb";
import {
  type Doc,
  type DocCollection,
  type DocStore,
  openDocStore,
  type ServerInfo,
} from "../lib/docstore/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

const CONTENT: readonly Doc[] = [
  {
    content_id: "c1",
    title: "Alpha",
    type: "movie",
    genre: ["Drama", "Action"],
    rating: 4.5,
    release_year: 2020,
    views: 100,
  },
  {
    content_id: "c2",
    title: "Beta",
    type: "series",
    genre: ["Comedy"],
    rating: 3,
    release_year: 2018,
    views: 250,
  },
  {
    content_id: "c3",
    title: "Gamma",
    type: "movie",
    genre: ["Drama", "Comedy"],
    rating: 4,
    release_year: 2021,
    views: 50,
  },
  {
    content_id: "c4",
    title: "Delta",
    type: "series",
    genre: ["Action", "Comedy"],
    rating: 2.5,
    release_year: 2019,
    views: 300,
  },
  { content_id: "c5", title: "Epsilon", type: "movie", genre: [], rating: 5, release_year: 2022, views: 10 },
];

/** The content indexes of the data contract (section 6). */
const CONTENT_INDEXES = [
  { key: { content_id: 1 }, unique: true },
  { key: { genre: 1 } },
  { key: { release_year: -1 } },
  { key: { rating: -1 } },
  { key: { type: 1 } },
] as const;

const KEY = { keyField: "content_id" };

interface ContractCase {
  name: string;
  /** Why FerretDB 1.24 cannot run the case (it is skipped there, and runs on the other stores). */
  ferretdbLacks?: string;
  run(collection: DocCollection): Promise<void>;
}

/** A collection holding CONTENT, with the contract's indexes. */
async function seeded(collection: DocCollection): Promise<DocCollection> {
  await collection.createIndexes(CONTENT_INDEXES);
  const counts = await collection.bulkUpsert(CONTENT, KEY);
  assert.equal(counts.inserted, CONTENT.length);
  return collection;
}

const CASES: ContractCase[] = [
  {
    name: "bulkUpsert() counts inserted, unchanged and updated documents",
    async run(collection) {
      await collection.createIndexes([{ key: { content_id: 1 }, unique: true }]);
      assert.deepEqual(await collection.bulkUpsert(CONTENT, KEY), {
        inserted: 5,
        updated: 0,
        unchanged: 0,
        failed: 0,
        errors: [],
      });
      assert.deepEqual(await collection.bulkUpsert(CONTENT, KEY), {
        inserted: 0,
        updated: 0,
        unchanged: 5,
        failed: 0,
        errors: [],
      });
      const changed = CONTENT.map((doc) => doc.content_id === "c2" ? { ...doc, views: 251 } : doc);
      assert.deepEqual(await collection.bulkUpsert(changed, KEY), {
        inserted: 0,
        updated: 1,
        unchanged: 4,
        failed: 0,
        errors: [],
      });
      assert.deepEqual(await collection.find({ content_id: "c2" }), [{ ...CONTENT[1], views: 251 }]);
      assert.equal(await collection.count(), 5);
    },
  },
  {
    name: "bulkUpsert() replaces the whole document, in batches",
    async run(collection) {
      const counts = await collection.bulkUpsert(CONTENT, { keyField: "content_id", batchSize: 2 });
      assert.equal(counts.inserted, 5);
      const replacement = { content_id: "c1", title: "Alpha (restored)", genre: ["Drama"], rating: 4.6 };
      const again = await collection.bulkUpsert([replacement, ...CONTENT.slice(1)], { ...KEY, batchSize: 2 });
      assert.deepEqual([again.updated, again.unchanged], [1, 4]);
      assert.deepEqual(await collection.find({ content_id: "c1" }), [replacement]);
    },
  },
  {
    name: "bulkUpsert() is unordered: a failing document does not stop the others",
    async run(collection) {
      await seeded(collection);
      await collection.createIndexes([{ key: { title: 1 }, unique: true }]);
      const counts = await collection.bulkUpsert([
        { content_id: "c6", title: "Zeta", genre: ["Drama"], rating: 3 },
        { content_id: "c7", title: "Alpha", genre: ["Drama"], rating: 3 },
        { title: "No key", genre: [], rating: 1 },
        { content_id: "c8", title: "Eta", genre: ["Drama"], rating: 3 },
        { ...CONTENT[1], views: 999 },
      ], KEY);
      assert.deepEqual([counts.inserted, counts.updated, counts.unchanged, counts.failed], [2, 1, 0, 2]);
      assert.deepEqual(counts.errors.map((error) => error.key).sort(), ["c7", null]);
      const duplicate = counts.errors.find((error) => error.key === "c7");
      assert.match(duplicate?.message ?? "", /duplicate key|UNIQUE constraint/i);
      const missing = counts.errors.find((error) => error.key === null);
      assert.equal(missing?.message, 'Document has no "content_id"');
      assert.deepEqual(
        await collection.find({}, { sort: { content_id: 1 }, projection: { content_id: 1 } }),
        [
          { content_id: "c1" },
          { content_id: "c2" },
          { content_id: "c3" },
          { content_id: "c4" },
          { content_id: "c5" },
          { content_id: "c6" },
          { content_id: "c8" },
        ],
      );
      assert.equal((await collection.find({ content_id: "c2" }))[0].views, 999);
    },
  },
  {
    name: "bulkUpsert() ignores an _id in the given documents",
    async run(collection) {
      const counts = await collection.bulkUpsert([{ _id: "mine", ...CONTENT[0] }], KEY);
      assert.equal(counts.inserted, 1);
      assert.deepEqual(await collection.find(), [CONTENT[0]]);
      const again = await collection.bulkUpsert([{ _id: "other", ...CONTENT[0] }], KEY);
      assert.equal(again.unchanged, 1);
    },
  },
  {
    name: "purge() deletes every document and keeps the indexes",
    async run(collection) {
      await seeded(collection);
      assert.equal(await collection.purge(), 5);
      assert.equal(await collection.count(), 0);
      assert.equal((await collection.listIndexes()).length, CONTENT_INDEXES.length);
      assert.equal(await collection.purge(), 0);
    },
  },
  {
    name: "deleteMissing() deletes the documents whose key is not listed",
    async run(collection) {
      await seeded(collection);
      assert.equal(await collection.deleteMissing("content_id", ["c1", "c3", "c9"]), 3);
      assert.deepEqual(
        await collection.find({}, { sort: { content_id: 1 }, projection: { content_id: 1 } }),
        [
          { content_id: "c1" },
          { content_id: "c3" },
        ],
      );
      assert.equal(await collection.deleteMissing("content_id", ["c1", "c3"]), 0);
    },
  },
  {
    name: "createIndexes() is idempotent and listIndexes() returns every index by name",
    async run(collection) {
      const names = await collection.createIndexes(CONTENT_INDEXES);
      assert.deepEqual(names, ["content_id_1", "genre_1", "release_year_-1", "rating_-1", "type_1"]);
      assert.deepEqual(await collection.createIndexes(CONTENT_INDEXES), names);
      assert.deepEqual(
        await collection.createIndexes([{ name: "by_title", key: { title: 1, rating: -1 } }]),
        [
          "by_title",
        ],
      );
      assert.deepEqual(await collection.listIndexes(), [
        { name: "by_title", key: { title: 1, rating: -1 }, unique: false },
        { name: "content_id_1", key: { content_id: 1 }, unique: true },
        { name: "genre_1", key: { genre: 1 }, unique: false },
        { name: "rating_-1", key: { rating: -1 }, unique: false },
        { name: "release_year_-1", key: { release_year: -1 }, unique: false },
        { name: "type_1", key: { type: 1 }, unique: false },
      ]);
    },
  },
  {
    name: "listIndexes() of a collection never written is empty",
    async run(collection) {
      assert.deepEqual(await collection.listIndexes(), []);
      assert.equal(await collection.count(), 0);
      assert.deepEqual(await collection.find(), []);
    },
  },
  {
    name: "a unique index refuses documents and data that would duplicate a key",
    async run(collection) {
      await seeded(collection);
      await assert.rejects(
        collection.createIndexes([{ key: { type: 1 }, name: "type_unique", unique: true }]),
      );
      await collection.createIndexes([{ key: { title: 1 }, unique: true }]);
      const counts = await collection.bulkUpsert([{ ...CONTENT[1], title: "Gamma" }], KEY);
      assert.deepEqual([counts.updated, counts.failed], [0, 1]);
      assert.equal((await collection.find({ content_id: "c2" }))[0].title, "Beta");
    },
  },
  {
    name: "find() filters, sorts, skips, limits and projects",
    async run(collection) {
      await seeded(collection);
      assert.deepEqual(
        await collection.find({ type: "movie" }, {
          sort: { rating: -1 },
          projection: { title: 1, rating: 1 },
        }),
        [{ title: "Epsilon", rating: 5 }, { title: "Alpha", rating: 4.5 }, { title: "Gamma", rating: 4 }],
      );
      assert.deepEqual(
        await collection.find({ genre: "Comedy" }, { sort: { release_year: 1 }, skip: 1, limit: 1 }),
        [CONTENT[3]],
      );
      assert.deepEqual(
        await collection.find({ rating: { $gte: 4 }, genre: { $in: ["Drama"] } }, {
          sort: { content_id: 1 },
          projection: { genre: 0, release_year: 0, views: 0 },
        }),
        [
          { content_id: "c1", title: "Alpha", type: "movie", rating: 4.5 },
          { content_id: "c3", title: "Gamma", type: "movie", rating: 4 },
        ],
      );
      assert.deepEqual(await collection.find({ title: "Nobody" }), []);
    },
  },
  {
    name: "count() counts the documents that match",
    async run(collection) {
      await seeded(collection);
      assert.equal(await collection.count(), 5);
      assert.equal(await collection.count({ type: "series" }), 2);
      assert.equal(await collection.count({ views: { $gt: 60, $lte: 250 } }), 2);
    },
  },
  {
    name: "documents returned never include _id",
    async run(collection) {
      await seeded(collection);
      const found = await collection.find({}, { sort: { content_id: 1 } });
      assert.deepEqual(found, [...CONTENT]);
      const passedThrough = await collection.aggregate([{ $match: { type: "movie" } }, {
        $sort: { content_id: 1 },
      }]);
      assert.deepEqual(passedThrough, CONTENT.filter((doc) => doc.type === "movie"));
      assert.ok([...found, ...passedThrough].every((doc) => !("_id" in doc)));
    },
  },
  {
    name: "aggregate() runs $match, $group with $sum of a field, $sort and $project",
    async run(collection) {
      await seeded(collection);
      const result = await collection.aggregate([
        { $match: { rating: { $gte: 3 } } },
        { $group: { _id: "$type", views: { $sum: "$views" } } },
        { $sort: { views: -1 } },
        { $project: { views: 1 } },
      ]);
      assert.deepEqual(result, [{ _id: "series", views: 250 }, { _id: "movie", views: 160 }]);
    },
  },
  {
    name: "aggregate() runs $unwind, then $group counting with $sum: 1",
    async run(collection) {
      await seeded(collection);
      const result = await collection.aggregate([
        { $match: { type: { $in: ["movie", "series"] } } },
        { $unwind: "$genre" },
        { $group: { _id: "$genre", titles: { $sum: 1 } } },
        { $sort: { titles: -1, _id: 1 } },
      ]);
      assert.deepEqual(result, [
        { _id: "Comedy", titles: 3 },
        { _id: "Action", titles: 2 },
        { _id: "Drama", titles: 2 },
      ]);
    },
  },
  {
    name: "aggregate() runs $count",
    async run(collection) {
      await seeded(collection);
      assert.deepEqual(await collection.aggregate([{ $match: { type: "movie" } }, { $count: "movies" }]), [
        { movies: 3 },
      ]);
    },
  },
  {
    name: "aggregate() keeps every field through $unwind",
    ferretdbLacks: "its $unwind drops every field but _id and the unwound one",
    async run(collection) {
      await seeded(collection);
      const result = await collection.aggregate([
        { $unwind: "$genre" },
        { $group: { _id: "$genre", views: { $sum: "$views" } } },
        { $sort: { _id: 1 } },
      ]);
      assert.deepEqual(result, [
        { _id: "Action", views: 400 },
        { _id: "Comedy", views: 600 },
        { _id: "Drama", views: 150 },
      ]);
    },
  },
  {
    name: "aggregate() computes several accumulators in one $group",
    ferretdbLacks: "accumulators after the first in a $group return 0",
    async run(collection) {
      await seeded(collection);
      const result = await collection.aggregate([
        { $group: { _id: "$type", titles: { $sum: 1 }, views: { $sum: "$views" } } },
        { $sort: { _id: 1 } },
      ]);
      assert.deepEqual(result, [{ _id: "movie", titles: 3, views: 160 }, {
        _id: "series",
        titles: 2,
        views: 550,
      }]);
    },
  },
  {
    name: "$avg in $group, on numbers and on strings",
    ferretdbLacks: "not implemented",
    async run(collection) {
      await seeded(collection);
      const result = await collection.aggregate([
        { $group: { _id: "$type", rating: { $avg: "$rating" } } },
        { $sort: { _id: 1 } },
      ]);
      assert.equal(result.length, 2);
      assert.ok(Math.abs((result[0].rating as number) - 4.5) < 1e-9, `movie average ${result[0].rating}`);
      assert.ok(Math.abs((result[1].rating as number) - 2.75) < 1e-9, `series average ${result[1].rating}`);
      // Like MongoDB, $avg skips what is not a number: an average of strings only is null.
      assert.deepEqual(await collection.aggregate([{ $group: { _id: null, title: { $avg: "$title" } } }]), [
        { _id: null, title: null },
      ]);
    },
  },
  {
    name: "$min and $max in $group, on numbers and on strings",
    ferretdbLacks: "not implemented",
    async run(collection) {
      await seeded(collection);
      const numbers = await collection.aggregate([
        { $group: { _id: "$type", oldest: { $min: "$release_year" } } },
        { $sort: { _id: 1 } },
      ]);
      assert.deepEqual(numbers, [{ _id: "movie", oldest: 2020 }, { _id: "series", oldest: 2018 }]);
      const strings = await collection.aggregate([
        { $group: { _id: "$type", last: { $max: "$title" } } },
        { $sort: { _id: 1 } },
      ]);
      assert.deepEqual(strings, [{ _id: "movie", last: "Gamma" }, { _id: "series", last: "Delta" }]);
      const [range] = await collection.aggregate([
        { $group: { _id: null, first: { $min: "$title" }, top: { $max: "$rating" } } },
      ]);
      assert.deepEqual(range, { _id: null, first: "Alpha", top: 5 });
    },
  },
  {
    name: "$project computes a field from a path",
    ferretdbLacks: 'it returns the path text, e.g. "$title", instead of the value',
    async run(collection) {
      await seeded(collection);
      const result = await collection.aggregate([
        { $match: { content_id: "c2" } },
        { $project: { _id: 0, name: "$title", year: "$release_year" } },
      ]);
      assert.deepEqual(result, [{ name: "Beta", year: 2018 }]);
    },
  },
];

/** Runs every case as a step, each on a collection of its own; FerretDB skips the cases it cannot run. */
async function runContract(store: DocStore, t: Deno.TestContext): Promise<ServerInfo> {
  const info = await store.serverInfo();
  for (const [i, contractCase] of CASES.entries()) {
    const collection = store.collection(`contract_${i}`);
    if (info.ferretdb && contractCase.ferretdbLacks) {
      const name =
        `${contractCase.name} (skipped on FerretDB ${info.version}: ${contractCase.ferretdbLacks})`;
      console.info(`docstore contract: ${name}`);
      await t.step({ name, ignore: true, fn: () => {} });
      continue;
    }
    await t.step(contractCase.name, () => contractCase.run(collection));
  }
  return info;
}

/** Drops the test database with the driver itself, so each run starts clean whatever the last one left. */
async function dropDatabase(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

Deno.test("docstore contract: embedded store", async (t) => {
  const folder = await Deno.makeTempDir({ prefix: "docstore_contract_" });
  try {
    await using store = await openDocStore(`embedded:${folder}`);
    assert.equal(store.kind, "embedded");
    const info = await runContract(store, t);
    assert.deepEqual([info.kind, info.ferretdb], ["embedded", false]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

for (const kind of ["ferretdb", "mongodb"] as const) {
  integrationTest(
    kind,
    `docstore contract: ${kind === "ferretdb" ? "FerretDB" : "MongoDB"}`,
    async (serverUrl, t) => {
      const url = uniqueDatabaseUrl(serverUrl, "docstore_contract");
      await dropDatabase(url);
      try {
        await using store = await openDocStore(url);
        assert.equal(store.kind, "mongodb");
        assert.doesNotMatch(store.label, /@/);
        const info = await runContract(store, t);
        assert.equal(info.ferretdb, kind === "ferretdb");
      } finally {
        await dropDatabase(url);
      }
    },
  );
}

Deno.test("embedded store keeps documents and indexes across reopen", async () => {
  const folder = await Deno.makeTempDir({ prefix: "docstore_reopen_" });
  try {
    {
      await using store = await openDocStore(`embedded:${folder}`);
      const content = await seeded(store.collection("content"));
      await content.createIndexes([{ key: { title: 1 }, unique: true }]);
    }
    await using reopened = await openDocStore(`embedded:${folder}`);
    const content = reopened.collection("content");
    assert.deepEqual(await content.find(), [...CONTENT]);
    assert.deepEqual((await content.listIndexes()).map((index) => index.name), [
      "content_id_1",
      "genre_1",
      "rating_-1",
      "release_year_-1",
      "title_1",
      "type_1",
    ]);
    const counts = await content.bulkUpsert(
      [{ content_id: "c9", title: "Alpha", genre: [], rating: 1 }],
      KEY,
    );
    assert.deepEqual([counts.inserted, counts.failed], [0, 1], "the unique title index still holds");
    assert.deepEqual([...Deno.readDirSync(folder)].map((entry) => entry.name), ["content.json"]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("openDocStore() rejects a bad URL with a TypeError", async (t) => {
  const cases: [url: string, message: RegExp][] = [
    [
      "postgres://127.0.0.1/db",
      /^Cannot open document store "postgres:\/\/127\.0\.0\.1\/db": the URL must start with/,
    ],
    ["", /^Cannot open document store "": the URL must start with/],
    [
      "mongodb://127.0.0.1:27017",
      /the URL names no database \(e\.g\. "mongodb:\/\/127\.0\.0\.1:27017\/workbench"\)$/,
    ],
    [
      "mongodb://user:secret@127.0.0.1:27017/",
      /^Cannot open document store "mongodb:\/\/user:\*\*\*@127\.0\.0\.1:27017\/"/,
    ],
    ["mongodb://127.0.0.1:27017/bad.name", /database "bad\.name" contains one of/],
    ["mongodb:///workbench", /expected mongodb:\/\/\[user:password@\]host\[:port\]\/database$/],
  ];
  for (const [url, message] of cases) {
    await t.step(JSON.stringify(url), async () => {
      await assert.rejects(openDocStore(url), (error: Error) => {
        assert.ok(error instanceof TypeError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /secret/);
        return true;
      });
    });
  }
});

Deno.test("openDocStore() says in one sentence that no MongoDB answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const started = performance.now();
  await assert.rejects(
    openDocStore(`mongodb://127.0.0.1:${port}/workbench`, { serverSelectionTimeoutMs: 500 }),
    (error: Error) => {
      assert.match(
        error.message,
        new RegExp(`^Cannot connect to MongoDB at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
      );
      assert.ok(error.cause instanceof Error);
      return true;
    },
  );
  assert.ok(performance.now() - started < 5000, "gives up after the server selection timeout");
});

Deno.test("a closed embedded store refuses further use", async () => {
  const store = await openDocStore("embedded::memory:");
  const content = store.collection("content");
  await content.bulkUpsert(CONTENT, KEY);
  await store.close();
  await assert.rejects(content.count(), {
    message: 'Cannot use document store "embedded::memory:": it is closed',
  });
  assert.throws(() => store.collection("content"), { message: /it is closed/ });
});
