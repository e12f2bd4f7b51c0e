import assert from "node:assert/strict";
import {
  type BulkWriteResult,
  MongoBulkWriteError,
  MongoServerError,
  ObjectId,
  type WriteError,
} from "mongodb";
import type { Doc } from "../types.ts";
import { MongoCollection, type MongoCollectionDriver } from "./mongo_collection.ts";

type Filter = Record<string, unknown>;
type Counts = Partial<Record<"insertedCount" | "upsertedCount" | "matchedCount" | "modifiedCount", number>>;
type BulkOperation =
  | { insertOne: { document: Doc } }
  | { replaceOne: { filter: Filter; replacement: Doc } };

/**
 * An in-memory stand-in for the driver's collection with a unique `title`. An unordered bulk write either
 * behaves like MongoDB (every operation tried, errors reported by index) or like FerretDB 1.24 (stops at
 * the first error and reports no counts).
 */
class FakeDriver {
  docs: Doc[] = [];
  calls: string[] = [];
  constructor(readonly bulkWriteLike: "mongodb" | "ferretdb") {}

  find(filter: Filter) {
    this.calls.push("find");
    return { toArray: () => Promise.resolve(this.docs.filter((doc) => matches(doc, filter)).map(withoutId)) };
  }

  replaceOne(filter: Filter, replacement: Doc) {
    this.calls.push("replaceOne");
    return Promise.resolve(this.#replace(filter, replacement));
  }

  bulkWrite(operations: BulkOperation[]) {
    this.calls.push(`bulkWrite(${operations.length})`);
    const totals = { insertedCount: 0, upsertedCount: 0, matchedCount: 0, modifiedCount: 0 };
    const writeErrors: { index: number; code: number; errmsg: string }[] = [];
    for (const [index, operation] of operations.entries()) {
      try {
        const result = "insertOne" in operation
          ? this.#insert(operation.insertOne.document)
          : this.#replace(operation.replaceOne.filter, operation.replaceOne.replacement);
        for (const count of Object.keys(totals) as (keyof typeof totals)[]) {
          totals[count] += result[count] ?? 0;
        }
      } catch (error) {
        writeErrors.push({ index, code: 11000, errmsg: (error as Error).message });
        if (this.bulkWriteLike === "ferretdb") {
          throw new MongoBulkWriteError(
            { message: "E11000", code: 11000, writeErrors: [] },
            {} as BulkWriteResult,
          );
        }
      }
    }
    if (writeErrors.length > 0) {
      throw new MongoBulkWriteError(
        { message: "E11000", code: 11000, writeErrors: writeErrors as unknown as WriteError[] },
        totals as BulkWriteResult,
      );
    }
    return Promise.resolve(totals);
  }

  aggregate() {
    return { toArray: () => Promise.resolve(this.docs.map((doc) => ({ ...doc }))) };
  }

  #insert(document: Doc): Counts {
    this.#assertUnique(document, -1);
    // Like the driver, give the inserted object itself an _id.
    document._id ??= new ObjectId();
    this.docs.push({ ...document });
    return { insertedCount: 1 };
  }

  #replace(filter: Filter, replacement: Doc): Counts {
    const position = this.docs.findIndex((doc) => matches(doc, filter));
    this.#assertUnique(replacement, position);
    if (position === -1) {
      this.docs.push({ _id: new ObjectId(), ...replacement });
      return { upsertedCount: 1, matchedCount: 0, modifiedCount: 0 };
    }
    this.docs[position] = { _id: this.docs[position]._id, ...replacement };
    return { upsertedCount: 0, matchedCount: 1, modifiedCount: 1 };
  }

  #assertUnique(document: Doc, position: number): void {
    const clash = this.docs.find((doc, i) => i !== position && doc.title === document.title);
    if (clash) {
      throw new MongoServerError({
        message: `E11000 duplicate key error dup key: { title: "${clash.title}" }`,
      });
    }
  }
}

/** Whether doc matches `{ field: value }` or `{ field: { $in: values } }`. */
function matches(doc: Doc, filter: Filter): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const inList = (condition as { $in?: unknown[] } | null)?.$in;
    return inList ? inList.includes(doc[field]) : doc[field] === condition;
  });
}

function withoutId({ _id, ...rest }: Doc): Doc {
  return rest;
}

function collectionOn(driver: FakeDriver | Partial<MongoCollectionDriver>): MongoCollection {
  return new MongoCollection("content", driver as unknown as MongoCollectionDriver);
}

const STORED = [{ id: "a", title: "Alpha" }, { id: "b", title: "Beta" }];
const KEY = { keyField: "id" };

