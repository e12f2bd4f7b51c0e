/**
 * How integration tests find their database servers.
 *
 * A server's URL comes from `TEST_MYSQL_URL`, `TEST_FERRETDB_URL` or `TEST_MONGODB_URL`; for MySQL and
 * FerretDB it falls back to the address `.ci/run` starts them on, when something listens there. Tests that
 * need a server are declared with {@linkcode integrationTest}: with `CI=true` a missing required server is a
 * failing test, elsewhere the test is ignored with a hint on how to run it.
 *
 * @example
 * ```ts
 * import { openWarehouse } from "../lib/warehouse/mod.ts";
 * import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";
 *
 * integrationTest("mysql", "upsert() counts updated rows", async (url, t) => {
 *   await using wh = await openWarehouse(uniqueDatabaseUrl(url, "upsert"));
 *   // ...
 * });
 * ```
 */

/**
 * A kind of server integration tests may need. `mongodb` is a real MongoDB, optional even in CI; `galera` is
 * the 3-node MariaDB Galera cluster of `.ci/galera.sh` (a three-host URL).
 */
export type ServerKind = "mysql" | "ferretdb" | "mongodb" | "galera";

interface ServerInfo {
  /** Environment variable holding the URL. */
  env: string;
  /** Address `.ci/run` starts the server on, probed when the variable is unset. */
  fallback?: { url: string; port: number };
  /** Name used in messages. */
  title: string;
  /** Whether CI must have it: a missing required server fails its tests there instead of skipping them. */
  requiredInCi: boolean;
  /** How to start it locally. */
  start: string;
}

const SERVERS: Record<ServerKind, ServerInfo> = {
  mysql: {
    env: "TEST_MYSQL_URL",
    fallback: { url: "mysql://workbench:workbench@127.0.0.1:3306/workbench_test", port: 3306 },
    title: "MariaDB",
    requiredInCi: true,
    start: "bash .ci/mariadb.sh start",
  },
  ferretdb: {
    env: "TEST_FERRETDB_URL",
    fallback: { url: "mongodb://127.0.0.1:27017/workbench_test", port: 27017 },
    title: "FerretDB",
    requiredInCi: true,
    start: "bash .ci/ferretdb.sh start",
  },
  galera: {
    env: "TEST_GALERA_URL",
    fallback: {
      url: "mysql://workbench:workbench@127.0.0.1:3311,127.0.0.1:3312,127.0.0.1:3313/workbench_test",
      port: 3311,
    },
    title: "MariaDB Galera cluster",
    requiredInCi: true,
    start: "bash .ci/galera.sh start",
  },
  mongodb: {
    env: "TEST_MONGODB_URL",
    title: "MongoDB",
    requiredInCi: false,
    start: "export TEST_MONGODB_URL=mongodb://127.0.0.1:27017/workbench_test (a running MongoDB)",
  },
};

/** Whether something accepts TCP connections on 127.0.0.1:port within a short time. */
async function isListening(port: number): Promise<boolean> {
  const attempt = Deno.connect({ hostname: "127.0.0.1", port }).then(
    (conn) => {
      conn.close();
      return true;
    },
    () => false,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 1000));
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolved once, when the module loads, so `serverUrl()` can stay synchronous. */
const RESOLVED_URLS: Record<ServerKind, string | undefined> = Object.fromEntries(
  await Promise.all(
    (Object.entries(SERVERS) as [ServerKind, ServerInfo][]).map(async ([kind, info]) => {
      const fromEnv = Deno.env.get(info.env);
      if (fromEnv) return [kind, fromEnv];
      if (info.fallback && await isListening(info.fallback.port)) return [kind, info.fallback.url];
      return [kind, undefined];
    }),
  ),
);

/** The URL of a test server of this kind, or `undefined` when none is configured or listening. */
export function serverUrl(kind: ServerKind): string | undefined {
  return RESOLVED_URLS[kind];
}

