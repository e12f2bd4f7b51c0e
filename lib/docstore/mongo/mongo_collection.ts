import { type Collection, type Filter, MongoBulkWriteError, MongoServerError, ObjectId } from "mongodb";
import { assertBulkUpsertOptions, assertFindOptions, assertKeyField } from "../_assert_options.ts";
import { documentsEqual } from "../_documents_equal.ts";
import { normalizeIndexSpec } from "../_index_spec.ts";
import { keyOf, keyString, type PlannedWrite, planUpserts } from "../_upsert_plan.ts";
import { withoutId } from "../_without_id.ts";
import type {
  BulkUpsertCounts,
  BulkUpsertOptions,
  Doc,
  DocCollection,
  FindOptions,
  IndexSpec,
} from "../types.ts";

/** The part of the driver's collection the adapter uses. */
export type MongoCollectionDriver = Pick<
  Collection<Doc>,
  | "aggregate"
  | "bulkWrite"
  | "countDocuments"
  | "createIndex"
  | "deleteMany"
  | "find"
  | "listIndexes"
  | "replaceOne"
>;

/**
 * Most replacements sent in one command. FerretDB 1.24 (SQLite) holds a pooled connection per update of a
 * command until the command ends, and its pool has 100: a command with 100 updates waits forever.
 */
const MAX_UPDATES_PER_COMMAND = 50;

/** MongoDB's code for "ns does not exist", e.g. listing the indexes of a collection never written. */
const NAMESPACE_NOT_FOUND = 26;

/**
 * A MongoDB (or FerretDB) collection behind the {@linkcode DocCollection} interface. Works on a standalone
 * server, a replica set or a sharded cluster: it needs no transactions.
 */
export class MongoCollection implements DocCollection {
  readonly name: string;
  #driver: MongoCollectionDriver;

  constructor(name: string, driver: MongoCollectionDriver) {
    this.name = name;
    this.#driver = driver;
  }

  async purge(): Promise<number> {
    const result = await this.#call("purge", () => this.#driver.deleteMany({}));
    return result.deletedCount;
  }

