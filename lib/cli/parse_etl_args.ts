import { parseArgs } from "node:util";
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
    fullRefresh: v["full-refresh"] ?? false,
    partitions: v.partitions === undefined ? undefined : parsePartitionRange(v.partitions),
  };
}
