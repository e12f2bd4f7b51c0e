import { type Db, MongoClient } from "mongodb";
import { assertCollectionName } from "../_collection_name.ts";
import { redactPassword } from "../_redact_password.ts";
import type { DocCollection, DocStore, ServerInfo } from "../types.ts";
import { MongoCollection } from "./mongo_collection.ts";
import { parseMongoUrl } from "./parse_mongo_url.ts";

/** Options of {@linkcode openMongoStore}. */
export interface OpenMongoStoreOptions {
  /** How long to look for a server before giving up. @default 5000 */
  serverSelectionTimeoutMs?: number;
}

/**
 * Connects to the MongoDB (or FerretDB) server of a `mongodb://` or `mongodb+srv://` URL, which must name
 * a database. Throws a `TypeError` for a malformed URL and an `Error` naming the hosts when no server
 * answers in time.
 *
 * @example
 * ```ts
 * await using store = await openMongoStore("mongodb://127.0.0.1:27017/workbench");
 * console.log(await store.collection("content").count());
 * ```
 */
export async function openMongoStore(
  url: string,
  options: OpenMongoStoreOptions = {},
): Promise<MongoDocStore> {
  const { serverSelectionTimeoutMs = 5000 } = options;
  if (!Number.isFinite(serverSelectionTimeoutMs) || serverSelectionTimeoutMs <= 0) {
    throw new RangeError(
      `Cannot open document store: serverSelectionTimeoutMs must be a positive number (found: ${serverSelectionTimeoutMs})`,
    );
  }
  const { database, hosts, label } = parseMongoUrl(url);
  let client: MongoClient;
  try {
    client = new MongoClient(url, {
      serverSelectionTimeoutMS: serverSelectionTimeoutMs,
      // Leave undefined fields out, as the embedded store's JSON does, instead of storing null.
      ignoreUndefined: true,
      appName: "streaming-etl-workbench",
    });
  } catch (error) {
    throw new TypeError(`Cannot open document store "${redactPassword(url)}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => {});
    throw new Error(`Cannot connect to MongoDB at ${hosts}: ${(error as Error).message}`, { cause: error });
  }
  return new MongoDocStore(client, client.db(database), label);
}

/** A store on a MongoDB server; open it with {@linkcode openMongoStore}. */
export class MongoDocStore implements DocStore {
  readonly kind = "mongodb";
  isTransient = isTransientMongoError;
  readonly label: string;
  #client: MongoClient;
  #db: Db;
  #serverInfo: Promise<ServerInfo> | undefined;

  constructor(client: MongoClient, db: Db, label: string) {
    this.#client = client;
    this.#db = db;
    this.label = label;
  }

  collection(name: string): DocCollection {
    assertCollectionName(name);
    return new MongoCollection(name, this.#db.collection(name));
  }

  /** Asks the server once, with `buildInfo`; FerretDB answers with its own version in `ferretdbVersion`. */
  serverInfo(): Promise<ServerInfo> {
    this.#serverInfo ??= this.#db.command({ buildInfo: 1 }).then(
      (info) => {
        const ferretdbVersion = typeof info.ferretdbVersion === "string" ? info.ferretdbVersion : undefined;
        const version = (ferretdbVersion ?? String(info.version)).replace(/^v/, "");
        return { kind: "mongodb" as const, version, ferretdb: ferretdbVersion !== undefined };
      },
      (error) => {
        this.#serverInfo = undefined;
        throw new Error(`Cannot read the server version of "${this.label}": ${error.message}`, {
          cause: error,
        });
      },
    );
    return this.#serverInfo;
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Network errors and failed server selection (a primary stepping down, a restart): a retry may cure them. */
function isTransientMongoError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    const { name } = e as { name?: unknown };
    if (name === "MongoNetworkError" || name === "MongoServerSelectionError") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
