import type { Query } from "mingo";
import { assertBulkUpsertOptions, assertFindOptions, assertKeyField } from "../_assert_options.ts";
import { normalizeIndexSpec, sameIndex, sameKey } from "../_index_spec.ts";
import type {
  BulkUpsertCounts,
  BulkUpsertOptions,
  Doc,
  DocCollection,
  FindOptions,
  IndexSpec,
} from "../types.ts";
import { type CollectionFile, readCollectionFile, writeCollectionFile } from "./collection_file.ts";
import { upsertInto } from "./_upsert_into.ts";
import { keyOf, keyString } from "../_upsert_plan.ts";
import { UniqueIndex } from "./unique_index.ts";

/**
 * mingo (about 80 ms to import) is not loaded with the module: opening a store starts loading it, and the
 * first query waits for it.
 */
let mingo: Promise<typeof import("mingo")> | undefined;
export const loadMingo = (): Promise<typeof import("mingo")> => mingo ??= import("mingo");

/** Options of {@linkcode EmbeddedCollection}. */
export interface EmbeddedCollectionOptions {
  name: string;
  /** The JSON file that holds the collection; `undefined` keeps it in memory only. */
  file: string | undefined;
  /** Throws if the store was closed; called before every operation. */
  assertOpen: () => void;
}

/** What a mutation returns to its caller, and whether the collection must be written back. */
interface Mutation<T> {
  result: T;
  changed: boolean;
}

/**
 * A collection of the embedded store: held in memory, written back to its file after each change, and
 * queried with mingo, so MongoDB filters and pipelines run unchanged. Operations run one at a time, in the
 * order they were called.
 */
