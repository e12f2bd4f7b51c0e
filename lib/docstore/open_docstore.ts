import { join } from "node:path";
import { redactPassword } from "./_redact_password.ts";
import { openEmbeddedStore } from "./embedded/embedded_store.ts";
import type { MongoDocStore, OpenMongoStoreOptions } from "./mongo/mongo_store.ts";
import type { DocStore, OpenDocStoreOptions } from "./types.ts";

/**
 * Connects to a MongoDB or FerretDB server (see `mongo/mongo_store.ts`). The driver, about 60 ms to import,
 * is loaded on the first call, so that a run on the embedded store does not pay for it.
 */
export async function openMongoStore(
  url: string,
  options: OpenMongoStoreOptions = {},
): Promise<MongoDocStore> {
  const adapter = await import("./mongo/mongo_store.ts");
  return await adapter.openMongoStore(url, options);
}

/**
 * Opens the document store a URL names:
 * - `mongodb://[user:password@]host[:port]/database` or `mongodb+srv://...`: a MongoDB (or FerretDB) server;
 * - `embedded:PATH`: JSON files in the folder PATH; a bare `embedded:` uses `<stateDir>/docstore`;
 * - `embedded::memory:`: an embedded store that keeps nothing on disk.
 *
 * Throws a `TypeError` for any other URL.
 *
 * @example
 * ```ts
 * import { type Doc, openDocStore } from "./mod.ts";
 *
 * declare const docs: Doc[];
 * await using store = await openDocStore("embedded:.workbench/docstore");
 * const counts = await store.collection("content").bulkUpsert(docs, { keyField: "content_id" });
 * ```
 */
export async function openDocStore(url: string, options: OpenDocStoreOptions = {}): Promise<DocStore> {
  const { stateDir = ".workbench", serverSelectionTimeoutMs } = options;
  if (url.startsWith("mongodb://") || url.startsWith("mongodb+srv://")) {
    return await openMongoStore(url, { serverSelectionTimeoutMs });
  }
  if (url.startsWith("embedded:")) {
    const location = url.slice("embedded:".length);
    return await openEmbeddedStore(location === "" ? join(stateDir, "docstore") : location);
  }
  throw new TypeError(
    `Cannot open document store "${redactPassword(url)}": the URL must start with "mongodb://", ` +
      `"mongodb+srv://" or "embedded:"`,
  );
}