for (const bulkWriteLike of ["mongodb", "ferretdb"] as const) {
  Deno.test(`MongoCollection.bulkUpsert() reports each failure by key when a bulk write fails like ${bulkWriteLike}`, async () => {
    const driver = new FakeDriver(bulkWriteLike);
    const collection = collectionOn(driver);
    await collection.bulkUpsert(STORED, KEY);
    driver.calls = [];
    const counts = await collection.bulkUpsert([
      { id: "c", title: "Gamma" },
      { id: "d", title: "Alpha" },
      { id: "e", title: "Epsilon" },
      { id: "b", title: "Beta 2" },
    ], KEY);
    assert.deepEqual(counts, {
      inserted: 2,
      updated: 1,
      unchanged: 0,
      failed: 1,
      errors: [{ key: "d", message: 'E11000 duplicate key error dup key: { title: "Alpha" }' }],
    });
    assert.deepEqual(driver.docs.map(({ id, title }) => `${id}:${title}`), [
      "a:Alpha",
      "b:Beta 2",
      "c:Gamma",
      "e:Epsilon",
    ]);
    // Read the keys, insert the new ones, read again and retry one by one what is not stored, then replace.
    const retries = bulkWriteLike === "mongodb" ? ["replaceOne"] : ["replaceOne", "replaceOne"];
    assert.deepEqual(driver.calls, ["find", "bulkWrite(3)", "find", ...retries, "bulkWrite(1)"]);
  });
}

Deno.test("MongoCollection.bulkUpsert() writes nothing for unchanged documents, batch by batch", async () => {
  const driver = new FakeDriver("mongodb");
  const collection = collectionOn(driver);
  const docs = Array.from({ length: 5 }, (_, i) => ({ id: `k${i}`, title: `T${i}` }));
  assert.equal((await collection.bulkUpsert(docs, { ...KEY, batchSize: 2 })).inserted, 5);
  assert.deepEqual(driver.calls, ["find", "bulkWrite(2)", "find", "bulkWrite(2)", "find", "bulkWrite(1)"]);
  driver.calls = [];
  assert.equal((await collection.bulkUpsert(docs, { ...KEY, batchSize: 2 })).unchanged, 5);
  assert.deepEqual(driver.calls, ["find", "find", "find"]);
});

Deno.test("MongoCollection.bulkUpsert() sends at most 50 replacements per command", async () => {
  const driver = new FakeDriver("mongodb");
  const collection = collectionOn(driver);
  const docs = Array.from({ length: 120 }, (_, i) => ({ id: `k${i}`, title: `T${i}` }));
  await collection.bulkUpsert(docs, { ...KEY, batchSize: 200 });
  driver.calls = [];
  const counts = await collection.bulkUpsert(docs.map((doc) => ({ ...doc, title: `${doc.title}'` })), {
    ...KEY,
    batchSize: 200,
  });
  assert.equal(counts.updated, 120);
  assert.deepEqual(driver.calls, ["find", "bulkWrite(50)", "bulkWrite(50)", "bulkWrite(20)"]);
});

Deno.test("MongoCollection.bulkUpsert() leaves the given documents as they were", async () => {
  const docs = [{ id: "a", title: "Alpha" }];
  await collectionOn(new FakeDriver("mongodb")).bulkUpsert(docs, KEY);
  assert.deepEqual(docs, [{ id: "a", title: "Alpha" }]);
});

Deno.test("MongoCollection.aggregate() drops a stored document's ObjectId but keeps a $group key", async () => {
  const driver = new FakeDriver("mongodb");
  driver.docs = [{ _id: new ObjectId(), title: "Alpha" }, { _id: "Drama", titles: 2 }];
  assert.deepEqual(await collectionOn(driver).aggregate([]), [{ title: "Alpha" }, {
    _id: "Drama",
    titles: 2,
  }]);
});

Deno.test("MongoCollection names the collection in a driver error, keeping it as the cause", async () => {
  const closed = new Error("connection 1 to 127.0.0.1:27017 closed");
  const collection = collectionOn({
    countDocuments: () => Promise.reject(closed),
    deleteMany: () =>
      Promise.reject(
        new Error("[msg_delete.go:12 handler.(*Handler).MsgDelete] constraint failed: disk I/O error"),
      ),
  });
  await assert.rejects(collection.count(), (error: Error) => {
    assert.equal(error.message, 'Cannot count "content": connection 1 to 127.0.0.1:27017 closed');
    assert.equal(error.cause, closed);
    return true;
  });
  await assert.rejects(collection.purge(), {
    message: 'Cannot purge "content": constraint failed: disk I/O error',
  });
});

Deno.test("MongoCollection.listIndexes() of a collection that does not exist is empty", async () => {
  const missing = new MongoServerError({ message: "ns does not exist: test.content", code: 26 });
  const collection = collectionOn({
    listIndexes: () =>
      ({ toArray: () => Promise.reject(missing) }) as ReturnType<MongoCollectionDriver["listIndexes"]>,
  });
  assert.deepEqual(await collection.listIndexes(), []);
});