/** Whether this run is in CI, where required servers must be present. */
function isCi(): boolean {
  return Deno.env.get("CI") === "true";
}

/** Where the server was looked for, without any password: "no server at ..." or "TEST_X_URL is not set". */
function whereLookedFor(info: ServerInfo): string {
  return info.fallback
    ? `no server at ${redactPassword(info.fallback.url)} and ${info.env} is not set`
    : `${info.env} is not set`;
}

/** `url` with its password replaced by `***`, safe to print. */
function redactPassword(url: string): string {
  return url.replace(/^([a-z0-9+.-]+:\/\/[^:/@]*:)[^/]*@/i, "$1***@");
}

const hinted = new Set<ServerKind>();

/** Prints once per kind why its tests are ignored and how to run them. */
function hintOnce(kind: ServerKind): void {
  if (hinted.has(kind)) return;
  hinted.add(kind);
  const info = SERVERS[kind];
  console.info(
    `${info.title} tests ignored: ${whereLookedFor(info)}. ` +
      `To run them: ${info.start}, then deno task test`,
  );
}

/** Options of {@linkcode integrationTest} beyond the name. */
export interface IntegrationTestOptions {
  name: string;
  /** Passed to `Deno.test`; drivers with background timers may need `false`. @default true */
  sanitizeOps?: boolean;
  /** Passed to `Deno.test`; drivers with pooled sockets may need `false`. @default true */
  sanitizeResources?: boolean;
}

/**
 * Declares a test that needs a server of `kind`; `fn` gets its URL.
 *
 * Without a server: in CI (`CI=true`) the test fails for `mysql` and `ferretdb`; otherwise, and always for the
 * optional `mongodb`, it is ignored and a hint is printed once.
 */
export function integrationTest(
  kind: ServerKind,
  nameOrOptions: string | IntegrationTestOptions,
  fn: (url: string, t: Deno.TestContext) => Promise<void>,
): void {
  const { name, sanitizeOps = true, sanitizeResources = true } = typeof nameOrOptions === "string"
    ? { name: nameOrOptions }
    : nameOrOptions;
  const url = serverUrl(kind);
  if (url !== undefined) {
    Deno.test({ name, sanitizeOps, sanitizeResources, fn: (t) => fn(url, t) });
    return;
  }
  const info = SERVERS[kind];
  if (isCi() && info.requiredInCi) {
    const address = info.fallback ? redactPassword(info.fallback.url) : `$${info.env}`;
    Deno.test(name, () => {
      throw new Error(`CI requires ${info.title} at ${address}: .ci/run starts it (or set ${info.env})`);
    });
    return;
  }
  hintOnce(kind);
  Deno.test({ name, ignore: true, fn: () => {} });
}

/**
 * `url` with its database name replaced by `<name>_<suffix>`, so each test file works in a database of its
 * own and files can run concurrently. `<name>` is the URL's database, or `workbench_test` if it has none;
 * the suffix is reduced to letters, digits and `_`. The query string is kept.
 *
 * @example
 * ```ts
 * uniqueDatabaseUrl("mysql://u:p@127.0.0.1:3306/workbench_test", "contract");
 * // "mysql://u:p@127.0.0.1:3306/workbench_test_contract"
 * ```
 */
export function uniqueDatabaseUrl(url: string, suffix: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/i.exec(url);
  if (!match) throw new TypeError(`Cannot make a unique database URL from "${redactPassword(url)}"`);
  const [, authority, path = "", rest] = match;
  const base = decodeURIComponent(path.slice(1)) || "workbench_test";
  const cleanSuffix = suffix.replace(/[^A-Za-z0-9_]+/g, "_");
  if (!cleanSuffix) {
    throw new TypeError(`Cannot make a unique database URL: suffix "${suffix}" has no letters`);
  }
  // MySQL limits database names to 64 characters.
  const name = `${base}_${cleanSuffix}`.slice(0, 64);
  return `${authority}/${name}${rest}`;
}
