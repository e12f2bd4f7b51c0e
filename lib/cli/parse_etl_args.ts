import { parseArgs } from "node:util";
import { CSV_ENCODINGS, type CsvEncoding } from "../extract/mod.ts";
import { parsePartitionRange } from "./parse_partition_range.ts";

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
  encoding: CsvEncoding;
  maxLineBytes: number;
  /** Wall-clock budget for retrying a node's transient errors, in milliseconds. */
  retryBudgetMs: number;
  /** Share of a file's rows that may be rejected before its load fails (`--max-reject-rate`, in %). */
  maxRejectRate: number;
  /** Drop in a file's rows read since its previous successful load that warns (`--max-volume-drop`, in %). */
  maxVolumeDrop: number;
  /** Queue behind a live run instead of refusing to start. */
  wait: boolean;
  /** A run whose heartbeat is older than this is abandoned (`--lease-timeout` / `WORKBENCH_LEASE_TIMEOUT` in s). */
  leaseTimeoutMs: number;
  /** A partitioned dataset: reload every file and recompute every derived table. */
  fullRefresh: boolean;
  /** A partitioned dataset: reload only these partitions (`--partitions FROM..TO`). */
  partitions: [string, string] | undefined;
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
  --encoding NAME         encoding of the CSV files: utf-8 (strict, the default: a line that is
                          not UTF-8 is rejected bad_encoding), latin1 or windows-1252
  --max-line-bytes N      reject CSV lines longer than N bytes as line_too_long (default 1048576)
  --retry-budget S        seconds to retry a node's transient errors, e.g. a database restarting
                          (env WORKBENCH_RETRY_BUDGET; default 60)
  --max-reject-rate PCT   fail a load above this % of its file's rows rejected (default 5; warns above 1)
  --max-volume-drop PCT   warn in validate_data when a file has this % fewer rows than at its previous
                          successful load (default 50)
  --wait                  wait for a run live on the warehouse to end, instead of refusing to start
  --lease-timeout S       a run without a heartbeat for S seconds is abandoned and its lease can be
                          taken (env WORKBENCH_LEASE_TIMEOUT; default 15)
  --full-refresh          partitioned sessions (viewing_sessions/): reload every file, recompute everything
  --partitions FROM..TO   partitioned sessions: reload only these days, e.g. 2024-09-01..2024-09-07
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
        "full-refresh": { type: "boolean" },
        partitions: { type: "string" },
        concurrency: { type: "string" },
        "missing-watch-date-limit": { type: "string" },
        encoding: { type: "string" },
        "max-line-bytes": { type: "string" },
        "retry-budget": { type: "string" },
        "max-reject-rate": { type: "string" },
        "max-volume-drop": { type: "string" },
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
  const percentage = (
    name: "missing-watch-date-limit" | "max-reject-rate" | "max-volume-drop",
    fallback: number,
  ) => {
    const text = v[name];
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(n) || n < 0 || n > 100 || text?.trim() === "") {
      throw new TypeError(`--${name} must be a percentage from 0 to 100 (got "${text}")`);
    }
    return n / 100;
  };
  const limit = percentage("missing-watch-date-limit", 5) * 100;
  const timeoutText = v["lease-timeout"] ?? env.WORKBENCH_LEASE_TIMEOUT;
  const timeout = timeoutText === undefined ? 15 : Number(timeoutText);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeoutText?.trim() === "") {
    throw new TypeError(`--lease-timeout must be a positive number of seconds (got "${timeoutText}")`);
  }
  if (v.resume && (v.from || v.only)) {
    throw new TypeError("--resume cannot be combined with --from or --only");
  }
  const encoding = (v.encoding ?? "utf-8").toLowerCase().replace(/^utf8$/, "utf-8");
  if (!(CSV_ENCODINGS as readonly string[]).includes(encoding)) {
    throw new TypeError(`--encoding must be one of ${CSV_ENCODINGS.join(", ")} (got "${v.encoding}")`);
  }
  const budgetText = v["retry-budget"] ?? env.WORKBENCH_RETRY_BUDGET;
  const budget = budgetText === undefined ? 60 : Number(budgetText);
  if (!Number.isFinite(budget) || budget < 0 || budgetText?.trim() === "") {
    throw new TypeError(`--retry-budget must be a number of seconds, 0 or more (got "${budgetText}")`);
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
    encoding: encoding as CsvEncoding,
    maxLineBytes: positiveInt("max-line-bytes", v["max-line-bytes"], 1_048_576),
    retryBudgetMs: Math.round(budget * 1000),
    maxRejectRate: percentage("max-reject-rate", 5),
    maxVolumeDrop: percentage("max-volume-drop", 50),
    wait: v.wait ?? false,
    leaseTimeoutMs: Math.round(timeout * 1000),
    fullRefresh: v["full-refresh"] ?? false,
    partitions: v.partitions === undefined ? undefined : parsePartitionRange(v.partitions),
  };
}
