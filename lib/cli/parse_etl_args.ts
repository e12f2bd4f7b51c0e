import { parseArgs } from "node:util";

/** The options of `deno task etl`, after defaults from the environment. */
export interface EtlArgs {
  help: boolean;
  dataDir: string;
  /** True when neither `--data` nor `DATA_DIR` was given (the default folder may be generated). */
  dataDirIsDefault: boolean;
  warehouseUrl: string | undefined;
  docstoreUrl: string | undefined;
  stateDir: string;
  batchSize: number;
  fresh: boolean;
  purge: boolean;
  resume: boolean;
  from: string | undefined;
  only: string[] | undefined;
  json: boolean;
  concurrency: number;
  missingWatchDateLimit: number;
  /** Queue behind a live run instead of refusing to start. */
  wait: boolean;
  /** A run whose heartbeat is older than this is abandoned (`--lease-timeout` / `WORKBENCH_LEASE_TIMEOUT` in s). */
  leaseTimeoutMs: number;
}

/** Text of `deno task etl --help`. */
export const ETL_HELP =
  `Runs the ETL workbench's DAG: users and sessions into the warehouse, content into the document store.

Usage: deno task etl [options]

  --data DIR              input folder (env DATA_DIR; default data/, generated if missing)
  --warehouse URL         sqlite:PATH or mysql://user:pass@host:port/db (env WAREHOUSE_URL;
                          default sqlite:.workbench/warehouse.db)
  --docstore URL          embedded:PATH or mongodb://host:port/db (env DOCSTORE_URL;
                          default embedded:.workbench/docstore)
  --state-dir DIR         the workbench's state folder (env WORKBENCH_STATE_DIR; default .workbench)
  --batch-size N          rows per batch (default 1000)
  --fresh                 drop and recreate the data tables first
  --purge                 empty the content collection before loading it
  --resume                rerun only what failed or was skipped last time, and what depends on it
  --from NODE             rerun NODE and everything downstream
  --only NODE,...         run exactly these nodes
  --concurrency N         nodes running at once (default 2)
  --missing-watch-date-limit PCT
                          fail validate_data above this % of sessions without a date (default 5)
  --wait                  wait for a run live on the warehouse to end, instead of refusing to start
  --lease-timeout S       a run without a heartbeat for S seconds is abandoned and its lease can be
                          taken (env WORKBENCH_LEASE_TIMEOUT; default 15)
  --json                  print a machine-readable summary on stdout
  -h, --help              show this help`;

/**
 * Parses the command line and the environment. Bad values throw a `TypeError` with one sentence that names
 * the option.
 */
export function parseEtlArgs(args: string[], env: Record<string, string | undefined> = {}): EtlArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        data: { type: "string" },
        warehouse: { type: "string" },
        docstore: { type: "string" },
        "state-dir": { type: "string" },
        "batch-size": { type: "string" },
        fresh: { type: "boolean" },
        purge: { type: "boolean" },
        resume: { type: "boolean" },
        from: { type: "string" },
        only: { type: "string" },
        json: { type: "boolean" },
        concurrency: { type: "string" },
        "missing-watch-date-limit": { type: "string" },
        wait: { type: "boolean" },
        "lease-timeout": { type: "string" },
      },
    });
  } catch (error) {
    throw new TypeError(`${(error as Error).message} (see --help)`, { cause: error });
  }
  const v = parsed.values;
  const positiveInt = (name: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < 1) {
      throw new TypeError(`--${name} must be a positive integer (got "${text}")`);
    }
    return n;
  };
  const limitText = v["missing-watch-date-limit"];
  const limit = limitText === undefined ? 5 : Number(limitText);
  if (!Number.isFinite(limit) || limit < 0 || limit > 100) {
    throw new TypeError(`--missing-watch-date-limit must be a percentage from 0 to 100 (got "${limitText}")`);
  }
  const timeoutText = v["lease-timeout"] ?? env.WORKBENCH_LEASE_TIMEOUT;
  const timeout = timeoutText === undefined ? 15 : Number(timeoutText);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeoutText?.trim() === "") {
    throw new TypeError(`--lease-timeout must be a positive number of seconds (got "${timeoutText}")`);
  }
  if (v.resume && (v.from || v.only)) {
    throw new TypeError("--resume cannot be combined with --from or --only");
  }
  const dataDir = v.data ?? env.DATA_DIR;
  return {
    help: v.help ?? false,
    dataDir: dataDir ?? "data",
    dataDirIsDefault: dataDir === undefined,
    warehouseUrl: v.warehouse ?? env.WAREHOUSE_URL,
    docstoreUrl: v.docstore ?? env.DOCSTORE_URL,
    stateDir: v["state-dir"] ?? env.WORKBENCH_STATE_DIR ?? ".workbench",
    batchSize: positiveInt("batch-size", v["batch-size"], 1000),
    fresh: v.fresh ?? false,
    purge: v.purge ?? false,
    resume: v.resume ?? false,
    from: v.from,
    only: v.only?.split(",").map((s) => s.trim()).filter(Boolean),
    json: v.json ?? false,
    concurrency: positiveInt("concurrency", v.concurrency, 2),
    missingWatchDateLimit: limit / 100,
    wait: v.wait ?? false,
    leaseTimeoutMs: Math.round(timeout * 1000),
  };
}
