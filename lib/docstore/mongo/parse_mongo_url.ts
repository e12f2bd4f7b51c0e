import { redactPassword } from "../_redact_password.ts";

/** The parts of a MongoDB connection string the adapter needs. */
export interface MongoUrl {
  /** The database the URL names. */
  database: string;
  /** The host list as written, e.g. `127.0.0.1:27017` or `a:27017,b:27017`. */
  hosts: string;
  /** The URL without credentials and options, safe to print. */
  label: string;
}

// The user info runs to the last "@" before the options, so that a password holding "/" or "@" is never
// taken for the host or the database (and then echoed in a message).
const MONGO_URL = /^(mongodb(?:\+srv)?):\/\/(?:[^?#]*@)?([^@/?#]+)(?:\/([^?#]*))?(?:\?[^#]*)?$/;
/** Characters MongoDB forbids in database names. */
const FORBIDDEN_IN_DATABASE = /[/\\. "$*<>:|?]/;

/**
 * Splits a `mongodb://` or `mongodb+srv://` URL; throws a `TypeError` when it is malformed or names no
 * database (the store needs one).
 *
 * @example
 * ```ts
 * parseMongoUrl("mongodb://user:secret@127.0.0.1:27017/workbench?authSource=admin");
 * // { database: "workbench", hosts: "127.0.0.1:27017", label: "mongodb://127.0.0.1:27017/workbench" }
 * ```
 */
export function parseMongoUrl(url: string): MongoUrl {
  const match = MONGO_URL.exec(url);
  if (!match) {
    throw new TypeError(
      `Cannot open document store "${
        redactPassword(url)
      }": expected mongodb://[user:password@]host[:port]/database`,
    );
  }
  const [, scheme, hosts, path = ""] = match;
  let database: string;
  try {
    database = decodeURIComponent(path);
  } catch (error) {
    throw new TypeError(`Cannot open document store "${redactPassword(url)}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (database === "") {
    throw new TypeError(
      `Cannot open document store "${redactPassword(url)}": the URL names no database ` +
        `(e.g. "${scheme}://${hosts}/workbench")`,
    );
  }
  if (FORBIDDEN_IN_DATABASE.test(database)) {
    throw new TypeError(
      `Cannot open document store "${
        redactPassword(url)
      }": database "${database}" contains one of / \\ . " $ * < > : | ? or a space`,
    );
  }
  return { database, hosts, label: `${scheme}://${hosts}/${database}` };
}
