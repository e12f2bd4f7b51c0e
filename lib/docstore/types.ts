/** The document store interface that both adapters (MongoDB, embedded mingo) implement. */

/** A document: any JSON-like object. Documents returned never carry MongoDB's `_id`. */
export type Doc = Record<string, unknown>;

/** What one {@linkcode DocCollection.bulkUpsert} call did, document by document. */
export interface BulkUpsertCounts {
  /** Documents whose key was not stored yet. */
  inserted: number;
  /** Stored documents replaced by a different one. */
  updated: number;
  /** Documents identical to the stored one, not written. */
  unchanged: number;
  /** Documents not written; `errors` says why, one entry each. */
  failed: number;
  errors: { key: unknown; message: string }[];
}

/** An index: `key` maps field paths to 1 (ascending) or -1 (descending). */
export interface IndexSpec {
  /** @default the MongoDB convention, e.g. `release_year_-1` for `{ release_year: -1 }` */
  name?: string;
  key: Record<string, 1 | -1>;
  /** @default false */
  unique?: boolean;
}

/** Options of {@linkcode DocCollection.find}. */
export interface FindOptions {
  /** @default insertion order on the embedded store, the server's natural order on MongoDB */
  sort?: Record<string, 1 | -1>;
  /** @default no limit */
  limit?: number;
  /** @default 0 */
  skip?: number;
  /** Fields to include (1) or exclude (0), as in MongoDB. @default every field */
  projection?: Record<string, 0 | 1>;
}

/** Options of {@linkcode DocCollection.bulkUpsert}. */
export interface BulkUpsertOptions {
  /** The field that identifies a document, e.g. `content_id`. */
  keyField: string;
  /** Documents written per round trip. @default 100 */
  batchSize?: number;
  /**
   * Called after each batch with the documents done so far, for progress (the embedded store writes a
   * call's documents at once, and calls it once).
   */
  onBatch?: (done: number) => void;
}

/** A named collection of documents. Query, sort, projection and pipelines use MongoDB's language. */
export interface DocCollection {
  /** Deletes every document (indexes stay); returns how many. */
  purge(): Promise<number>;
  /**
   * Unordered bulk upserts by keyField (replace the whole document), in batches (@default 100); a document
   * identical to the stored one counts as unchanged and is not written. A document that cannot be written
   * (no key, a duplicate in a unique index) is counted as failed and the others are still written.
   * An `_id` field of the given documents is ignored.
   */
  bulkUpsert(docs: readonly Doc[], options: BulkUpsertOptions): Promise<BulkUpsertCounts>;
  /** Deletes documents whose keyField is not in keys (documents without keyField too); returns how many. */
  deleteMissing(keyField: string, keys: readonly unknown[]): Promise<number>;
  /** Creates the indexes that do not exist yet; returns their names, in the order given. */
  createIndexes(specs: readonly IndexSpec[]): Promise<string[]>;
  /** The indexes by name, with `name` and `unique` always set; MongoDB's built-in `_id_` index is left out. */
  listIndexes(): Promise<IndexSpec[]>;
  /** How many documents match filter. @default filter `{}` */
  count(filter?: Doc): Promise<number>;
  /** The documents that match filter, sorted, skipped, limited, then projected. */
  find(filter?: Doc, options?: FindOptions): Promise<Doc[]>;
  /** Runs an aggregation pipeline; documents passed through keep no MongoDB `_id` (a `$group` key stays). */
  aggregate(pipeline: readonly Doc[]): Promise<Doc[]>;
}

/** What serves a store: for tests and pipelines that must avoid what a server lacks. */
export interface ServerInfo {
  kind: "mongodb" | "embedded";
  /** The product's own version: FerretDB's for FerretDB (e.g. `1.24.2`), MongoDB's, or mingo's when embedded. */
  version: string;
  /** Whether the server is FerretDB, which implements only part of MongoDB's aggregation language. */
  ferretdb: boolean;
}

/** A document database: MongoDB (or FerretDB) over the network, or the embedded store. */
export interface DocStore extends AsyncDisposable {
  readonly kind: "mongodb" | "embedded";
  /** Where the store is, safe to print: no password. */
  readonly label: string;
  /** The collection of this name (letters, digits, `_`, `-` and `.`; created on first write). */
  collection(name: string): DocCollection;
  /** Describes the server behind the store. */
  serverInfo(): Promise<ServerInfo>;
  /** Whether the error (or a cause) is one a retry may cure, such as a lost connection or no server selected. */
  isTransient(error: unknown): boolean;
  /** Waits for pending writes and releases connections; the store cannot be used afterwards. */
  close(): Promise<void>;
}

/** Options of `openDocStore()`. */
export interface OpenDocStoreOptions {
  /** The workbench's state folder; a bare `embedded:` URL stores in `<stateDir>/docstore`. @default ".workbench" */
  stateDir?: string;
  /** How long to look for a MongoDB server before giving up. @default 5000 */
  serverSelectionTimeoutMs?: number;
}
