/**
 * Document stores: one interface ({@linkcode DocStore}), two adapters (MongoDB or FerretDB over the network,
 * an embedded store on JSON files queried with mingo), opened by URL with {@linkcode openDocStore}.
 *
 * @example
 * ```ts
 * import { type Doc, openDocStore } from "./mod.ts";
 *
 * declare const docs: Doc[];
 * await using store = await openDocStore("mongodb://127.0.0.1:27017/workbench");
 * const content = store.collection("content");
 * await content.createIndexes([{ key: { content_id: 1 }, unique: true }]);
 * await content.bulkUpsert(docs, { keyField: "content_id" });
 * const byGenre = await content.aggregate([{ $unwind: "$genre" }, { $group: { _id: "$genre", n: { $sum: 1 } } }]);
 * ```
 * @module
 */
export type {
  BulkUpsertCounts,
  BulkUpsertOptions,
  Doc,
  DocCollection,
  DocStore,
  FindOptions,
  IndexSpec,
  OpenDocStoreOptions,
  ServerInfo,
} from "./types.ts";
// The MongoDB driver is imported by the first openMongoStore (or openDocStore of a mongodb:// URL).
export { openDocStore, openMongoStore } from "./open_docstore.ts";
export { EmbeddedDocStore, IN_MEMORY, openEmbeddedStore } from "./embedded/mod.ts";
export type { MongoDocStore } from "./mongo/mod.ts";
export { parseMongoUrl } from "./mongo/parse_mongo_url.ts";