export class EmbeddedCollection implements DocCollection {
  readonly name: string;
  #file: string | undefined;
  #assertOpen: () => void;
  #state: CollectionFile | undefined;
  /** The file's identity when `#state` was read or written: another writer's file makes it stale. */
  #version: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor({ name, file, assertOpen }: EmbeddedCollectionOptions) {
    this.name = name;
    this.#file = file;
    this.#assertOpen = assertOpen;
  }

  async purge(): Promise<number> {
    return await this.#mutate((state) => {
      const removed = state.documents.length;
      state.documents = [];
      return { result: removed, changed: removed > 0 };
    });
  }

  async bulkUpsert(docs: readonly Doc[], options: BulkUpsertOptions): Promise<BulkUpsertCounts> {
    // batchSize is only checked: the embedded store writes all documents of a call at once.
    const { keyField } = assertBulkUpsertOptions(options);
    const counts = await this.#mutate((state) => {
      const counts = upsertInto(state, docs, keyField, this.name);
      return { result: counts, changed: counts.inserted + counts.updated > 0 };
    });
    options.onBatch?.(docs.length);
    return counts;
  }

  async deleteMissing(keyField: string, keys: readonly unknown[]): Promise<number> {
    assertKeyField(keyField);
    // A set, not mingo's $nin, which compares each document with every key: quadratic for a large load.
    const wanted = new Set(keys.map((key) => keyString(key)));
    return await this.#mutate((state) => {
      const kept = state.documents.filter((doc) => {
        const key = keyOf(doc, keyField);
        return key !== undefined && wanted.has(keyString(key));
      });
      const removed = state.documents.length - kept.length;
      state.documents = kept;
      return { result: removed, changed: removed > 0 };
    });
  }

  async createIndexes(specs: readonly IndexSpec[]): Promise<string[]> {
    const wanted = specs.map(normalizeIndexSpec);
    return await this.#mutate((state) => {
      // Check every new index before adding any, so a refused one leaves the collection as it was.
      const added: Required<IndexSpec>[] = [];
      for (const spec of wanted) {
        const existing = [...state.indexes, ...added];
        if (existing.some((index) => sameIndex(index, spec))) continue;
        this.#assertNoClash(existing, state.documents, spec);
        added.push(spec);
      }
      state.indexes.push(...added);
      return { result: wanted.map((spec) => spec.name), changed: added.length > 0 };
    });
  }

  async listIndexes(): Promise<IndexSpec[]> {
    return await this.#read((state) =>
      state.indexes.map((index) => ({ ...index, key: { ...index.key } }))
        .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    );
  }

  async count(filter: Doc = {}): Promise<number> {
    return await this.#read(async (state) => {
      const query = await this.#query(filter, "count");
      return state.documents.filter((doc) => query.test(doc)).length;
    });
  }

  async find(filter: Doc = {}, options: FindOptions = {}): Promise<Doc[]> {
    const { sort, limit = 0, skip = 0, projection } = options;
    assertFindOptions(options);
    return await this.#read(async (state) => {
      const query = await this.#query(filter, "query");
      let cursor = query.find<Doc>(state.documents, projection);
      if (sort) cursor = cursor.sort(sort);
      if (skip > 0) cursor = cursor.skip(skip);
      // As in MongoDB, a limit of 0 means no limit.
      if (limit > 0) cursor = cursor.limit(limit);
      return structuredClone(this.#run("query", () => cursor.all()));
    });
  }

  async aggregate(pipeline: readonly Doc[]): Promise<Doc[]> {
    return await this.#read(async (state) => {
      const { Aggregator, ProcessingMode } = await loadMingo();
      // CLONE_INPUT: stages such as $set must not change the stored documents.
      const aggregator = this.#run(
        "aggregate",
        () => new Aggregator([...pipeline], { processingMode: ProcessingMode.CLONE_INPUT }),
      );
      return this.#run("aggregate", () => aggregator.run(state.documents) as Doc[]);
    });
  }

  /** Resolves once every operation called so far has finished. */
  async idle(): Promise<void> {
    await this.#queue.catch(() => {});
  }

  #assertNoClash(
    indexes: readonly Required<IndexSpec>[],
    documents: readonly Doc[],
    spec: Required<IndexSpec>,
  ): void {
    const clash = indexes.find((index) => index.name === spec.name || sameKey(index.key, spec.key));
    if (clash) {
      throw new Error(
        `Cannot create index "${spec.name}" on "${this.name}": index "${clash.name}" exists with ` +
          `${clash.name === spec.name ? "another key or options" : "the same key"}`,
      );
    }
    const duplicate = spec.unique ? UniqueIndex.findDuplicate(spec, documents) : undefined;
    if (duplicate !== undefined) {
      throw new Error(
        `Cannot create unique index "${spec.name}" on "${this.name}": duplicate key ${duplicate}`,
      );
    }
  }

  async #query(filter: Doc, action: string): Promise<Query<Doc>> {
    const { Query } = await loadMingo();
    return this.#run(action, () => new Query<Doc>(filter, {}));
  }

  /** Runs fn, turning mingo's errors (e.g. an unknown operator) into one that names the collection. */
  #run<T>(action: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw new Error(`Cannot ${action} "${this.name}": ${(error as Error).message}`, { cause: error });
    }
  }

  #read<T>(fn: (state: CollectionFile) => T | Promise<T>): Promise<T> {
    return this.#enqueue(async () => fn(await this.#load()));
  }

  #mutate<T>(fn: (state: CollectionFile) => Mutation<T>): Promise<T> {
    return this.#enqueue(async () => {
      const state = await this.#load();
      const { result, changed } = fn(state);
      if (changed && this.#file !== undefined) {
        try {
          await writeCollectionFile(this.#file, state);
          this.#version = await fileVersion(this.#file);
        } catch (error) {
          // Memory is ahead of the file now: forget it, so the next operation starts from the file again.
          this.#state = undefined;
          throw error;
        }
      }
      return result;
    });
  }

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    const run = this.#queue.then(operation);
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * The collection as stored. Read again when another writer (a run in a worker, `deno task etl` in a
   * terminal while the server is up) replaced the file since this instance last read or wrote it.
   */
  async #load(): Promise<CollectionFile> {
    if (this.#file === undefined) return this.#state ??= { indexes: [], documents: [] };
    const version = await fileVersion(this.#file);
    if (this.#state === undefined || version !== this.#version) {
      const stored = await readCollectionFile(this.#file);
      this.#state = stored ?? { indexes: [], documents: [] };
      this.#version = version;
    }
    return this.#state;
  }
}

/** Identifies a file's content cheaply: writes replace the file (a rename), so its inode changes. */
async function fileVersion(path: string): Promise<string> {
  try {
    const info = await Deno.stat(path);
    return `${info.ino}:${info.mtime?.getTime()}:${info.size}`;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "none";
    throw error;
  }
}
