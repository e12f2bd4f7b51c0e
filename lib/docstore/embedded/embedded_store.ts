import mingoPackage from "mingo/package.json" with { type: "json" };
import { join } from "node:path";
import { assertCollectionName } from "../_collection_name.ts";
import type { DocCollection, DocStore, ServerInfo } from "../types.ts";
import { EmbeddedCollection, loadMingo } from "./embedded_collection.ts";

/** The location that keeps an embedded store in memory only. */
export const IN_MEMORY = ":memory:";

/**
 * A document store in this process: one JSON file per collection in a folder (or nothing on disk for
 * {@linkcode IN_MEMORY}), queried with mingo. One process at a time may use a folder.
 *
 * @example
 * ```ts
 * import type { Doc } from "../mod.ts";
 * import { openEmbeddedStore } from "./mod.ts";
 *
 * declare const docs: Doc[];
 * await using store = await openEmbeddedStore(".workbench/docstore");
 * await store.collection("content").bulkUpsert(docs, { keyField: "content_id" });
 * ```
 */
export async function openEmbeddedStore(location: string): Promise<EmbeddedDocStore> {
  if (location === "") throw new TypeError(`Cannot open embedded document store: the folder is empty`);
  if (location !== IN_MEMORY) {
    try {
      await Deno.mkdir(location, { recursive: true });
    } catch (error) {
      throw new Error(`Cannot open document store "embedded:${location}": ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  // In the background: the run's first nodes go on meanwhile, and the first query does not wait as long.
  loadMingo().catch(() => {});
  return new EmbeddedDocStore(location);
}

/** The embedded store; open it with {@linkcode openEmbeddedStore}. */
export class EmbeddedDocStore implements DocStore {
  readonly kind = "embedded";
  /** Files in this process: nothing a retry would cure. */
  isTransient(_error: unknown): boolean {
    return false;
  }
  readonly label: string;
  #folder: string | undefined;
  #collections = new Map<string, EmbeddedCollection>();
  #closed = false;

  constructor(location: string) {
    this.label = `embedded:${location}`;
    this.#folder = location === IN_MEMORY ? undefined : location;
  }

  collection(name: string): DocCollection {
    this.#assertOpen();
    assertCollectionName(name);
    let collection = this.#collections.get(name);
    if (collection === undefined) {
      const file = this.#folder === undefined ? undefined : join(this.#folder, `${name}.json`);
      collection = new EmbeddedCollection({ name, file, assertOpen: () => this.#assertOpen() });
      this.#collections.set(name, collection);
    }
    return collection;
  }

  serverInfo(): Promise<ServerInfo> {
    return Promise.resolve({ kind: "embedded", version: mingoPackage.version, ferretdb: false });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#collections.values()].map((collection) => collection.idle()));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`Cannot use document store "${this.label}": it is closed`);
  }
}
