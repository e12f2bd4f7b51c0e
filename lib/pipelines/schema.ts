import {
  col,
  type ColumnSpec,
  datetime,
  decimal,
  int,
  longtext,
  real,
  type TableSpec,
  text,
  type Warehouse,
} from "../warehouse/mod.ts";
import { INPUTS, tableColumns, USERS_INPUT } from "../contract/mod.ts";
import { CONTENT_TABLES } from "./document/content_tables.ts";
import { PARTITION_TABLES } from "./relational/partition_tables.ts";

/**
 * Bumped whenever a table below changes; `create_schema` records it in `etl_schema`, and recreates the data
 * tables of an older version. 2: `ix_sessions_user_device` covers the columns `user_metrics` sums.
 */
export const SCHEMA_VERSION = 2;

export type { ColumnSpec, TableSpec } from "../warehouse/mod.ts";

const userId = tableColumns(USERS_INPUT).find((c) => c.name === USERS_INPUT.key)!;
const countsBy = (name: string, keys: ColumnSpec[]): TableSpec => ({
  name,
  columns: [...keys, col("sessions", int), col("minutes", decimal(14, 2)), col("share_sessions", real)],
  primaryKey: keys.map((k) => k.name),
});

/** The data tables that `create_schema` owns (and `--fresh` drops). */
export const DATA_TABLES: TableSpec[] = [
  {
    name: "device_types",
    columns: [col("device_type", text(20)), col("sort_order", int)],
    primaryKey: ["device_type"],
  },
  {
    name: "subscription_types",
    columns: [col("subscription_type", text(20)), col("monthly_price", decimal(6, 2))],
    primaryKey: ["subscription_type"],
  },
  ...INPUTS.map((input): TableSpec => ({
    name: input.table,
    columns: tableColumns(input),
    primaryKey: [input.key],
    indexes: input.indexes,
  })),
  // Staging: accepted rows with their line number, before the upsert of the last row of each key.
  ...INPUTS.map((input): TableSpec => ({
    name: input.stage,
    columns: [col("line", int), ...tableColumns(input)],
    primaryKey: ["line"],
  })),
  {
    name: "user_metrics",
    columns: [
      userId,
      col("total_sessions", int),
      col("total_minutes", decimal(14, 2)),
      col("avg_minutes", decimal(10, 2), true),
      col("avg_completion", decimal(5, 2), true),
      col("favorite_device", text(20), true),
      col("first_activity", datetime, true),
      col("last_activity", datetime, true),
    ],
    primaryKey: ["user_id"],
  },
  {
    name: "stats_device_usage",
    columns: [
      col("device_type", text(20)),
      col("sessions", int),
      col("minutes", decimal(14, 2)),
      col("share_sessions", real),
      col("share_minutes", real),
      col("avg_completion", decimal(5, 2), true),
    ],
    primaryKey: ["device_type"],
  },
  countsBy("stats_country_device", [col("country", text(100)), col("device_type", text(20))]),
  countsBy("stats_month_device", [col("month", text(7)), col("device_type", text(20))]),
  countsBy("stats_subscription_device", [col("subscription_type", text(20)), col("device_type", text(20))]),
  {
    name: "stats_country_minutes",
    columns: [
      col("country", text(100)),
      col("users", int),
      col("active_users", int),
      col("sessions", int),
      col("minutes", decimal(14, 2)),
      col("minutes_per_active_user", real, true),
    ],
    primaryKey: ["country"],
  },
  ...CONTENT_TABLES,
  ...PARTITION_TABLES,
];