  async bulkUpsert(docs: readonly Doc[], options: BulkUpsertOptions): Promise<BulkUpsertCounts> {
    const { keyField, batchSize } = assertBulkUpsertOptions(options);
    const counts: BulkUpsertCounts = { inserted: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
    for (let start = 0; start < docs.length; start += batchSize) {
      await this.#upsertBatch(docs.slice(start, start + batchSize), keyField, counts);
      options.onBatch?.(Math.min(docs.length, start + batchSize));
    }
    return counts;
  }

  async deleteMissing(keyField: string, keys: readonly unknown[]): Promise<number> {
    assertKeyField(keyField);
    const filter = { [keyField]: { $nin: [...keys] } } as Filter<Doc>;
    const result = await this.#call("delete from", () => this.#driver.deleteMany(filter));
    return result.deletedCount;
  }

  async createIndexes(specs: readonly IndexSpec[]): Promise<string[]> {
    const names: string[] = [];
    // One command per index: FerretDB 1.24 drops the connection when one createIndexes command names
    // two or more indexes that already exist.
    for (const spec of specs.map(normalizeIndexSpec)) {
      const options = spec.unique ? { name: spec.name, unique: true } : { name: spec.name };
      names.push(await this.#call("create indexes on", () => this.#driver.createIndex(spec.key, options)));
    }
    return names;
  }

  async listIndexes(): Promise<IndexSpec[]> {
    let indexes: Doc[];
    try {
      indexes = await this.#driver.listIndexes().toArray();
    } catch (error) {
      if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
      throw this.#failure("list indexes of", error);
    }
    const specs: Required<IndexSpec>[] = indexes.filter((index) => index.name !== "_id_").map((index) => ({
      name: String(index.name),
      key: Object.fromEntries(
        Object.entries(index.key as Record<string, unknown>).map(([field, direction]) => [
          field,
          Number(direction) < 0 ? -1 : 1,
        ]),
      ),
      unique: index.unique === true,
    }));
    // MongoDB lists indexes in creation order, FerretDB by name: sort so both agree.
    return specs.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }

  count(filter: Doc = {}): Promise<number> {
    return this.#call("count", () => this.#driver.countDocuments(filter));
  }

  async find(filter: Doc = {}, options: FindOptions = {}): Promise<Doc[]> {
    assertFindOptions(options);
    const { sort, limit = 0, skip = 0, projection = {} } = options;
    const docs = await this.#call(
      "query",
      () => this.#driver.find(filter, { sort, limit, skip, projection: { ...projection, _id: 0 } }).toArray(),
    );
    return docs.map(withoutId);
  }

  async aggregate(pipeline: readonly Doc[]): Promise<Doc[]> {
    const docs = await this.#call("aggregate", () => this.#driver.aggregate<Doc>([...pipeline]).toArray());
    // A stored document's own _id is an ObjectId; any other _id is a $group key and stays.
    return docs.map((doc) => doc._id instanceof ObjectId ? withoutId(doc) : doc);
  }

  /**
   * Upserts one batch: reads what is stored under its keys, then writes only what differs, inserting the
   * new keys (much cheaper than an upsert on FerretDB) and replacing the others by key.
   */
  async #upsertBatch(batch: readonly Doc[], keyField: string, counts: BulkUpsertCounts): Promise<void> {
    const keys = batch.map((doc) => keyOf(doc, keyField)).filter((key) => key !== undefined);
    const plan = planUpserts(batch, keyField, await this.#storedByKey(keyField, keys));
    counts.unchanged += plan.unchanged;
    counts.failed += plan.failed.length;
    counts.errors.push(...plan.failed);
    // Inserts first: a key repeated in the batch is inserted once, then replaced in batch order.
    const inserts = plan.writes.filter((write) => !write.existed);
    const replacements = plan.writes.filter((write) => write.existed);
    const groups = [inserts, ...chunks(replacements, MAX_UPDATES_PER_COMMAND)].filter((group) =>
      group.length > 0
    );
    for (const writes of groups) await this.#write(writes, keyField, counts);
  }

  /** Writes planned documents with one unordered bulk write, recovering document by document on errors. */
  async #write(writes: readonly PlannedWrite[], keyField: string, counts: BulkUpsertCounts): Promise<void> {
    try {
      const result = await this.#driver.bulkWrite(
        writes.map(({ key, doc, existed }) =>
          existed
            ? { replaceOne: { filter: { [keyField]: key } as Filter<Doc>, replacement: doc, upsert: true } }
            // A copy: the driver adds an _id to the document it inserts.
            : { insertOne: { document: { ...doc } } }
        ),
        { ordered: false },
      );
      counts.inserted += result.insertedCount + result.upsertedCount;
      counts.updated += result.modifiedCount;
      // Equal to the stored document after all (e.g. a concurrent writer got there first).
      counts.unchanged += result.matchedCount - result.modifiedCount;
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw this.#failure("upsert into", error);
      await this.#recoverBatch(writes, keyField, counts);
    }
  }

  /**
   * Finishes writes whose bulk write reported errors: keeps the writes that are stored and tries each other
   * one alone, so each failure is reported under its own key. The bulk write's own report is not used:
   * FerretDB 1.24 stops at the first error of an unordered write, reports wrong indexes and zero counts.
   */
  async #recoverBatch(
    writes: readonly PlannedWrite[],
    keyField: string,
    counts: BulkUpsertCounts,
  ): Promise<void> {
    const stored = await this.#storedByKey(keyField, writes.map(({ key }) => key));
    const lastWriteOfKey = new Map(writes.map((write, i) => [keyString(write.key), i]));
    for (const [i, { key, doc, existed }] of writes.entries()) {
      const current = stored.get(keyString(key));
      // An earlier write of a key written again later in the batch is superseded: count it, do not redo it.
      const done = lastWriteOfKey.get(keyString(key)) !== i ||
        (current !== undefined && documentsEqual(current, doc));
      if (done) {
        counts[existed ? "updated" : "inserted"]++;
        continue;
      }
      try {
        const result = await this.#driver.replaceOne({ [keyField]: key } as Filter<Doc>, doc, {
          upsert: true,
        });
        if (result.upsertedCount > 0) counts.inserted++;
        else if (result.modifiedCount > 0) counts.updated++;
        else counts.unchanged++;
      } catch (error) {
        counts.failed++;
        counts.errors.push({ key, message: serverMessage(error) });
      }
    }
  }

  /** The stored documents whose keyField is one of keys, by {@linkcode keyString} of their key. */
  async #storedByKey(keyField: string, keys: readonly unknown[]): Promise<Map<string, Doc>> {
    if (keys.length === 0) return new Map();
    const filter = { [keyField]: { $in: [...keys] } } as Filter<Doc>;
    const docs = await this.#call(
      "upsert into",
      () => this.#driver.find(filter, { projection: { _id: 0 } }).toArray(),
    );
    return new Map(docs.map((doc) => [keyString(keyOf(doc, keyField)), doc]));
  }

  /** Runs a driver call, turning its error into one that names the collection. */
  async #call<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#failure(action, error);
    }
  }

  #failure(action: string, error: unknown): Error {
    return new Error(`Cannot ${action} "${this.name}": ${serverMessage(error)}`, { cause: error });
  }
}

/** items in consecutive slices of at most size. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) slices.push(items.slice(start, start + size));
  return slices;
}

/** The message of a driver error, without the Go source locations FerretDB puts in front of some. */
function serverMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^(\[[\w./-]+\.go:\d+ [^\]]*\] )+/, "");
}
