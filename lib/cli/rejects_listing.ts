import { parseArgs } from "node:util";
import type { CoercionRow, RejectRow } from "../pipelines/mod.ts";
import { fitLine } from "./fit_text.ts";

/** The options of `deno task rejects`. */
export interface RejectsArgs {
  help: boolean;
  /** The run to list; undefined: the newest run. */
  runId: string | undefined;
  file: string | undefined;
  reason: string | undefined;
  /** Print CSV (file, line, reason, field, value, raw) instead of text, e.g. to fix the rows in a sheet. */
  csv: boolean;
  /** List only the coercions, or leave them out. */
  coercions: "also" | "only" | "none";
  limit: number;
  warehouseUrl: string | undefined;
  stateDir: string;
}

/** Text of `deno task rejects --help`. */
export const REJECTS_HELP = `Lists a run's rejected rows and the values it stored as NULL (or a default).

Usage: deno task rejects [RUN_ID] [options]      (RUN_ID: default the newest run)

  --file NAME          only this input file (e.g. users.csv)
  --reason REASON      only rejects with this reason (e.g. malformed, missing_key)
  --csv                CSV on stdout: file,line,reason,field,value,raw (the raw lines, to fix and reload)
  --coercions          list only the coerced values;  --no-coercions: only the rejects
  --limit N            rows per list (default 1000)
  --warehouse URL      as deno task etl (env WAREHOUSE_URL; default sqlite:.workbench/warehouse.db)
  --state-dir DIR      as deno task etl (env WORKBENCH_STATE_DIR; default .workbench)
  -h, --help           show this help`;

/** Parses `deno task rejects`' command line; a bad option throws a `TypeError` naming it. */
export function parseRejectsArgs(args: string[], env: Record<string, string | undefined> = {}): RejectsArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        file: { type: "string" },
        reason: { type: "string" },
        csv: { type: "boolean" },
        coercions: { type: "boolean" },
        "no-coercions": { type: "boolean" },
        limit: { type: "string" },
        warehouse: { type: "string" },
        "state-dir": { type: "string" },
      },
    });
  } catch (error) {
    throw new TypeError(`${(error as Error).message} (see --help)`, { cause: error });
  }
  const v = parsed.values;
  if (parsed.positionals.length > 1) {
    throw new TypeError(`Give one run id (got ${parsed.positionals.map((p) => `"${p}"`).join(", ")})`);
  }
  const limitText = v.limit ?? "1000";
  if (!/^\d+$/.test(limitText) || Number(limitText) < 1) {
    throw new TypeError(`--limit must be a positive integer (got "${limitText}")`);
  }
  if (v.coercions && v["no-coercions"]) {
    throw new TypeError("--coercions and --no-coercions exclude each other");
  }
  return {
    help: v.help ?? false,
    runId: parsed.positionals[0],
    file: v.file,
    reason: v.reason,
    csv: v.csv ?? false,
    coercions: v.coercions ? "only" : v["no-coercions"] || v.reason ? "none" : "also",
    limit: Number(limitText),
    warehouseUrl: v.warehouse ?? env.WAREHOUSE_URL,
    stateDir: v["state-dir"] ?? env.WORKBENCH_STATE_DIR ?? ".workbench",
  };
}

/** One CSV field, quoted when it must be (RFC 4180). */
export const csvField = (value: string | number | null): string => {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Rejects and coercions as CSV with one header line: `kind,file,line,reason,field,value,stored,raw`. */
export function rejectsCsv(rejects: readonly RejectRow[], coercions: readonly CoercionRow[]): string {
  const rows = [
    ["kind", "file", "line", "reason", "field", "value", "stored", "raw"],
    ...rejects.map((r) => ["reject", r.file, r.line, r.reason, r.field, r.value, null, r.raw]),
    ...coercions.map((c) => ["coercion", c.file, c.line, null, c.field, c.value, c.stored ?? "NULL", null]),
  ];
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/** Rejects and coercions as text for a terminal, each line cut to `columns`. */
export function rejectsText(
  rejects: readonly RejectRow[],
  coercions: readonly CoercionRow[],
  options: { columns?: number; showRejects?: boolean; showCoercions?: boolean } = {},
): string {
  const { columns = Infinity, showRejects = true, showCoercions = true } = options;
  const lines: string[] = [];
  const q = (v: string | null) => v === null ? "NULL" : JSON.stringify(v);
  if (showRejects) {
    lines.push(`${rejects.length.toLocaleString("en-US")} rejects:`);
    for (const r of rejects) {
      lines.push(`${r.file}:${r.line} ${r.reason}${r.field ? ` ${r.field}=${q(r.value)}` : ""}`);
      lines.push(`    ${r.raw ?? ""}`);
    }
  }
  if (showCoercions) {
    lines.push(`${coercions.length.toLocaleString("en-US")} coerced values (stored as NULL or a default):`);
    for (const c of coercions) lines.push(`${c.file}:${c.line} ${c.field} ${q(c.value)} -> ${q(c.stored)}`);
  }
  return lines.map((l) => fitLine(l, Math.max(1, columns - 1))).join("\n");
}
