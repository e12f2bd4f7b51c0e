/** Where a SQLite warehouse lives: a file path (relative to the working directory) or `:memory:`. */
export interface SqliteLocation {
  dialect: "sqlite";
  path: string;
}

/** How to reach a MySQL or MariaDB warehouse. */
export interface MysqlLocation {
  dialect: "mysql";
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** A parsed warehouse URL. */
export type WarehouseLocation = SqliteLocation | MysqlLocation;

const MYSQL_DEFAULT_PORT = 3306;
const USAGE = "use sqlite:PATH, sqlite::memory: or mysql://user:password@host:port/database";

/**
 * `url` with the password replaced by `***`, safe to print. The user info is taken to end at the last `@`,
 * so a password holding `/` or another `@` (which a URL parser would split at) is never echoed.
 */
export function redactUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is.exec(url);
  if (!match) return url;
  const [, scheme, rest] = match;
  const at = rest.lastIndexOf("@");
  if (at === -1) return url;
  const colon = rest.indexOf(":");
  if (colon === -1 || colon > at) return url;
  return `${scheme}${rest.slice(0, colon)}:***@${rest.slice(at + 1)}`;
}

/**
 * Parses a warehouse URL: `sqlite:PATH`, `sqlite::memory:`, or `mysql://user:pass@host:port/db` (port
 * 3306 by default; `mariadb://` is an alias). User and password are percent-decoded. An empty SQLite path
 * (`sqlite:`) is returned as is; {@linkcode openWarehouse} puts it in its state folder.
 *
 * @throws {TypeError} when the URL is not one of these forms; the message names it without its password.
 *
 * @example
 * ```ts
 * parseWarehouseUrl("mysql://etl:secret@127.0.0.1/workbench");
 * // { dialect: "mysql", host: "127.0.0.1", port: 3306, user: "etl", password: "secret", database: "workbench" }
 * ```
 */
export function parseWarehouseUrl(url: string): WarehouseLocation {
  const fail = (problem: string): never => {
    throw new TypeError(`Cannot use warehouse URL "${redactUrl(url)}": ${problem}`);
  };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "sqlite") return { dialect: "sqlite", path: url.slice("sqlite:".length) };
  if (scheme !== "mysql" && scheme !== "mariadb") {
    return fail(scheme ? `unsupported scheme "${scheme}:" (${USAGE})` : `no scheme (${USAGE})`);
  }
  if (!url.slice(scheme.length + 1).startsWith("//")) return fail(`expected "${scheme}://" (${USAGE})`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(`it is not a valid URL (${USAGE})`);
  }
  if (parsed.search || parsed.hash) return fail("query options and fragments are not supported");
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) return fail("the host is missing");
  const user = decode(parsed.username, fail);
  if (!user) return fail("the user is missing");
  const database = decode(parsed.pathname.replace(/^\//, ""), fail);
  if (!database) return fail("the database name is missing");
  if (database.includes("/")) return fail(`database name "${database}" contains "/"`);
  return {
    dialect: "mysql",
    host,
    port: parsed.port ? Number(parsed.port) : MYSQL_DEFAULT_PORT,
    user,
    password: decode(parsed.password, fail),
    database,
  };
}

function decode(component: string, fail: (problem: string) => never): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return fail("it contains a malformed percent-escape");
  }
}
