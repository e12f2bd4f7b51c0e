import { type Dialect, quoteIdentifier, type Warehouse } from "../warehouse/mod.ts";
import { CONTENT_TABLES } from "./document/content_tables.ts";

/** Bumped whenever a table below changes; `create_schema` records it in `etl_schema`. */
export const SCHEMA_VERSION = 1;

type ColumnType =
  | { kind: "text"; length: number }
  | { kind: "int" }
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "real" }
  | { kind: "date" }
  | { kind: "datetime" }
  | { kind: "longtext" };

/** A column: name, type and whether it may be NULL. */
export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

/** A table as both engines should have it. */
export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  primaryKey: string[];
  indexes?: { name: string; columns: string[] }[];
}

const text = (length: number): ColumnType => ({ kind: "text", length });
const int: ColumnType = { kind: "int" };
const real: ColumnType = { kind: "real" };
const decimal = (precision: number, scale: number): ColumnType => ({ kind: "decimal", precision, scale });
const col = (name: string, type: ColumnType, nullable = false): ColumnSpec => ({ name, type, nullable });

const sessionColumns = [
  col("session_id", text(40)),
  col("user_id", text(32)),
  col("content_id", text(64)),
  col("watch_date", { kind: "datetime" }, true),
  col("watch_duration_minutes", decimal(7, 2)),
  col("completion_percentage", decimal(5, 2), true),
  col("device_type", text(20)),
  col("quality_level", text(4), true),
];
const userColumns = [
  col("user_id", text(32)),
  col("age", int, true),
  col("country", text(100), true),
  col("subscription_type", text(20), true),
  col("registration_date", { kind: "date" }, true),
  col("total_watch_time_hours", decimal(10, 2), true),
];
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
  {
    name: "users",
    columns: userColumns,
    primaryKey: ["user_id"],
    indexes: [{ name: "ix_users_country", columns: ["country"] }],
  },
  {
    name: "viewing_sessions",
    columns: sessionColumns,
    primaryKey: ["session_id"],
    // The favourite-device window function needs (user_id, device_type): without it MariaDB took over 60 s.
    indexes: [{ name: "ix_sessions_user_device", columns: ["user_id", "device_type"] }],
  },
  { name: "stage_users", columns: [col("line", int), ...userColumns], primaryKey: ["line"] },
  { name: "stage_sessions", columns: [col("line", int), ...sessionColumns], primaryKey: ["line"] },
  {
    name: "user_metrics",
    columns: [
      col("user_id", text(32)),
      col("total_sessions", int),
      col("total_minutes", decimal(14, 2)),
      col("avg_minutes", decimal(10, 2), true),
      col("avg_completion", decimal(5, 2), true),
      col("favorite_device", text(20), true),
      col("first_activity", { kind: "datetime" }, true),
      col("last_activity", { kind: "datetime" }, true),
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
      col("options", { kind: "longtext" }, true),
      // Who started the run (cli, notebook, dashboard), where, and why it ended badly (error, abandoned).
      col("source", text(16), true),
      col("host", text(255), true),
      col("pid", int, true),
      col("message", { kind: "longtext" }, true),
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
      col("error", { kind: "longtext" }, true),
      col("details", { kind: "longtext" }, true),
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
      col("value", { kind: "longtext" }, true),
      col("raw", { kind: "longtext" }, true),
    ],
    primaryKey: ["run_id", "file", "line"],
    indexes: [{ name: "ix_rejects_reason", columns: ["run_id", "reason"] }],
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
      col("details", { kind: "longtext" }, true),
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
      col("message", { kind: "longtext" }, true),
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

function columnSql(dialect: Dialect, column: ColumnSpec): string {
  const t = column.type;
  const type = dialect === "mysql"
    ? {
      text: () => `VARCHAR(${(t as { length: number }).length})`,
      int: () => "BIGINT",
      decimal: () => `DECIMAL(${(t as { precision: number }).precision},${(t as { scale: number }).scale})`,
      real: () => "DOUBLE",
      date: () => "DATE",
      datetime: () => "DATETIME",
      longtext: () => "MEDIUMTEXT",
    }[t.kind]()
    : {
      text: "TEXT",
      int: "INTEGER",
      decimal: "REAL",
      real: "REAL",
      date: "TEXT",
      datetime: "TEXT",
      longtext: "TEXT",
    }[t.kind];
  return `${quoteIdentifier(dialect, column.name)} ${type}${column.nullable ? "" : " NOT NULL"}`;
}

/** `CREATE TABLE IF NOT EXISTS` and its indexes, for one engine. Text compares byte-wise on both engines. */
export function createTableSql(dialect: Dialect, table: TableSpec): string[] {
  const q = (name: string) => quoteIdentifier(dialect, name);
  const body = [
    ...table.columns.map((c) => columnSql(dialect, c)),
    `PRIMARY KEY (${table.primaryKey.map(q).join(", ")})`,
  ];
  if (dialect === "mysql") {
    for (const index of table.indexes ?? []) {
      body.push(`INDEX ${q(index.name)} (${index.columns.map(q).join(", ")})`);
    }
    // utf8mb4_bin: keys compare like SQLite's (case-sensitive), so both engines load the same rows.
    return [
      `CREATE TABLE IF NOT EXISTS ${q(table.name)} (\n  ${
        body.join(",\n  ")
      }\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    ];
  }
  return [
    `CREATE TABLE IF NOT EXISTS ${q(table.name)} (\n  ${body.join(",\n  ")}\n)`,
    ...(table.indexes ?? []).map((index) =>
      `CREATE INDEX IF NOT EXISTS ${q(index.name)} ON ${q(table.name)} (${index.columns.map(q).join(", ")})`
    ),
  ];
}

/** Creates the given tables if missing, and their secondary indexes if missing. */
export async function ensureTables(wh: Warehouse, tables: readonly TableSpec[]): Promise<void> {
  for (const table of tables) {
    for (const statement of createTableSql(wh.dialect, table)) await wh.execute(statement);
    if (wh.dialect === "mysql") await ensureIndexes(wh, table);
  }
}

async function indexNames(wh: Warehouse, table: TableSpec): Promise<Set<string>> {
  const rows = await wh.query<{ name: string }>(
    wh.dialect === "mysql"
      ? `SELECT DISTINCT index_name AS name FROM information_schema.statistics
         WHERE table_schema = DATABASE() AND table_name = ?`
      : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
    [table.name],
  );
  return new Set(rows.map((r) => r.name));
}

/** Creates the secondary indexes of a table that are missing (MySQL has no `CREATE INDEX IF NOT EXISTS`). */
export async function ensureIndexes(wh: Warehouse, table: TableSpec): Promise<void> {
  if (!table.indexes?.length) return;
  const q = (name: string) => quoteIdentifier(wh.dialect, name);
  const existing = await indexNames(wh, table);
  for (const index of table.indexes) {
    if (existing.has(index.name)) continue;
    await wh.execute(
      `CREATE INDEX ${q(index.name)} ON ${q(table.name)} (${index.columns.map(q).join(", ")})`,
    );
  }
}

/**
 * Runs `load` on a table without its secondary indexes, then builds them again, even when `load` fails:
 * building an index once over sorted keys is about twice as fast as maintaining it row by row in a bulk
 * load. (A process killed in between leaves them missing; `ensureTables` puts them back.)
 */
export async function withoutSecondaryIndexes<T>(
  wh: Warehouse,
  table: TableSpec,
  load: () => Promise<T>,
): Promise<T> {
  const q = (name: string) => quoteIdentifier(wh.dialect, name);
  const existing = await indexNames(wh, table);
  for (const index of table.indexes ?? []) {
    if (!existing.has(index.name)) continue;
    await wh.execute(
      wh.dialect === "mysql"
        ? `DROP INDEX ${q(index.name)} ON ${q(table.name)}`
        : `DROP INDEX ${q(index.name)}`,
    );
  }
  try {
    return await load();
  } finally {
    await ensureIndexes(wh, table);
  }
}

/** Drops the given tables if present. */
export async function dropTables(wh: Warehouse, tables: readonly TableSpec[]): Promise<void> {
  for (const table of [...tables].reverse()) {
    await wh.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(wh.dialect, table.name)}`);
  }
}
