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
  /**
   * Every host of a multi-host URL (`mysql://u:p@h1:3311,h2:3312/db`), in order: the first is written to, the
   * next takes over when it fails. Absent for a single host (`host` and `port` are the first host's).
   */
  hosts?: MysqlHost[];
  /** The URL's query options; absent without a query string. */
  options?: MysqlUrlOptions;
}

/** One address of a MySQL warehouse URL. */
export interface MysqlHost {
  host: string;
  port: number;
}

/** How TLS is used: as MySQL's `--ssl-mode`. */
export type SslMode = "DISABLED" | "PREFERRED" | "REQUIRED" | "VERIFY_CA" | "VERIFY_IDENTITY";

/**
 * Query options of a MySQL warehouse URL: `ssl-mode`, `ssl-ca` (a PEM file; alone it means `VERIFY_CA`),
 * `ssl=true` (as `ssl-mode=REQUIRED`), `connect-timeout` (seconds), `max-transaction-rows` (rows per committed
 * chunk of a bulk load), `load-data=false` (no `LOAD DATA LOCAL`), and any other `name=value` with a system variable's name (letters, digits and
 * `_`), set in every session (e.g. `wsrep_sync_wait=1`).
 */
export interface MysqlUrlOptions {
  sslMode?: SslMode;
  sslCa?: string;
  connectTimeoutMs?: number;
  maxTransactionRows?: number;
  /** `load-data=false`: bulk loads use multi-row INSERTs, never `LOAD DATA LOCAL` (e.g. behind Vitess). */
  loadData?: boolean;
  /** `SET SESSION name = value` for every connection; values are sent as given (numbers or words). */
  sessionVariables?: Record<string, string>;
}

/** A parsed warehouse URL. */
export type WarehouseLocation = SqliteLocation | MysqlLocation;

const MYSQL_DEFAULT_PORT = 3306;
const USAGE =
  "use sqlite:PATH, sqlite::memory: or mysql://user:password@host:port[,host2:port2...]/database[?options]";
const SSL_MODES: readonly SslMode[] = ["DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"];

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
  const hostList = splitHosts(url, scheme.length + 3);
  let parsed: URL;
  try {
    // Several hosts: the URL is parsed with the first, each other host on its own.
    parsed = new URL(hostList ? url.replace(hostList.all, hostList.parts[0]) : url);
  } catch {
    return fail(`it is not a valid URL (${USAGE})`);
  }
  if (parsed.hash) return fail("fragments are not supported");
  const hosts = hostList?.parts.map((part, i) => parseHost(part, i + 1, fail));
  const host = hosts?.[0].host ?? parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) return fail("the host is missing");
  const user = decode(parsed.username, fail);
  if (!user) return fail("the user is missing");
  const database = decode(parsed.pathname.replace(/^\//, ""), fail);
  if (!database) return fail("the database name is missing");
  if (database.includes("/")) return fail(`database name "${database}" contains "/"`);
  const location: MysqlLocation = {
    dialect: "mysql",
    host,
    port: hosts?.[0].port ?? (parsed.port ? Number(parsed.port) : MYSQL_DEFAULT_PORT),
    user,
    password: decode(parsed.password, fail),
    database,
  };
  if (hosts) location.hosts = hosts;
  if (parsed.search) location.options = parseOptions(parsed.searchParams, fail);
  return location;
}

/** The comma-separated host list after `user:pass@`, when there is more than one host. */
function splitHosts(url: string, authorityStart: number): { all: string; parts: string[] } | undefined {
  const rest = url.slice(authorityStart);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const all = authority.slice(authority.lastIndexOf("@") + 1);
  if (!all.includes(",")) return undefined;
  return { all, parts: all.split(",") };
}

function parseHost(part: string, position: number, fail: (problem: string) => never): MysqlHost {
  let parsed: URL | undefined;
  try {
    parsed = new URL(`mysql://${part}`);
  } catch {
    // reported below
  }
  const host = parsed?.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!parsed || !host || parsed.pathname || parsed.username) {
    return fail(`host ${position} of the host list ("${part}") is not host or host:port`);
  }
  return { host, port: parsed.port ? Number(parsed.port) : MYSQL_DEFAULT_PORT };
}

function parseOptions(params: URLSearchParams, fail: (problem: string) => never): MysqlUrlOptions {
  const options: MysqlUrlOptions = {};
  const positive = (name: string, value: string): number => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) {
      return fail(`option ${name} must be a positive number (got "${value}")`);
    }
    return n;
  };
  for (const [name, value] of params) {
    switch (name.toLowerCase()) {
      case "ssl-mode":
      case "sslmode": {
        const mode = value.toUpperCase() as SslMode;
        if (!SSL_MODES.includes(mode)) {
          return fail(`option ssl-mode must be one of ${SSL_MODES.join(", ")} (got "${value}")`);
        }
        options.sslMode = mode;
        break;
      }
      case "ssl":
        if (!/^(true|1|false|0)$/i.test(value)) {
          return fail(`option ssl must be true or false (got "${value}")`);
        }
        options.sslMode = /^(true|1)$/i.test(value) ? "REQUIRED" : "DISABLED";
        break;
      case "ssl-ca":
        if (!value) return fail("option ssl-ca needs the path of a PEM file");
        options.sslCa = value;
        break;
      case "connect-timeout":
        options.connectTimeoutMs = Math.round(positive(name, value) * 1000);
        break;
      case "load-data":
        if (!/^(true|1|false|0)$/i.test(value)) {
          return fail(`option load-data must be true or false (got "${value}")`);
        }
        options.loadData = /^(true|1)$/i.test(value);
        break;
      case "max-transaction-rows":
        options.maxTransactionRows = Math.floor(positive(name, value));
        break;
      default:
        if (!/^[a-z_][a-z0-9_]*$/i.test(name)) {
          return fail(
            `unknown option "${name}" (ssl-mode, ssl-ca, ssl, connect-timeout, max-transaction-rows, load-data, or a ` +
              "session variable such as wsrep_sync_wait)",
          );
        }
        if (!/^[A-Za-z0-9_.+-]+$/.test(value)) {
          return fail(`session variable ${name} must be a number or a word (got "${value}")`);
        }
        options.sessionVariables = { ...options.sessionVariables, [name]: value };
    }
  }
  if (options.sslCa && !options.sslMode) options.sslMode = "VERIFY_CA";
  return options;
}

function decode(component: string, fail: (problem: string) => never): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return fail("it contains a malformed percent-escape");
  }
}