/** Run bookkeeping, created before any run is recorded; `--fresh` keeps the history. */
export const RUN_TABLES: TableSpec[] = [
  {
    name: "etl_schema",
    columns: [col("id", int), col("version", int), col("applied_at", text(32))],
    primaryKey: ["id"],
  },
  {
    name: "etl_runs",
    columns: [
      col("run_id", text(64)),
      col("status", text(16)),
      col("started_at", text(32)),
      col("finished_at", text(32), true),
      col("options", longtext, true),
      // Who started the run (cli, notebook, dashboard), where, and why it ended badly (error, abandoned).
      col("source", text(16), true),
      col("host", text(255), true),
      col("pid", int, true),
      col("message", longtext, true),
    ],
    primaryKey: ["run_id"],
    indexes: [{ name: "ix_runs_status", columns: ["status", "started_at"] }],
  },
  {
    name: "etl_node_runs",
    columns: [
      col("run_id", text(64)),
      col("node_id", text(64)),
      col("status", text(16)),
      col("started_at", text(32), true),
      col("finished_at", text(32), true),
      col("duration_ms", int, true),
      col("attempts", int),
      col("rows_read", int),
      col("rows_written", int),
      col("rows_rejected", int),
      col("error", longtext, true),
      col("details", longtext, true),
    ],
    primaryKey: ["run_id", "node_id"],
  },
  {
    name: "etl_rejects",
    columns: [
      col("run_id", text(64)),
      col("file", text(255)),
      col("line", int),
      col("reason", text(32)),
      col("field", text(64), true),
      col("value", longtext, true),
      col("raw", longtext, true),
    ],
    primaryKey: ["run_id", "file", "line"],
    indexes: [{ name: "ix_rejects_reason", columns: ["run_id", "reason"] }],
  },
  {
    // Values stored as NULL (or a default) instead of what the file said; capped per file and field.
    name: "etl_coercions",
    columns: [
      col("run_id", text(64)),
      col("file", text(255)),
      col("line", int),
      col("field", text(64)),
      col("value", { kind: "longtext" }, true),
      col("stored", { kind: "longtext" }, true),
    ],
    primaryKey: ["run_id", "file", "line", "field"],
  },
  {
    name: "etl_file_stats",
    columns: [
      col("run_id", text(64)),
      col("file", text(255)),
      col("rows_read", int),
      col("rows_loaded", int),
      col("rows_rejected", int),
      col("rows_duplicate", int),
      col("details", longtext, true),
    ],
    primaryKey: ["run_id", "file"],
  },
  {
    name: "etl_checks",
    columns: [
      col("run_id", text(64)),
      col("check_name", text(64)),
      col("status", text(8)),
      col("observed", text(255), true),
      col("expected", text(255), true),
      col("message", longtext, true),
    ],
    primaryKey: ["run_id", "check_name"],
  },
  // The live channel (lib/pipelines/live_run.ts). On SQLite these two live in a sidecar database beside the
  // warehouse, because a load's write transaction would hold back every heartbeat written to the same file.
  {
    // One row per warehouse ("run"): who may run now, and the heartbeat that proves they are still alive.
    name: "etl_lease",
    columns: [
      col("name", text(16)),
      col("run_id", text(64), true),
      col("source", text(16), true),
      col("host", text(255), true),
      col("pid", int, true),
      col("acquired_at", text(32), true),
      col("heartbeat_at", text(32), true),
    ],
    primaryKey: ["name"],
  },
  {
    // The live state of the latest runs: a row per run (node_id "") and per node run, small and rewritten.
    name: "etl_live",
    columns: [
      col("run_id", text(64)),
      col("node_id", text(64)),
      col("status", text(16)),
      col("started_at", text(32), true),
      col("finished_at", text(32), true),
      col("attempts", int),
      col("rows_read", int),
      col("rows_written", int),
      col("rows_rejected", int),
      col("total_rows", int, true),
      col("error", { kind: "longtext" }, true),
      col("info", { kind: "longtext" }, true),
    ],
    primaryKey: ["run_id", "node_id"],
  },
];

/**
 * Tables whose DDL runs at once (one per pooled connection; SQLite's one writer takes them in turn): each
 * statement waits for the server's commit of the data dictionary, not for the others.
 */
const DDL_CONCURRENCY = 3;

/** Runs `each` on every table, at most {@linkcode DDL_CONCURRENCY} at a time; rejects with the first error. */
async function forTables(tables: readonly TableSpec[], each: (table: TableSpec) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < tables.length) await each(tables[next++]);
  };
  const lanes = Array.from({ length: Math.min(DDL_CONCURRENCY, tables.length) }, lane);
  const settled = await Promise.allSettled(lanes);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** Creates the given tables if missing, and their secondary indexes if missing. */
export async function ensureTables(wh: Warehouse, tables: readonly TableSpec[]): Promise<void> {
  await forTables(tables, async (table) => {
    for (const statement of wh.sql.createTable(table)) await wh.execute(statement);
    if (!wh.sql.createTableAddsMissingIndexes) await ensureIndexes(wh, table);
  });
}

/** Names of the indexes a table has (the primary key's included on MySQL). */
export async function indexNames(wh: Warehouse, table: TableSpec): Promise<Set<string>> {
  const rows = await wh.query<{ name: string }>(wh.sql.indexNamesSql, [table.name]);
  return new Set(rows.map((r) => r.name));
}

/** Creates the secondary indexes of a table that are missing. */
export async function ensureIndexes(wh: Warehouse, table: TableSpec): Promise<void> {
  if (!table.indexes?.length) return;
  const existing = await indexNames(wh, table);
  for (const index of table.indexes) {
    if (!existing.has(index.name)) await wh.execute(wh.sql.createIndex(table.name, index));
  }
}

/**
 * Runs `load` on a table without its secondary indexes, then builds them again, even when `load` fails:
 * building an index once over sorted keys is about twice as fast as maintaining it row by row in a bulk
 * load. (A process killed in between leaves them missing; `ensureTables` puts them back.) On a cluster
 * (`wh.traits.cluster`) the indexes stay: there DDL is total-order, stalling every node's commits, and a crash
 * in between would leave every node without them.
 */
export async function withoutSecondaryIndexes<T>(
  wh: Warehouse,
  table: TableSpec,
  load: () => Promise<T>,
): Promise<T> {
  if (wh.traits?.cluster) return await load();
  const existing = await indexNames(wh, table);
  for (const index of table.indexes ?? []) {
    if (existing.has(index.name)) await wh.execute(wh.sql.dropIndex(table.name, index.name));
  }
  try {
    return await load();
  } finally {
    await ensureIndexes(wh, table);
  }
}

/** Drops the given tables if present. */
export async function dropTables(wh: Warehouse, tables: readonly TableSpec[]): Promise<void> {
  // No table refers to another (no foreign keys), so they drop in any order.
  await forTables(tables, (table) => wh.execute(wh.sql.dropTable(table.name)).then(() => {}));
}
