import { normalizeOrigin } from "../server/origin_guard.ts";
import { type EtlArgs, parseEtlArgs } from "./parse_etl_args.ts";

/** The options of `deno task serve`: the store and data options of `deno task etl`, plus where to listen. */
export interface ServeArgs extends
  Pick<
    EtlArgs,
    | "help"
    | "dataDir"
    | "dataDirIsDefault"
    | "warehouseUrl"
    | "docstoreUrl"
    | "stateDir"
    | "concurrency"
    | "leaseTimeoutMs"
  > {
  hostname: string;
  port: number;
  missingWatchDateLimit: number;
  /** Required on mutating requests when set (`WORKBENCH_TOKEN`). */
  token: string | undefined;
  /** Where to POST a notice when a run ends in error (`NOTIFY_WEBHOOK_URL`). */
  webhookUrl: string | undefined;
  /** Origins whose pages may call the API (`--cors-origin`, `WORKBENCH_CORS_ORIGINS`). */
  corsOrigins: string[];
  /** Host names accepted in requests besides loopback names and IP literals (`--allowed-host`). */
  allowedHosts: string[];
}

/** Text of `deno task serve --help`. */
export const SERVE_HELP = `Serves the ETL workbench's status API and live dashboard.

Usage: deno task serve [options]

  --host ADDR             address to listen on (env WORKBENCH_HOST; default 127.0.0.1); any other than
                          loopback needs WORKBENCH_TOKEN, which every mutating request must then carry
  --port N                port (env PORT; default 8000; 0 picks a free one)
  --allowed-host NAME     a host name the server is reached by, besides localhost and IP addresses
                          (repeatable or comma-separated; env WORKBENCH_ALLOWED_HOSTS); requests naming
                          any other host are refused with 421, which keeps DNS-rebinding pages out
  --data DIR              input folder (env DATA_DIR; default data/, generated if missing)
  --warehouse URL         sqlite:PATH or mysql://user:pass@host:port/db (env WAREHOUSE_URL)
  --docstore URL          embedded:PATH or mongodb://host:port/db (env DOCSTORE_URL)
  --state-dir DIR         the workbench's state folder (env WORKBENCH_STATE_DIR; default .workbench)
  --concurrency N         nodes running at once (default 2)
  --cors-origin URL       let pages of this origin call the API, e.g. the original client's
                          http://localhost:5173 (repeatable; env WORKBENCH_CORS_ORIGINS, comma-separated)
  --missing-watch-date-limit PCT
                          fail validate_data above this % of sessions without a date (default 5)
  --lease-timeout S       a run without a heartbeat for S seconds is shown abandoned (env
                          WORKBENCH_LEASE_TIMEOUT; default 15)
  -h, --help              show this help

Environment: WORKBENCH_TOKEN (token for Start and Reset), NOTIFY_WEBHOOK_URL (a Slack-compatible webhook
told when a run ends in error). Batch size, --fresh and which pipelines to run are chosen per run.`;

/** Options of `deno task etl` that a run started from the dashboard sets itself, or that make no sense here. */
const ETL_ONLY = ["json", "resume", "from", "only", "fresh", "purge", "batch-size", "wait"];

/** Whether `hostname` only accepts connections from this machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Parses the command line and environment of `deno task serve`, reusing `parseEtlArgs` for the options
 * both commands share. Bad values throw a `TypeError` with one sentence naming the option.
 */
export function parseServeArgs(args: string[], env: Record<string, string | undefined> = {}): ServeArgs {
  const rest: string[] = [];
  let hostname = env.WORKBENCH_HOST ?? "127.0.0.1";
  let portText = env.PORT ?? "8000";
  const corsOrigins = (env.WORKBENCH_CORS_ORIGINS ?? "").split(/[,\s]+/).filter(Boolean)
    .map(normalizeOrigin);
  const allowedHosts = (env.WORKBENCH_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    if (flag === "--cors-origin") {
      const value = inline ?? args[++i];
      if (value === undefined || value === "") throw new TypeError(`${flag} needs a URL (see --help)`);
      corsOrigins.push(normalizeOrigin(value));
      continue;
    }
    if (flag === "--host" || flag === "--port" || flag === "--allowed-host") {
      const value = inline ?? args[++i];
      if (value === undefined || value === "") throw new TypeError(`${flag} needs a value (see --help)`);
      if (flag === "--allowed-host") {
        allowedHosts.push(...value.split(",").map((h) => h.trim()).filter(Boolean));
      } else if (flag === "--host") hostname = value;
      else portText = value;
      continue;
    }
    const name = flag.replace(/^--/, "");
    if (flag.startsWith("--") && ETL_ONLY.includes(name)) {
      throw new TypeError(
        `--${name} is not an option of deno task serve: Start sets it per run (see --help)`,
      );
    }
    rest.push(args[i]);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new TypeError(`--port must be a whole number from 0 to 65535 (got "${portText}")`);
  }
  const etl = parseEtlArgs(rest, env);
  return {
    help: etl.help,
    dataDir: etl.dataDir,
    dataDirIsDefault: etl.dataDirIsDefault,
    warehouseUrl: etl.warehouseUrl,
    docstoreUrl: etl.docstoreUrl,
    stateDir: etl.stateDir,
    concurrency: etl.concurrency,
    missingWatchDateLimit: etl.missingWatchDateLimit,
    leaseTimeoutMs: etl.leaseTimeoutMs,
    hostname,
    port,
    token: env.WORKBENCH_TOKEN || undefined,
    webhookUrl: env.NOTIFY_WEBHOOK_URL || undefined,
    corsOrigins: [...new Set(corsOrigins)],
    allowedHosts,
  };
}

/** Why the server must not start with these options, or undefined when it may. */
export function refuseToServe(args: Pick<ServeArgs, "hostname" | "token">): string | undefined {
  if (!isLoopback(args.hostname) && !args.token) {
    return `Cannot listen on "${args.hostname}" without a token: set WORKBENCH_TOKEN, ` +
      "or listen on 127.0.0.1 (the default)";
  }
  return undefined;
}
