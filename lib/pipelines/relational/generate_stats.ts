import type { NodeOutcome } from "../../dag/mod.ts";
import type { SqlDialect, Warehouse } from "../../warehouse/mod.ts";
import { type SyncCounts, syncFromSelect } from "../../warehouse/mod.ts";
import { SESSION_CUBE_COLUMNS, SESSION_CUBE_SQL } from "../session_cubes.ts";
import { type ReadRows, readRows, tempTableFromRows } from "../temp_table_from_read.ts";

/** One statistics table: its key, its columns and the query that fills it. */
interface StatsTable {
  table: string;
  keys: string[];
  columns: string[];
  sql: (dialect: SqlDialect) => string;
}

/** The cube every statistic is rolled up from (a few thousand rows): see `session_cubes.ts`. */
const CUBE = "tmp_session_cube";
const CUBE_KEYS = ["country", "subscription_type", "device_type", "month"];

const byDeviceWithin = (group: string, where = "") => (d: SqlDialect) => `
SELECT ${group}, device_type,
       SUM(sessions) AS sessions,
       SUM(minutes) AS minutes,
       ${d.real("SUM(sessions)")} / SUM(SUM(sessions)) OVER (PARTITION BY ${group}) AS share_sessions
FROM ${CUBE}
${where}
GROUP BY ${group}, device_type`;

/** The statistics tables that notebooks and the dashboard chart. */
export const STATS_TABLES: StatsTable[] = [
  {
    table: "stats_device_usage",
    keys: ["device_type"],
    columns: ["device_type", "sessions", "minutes", "share_sessions", "share_minutes", "avg_completion"],
    sql: (d) => `
SELECT dt.device_type AS device_type,
       COALESCE(c.sessions, 0) AS sessions,
       COALESCE(c.minutes, 0) AS minutes,
       ${d.real("COALESCE(c.sessions, 0)")} / NULLIF(t.sessions, 0) AS share_sessions,
       ${d.real("COALESCE(c.minutes, 0)")} / NULLIF(t.minutes, 0) AS share_minutes,
       c.completion_sum / NULLIF(c.completion_count, 0) AS avg_completion
FROM device_types dt
CROSS JOIN (SELECT SUM(sessions) AS sessions, SUM(minutes) AS minutes FROM ${CUBE}) t
LEFT JOIN (
  SELECT device_type, SUM(sessions) AS sessions, SUM(minutes) AS minutes,
         SUM(completion_sum) AS completion_sum, SUM(completion_count) AS completion_count
  FROM ${CUBE} GROUP BY device_type
) c ON c.device_type = dt.device_type`,
  },
  {
    table: "stats_country_device",
    keys: ["country", "device_type"],
    columns: ["country", "device_type", "sessions", "minutes", "share_sessions"],
    sql: byDeviceWithin("country"),
  },
  {
    table: "stats_month_device",
    keys: ["month", "device_type"],
    columns: ["month", "device_type", "sessions", "minutes", "share_sessions"],
    sql: byDeviceWithin("month", "WHERE month IS NOT NULL"),
  },
  {
    table: "stats_subscription_device",
    keys: ["subscription_type", "device_type"],
    columns: ["subscription_type", "device_type", "sessions", "minutes", "share_sessions"],
    sql: byDeviceWithin("subscription_type"),
  },
  {
    table: "stats_country_minutes",
    keys: ["country"],
    columns: ["country", "users", "active_users", "sessions", "minutes", "minutes_per_active_user"],
    // Per-user totals are user_metrics' (validate_data checked them against the sessions).
    sql: (d) => `
SELECT COALESCE(u.country, 'Unknown') AS country,
       COUNT(*) AS users,
       SUM(CASE WHEN m.total_sessions > 0 THEN 1 ELSE 0 END) AS active_users,
       COALESCE(SUM(m.total_sessions), 0) AS sessions,
       COALESCE(SUM(m.total_minutes), 0) AS minutes,
       ${d.real("SUM(m.total_minutes)")} / NULLIF(SUM(CASE WHEN m.total_sessions > 0 THEN 1 ELSE 0 END), 0)
         AS minutes_per_active_user
FROM users u
LEFT JOIN user_metrics m ON m.user_id = u.user_id
GROUP BY COALESCE(u.country, 'Unknown')`,
  },
];

/** The one scan of the sessions (joined to the users) into the cube that every statistic is rolled up from. */
export function readSessionCube(wh: Warehouse): Promise<ReadRows> {
  return readRows(wh, SESSION_CUBE_SQL(wh.sql.quote), SESSION_CUBE_COLUMNS);
}

/**
 * Recomputes every statistics table idempotently: upserts what changed, deletes groups that vanished. One
 * scan of the sessions builds the cube every table is rolled up from; it is a temporary table, so all of
 * it runs in one transaction (MySQL temporary tables belong to a connection).
 */
export async function generateStats(wh: Warehouse, readAhead?: Promise<ReadRows>): Promise<NodeOutcome> {
  // The scan runs beside other nodes (SQLite: on a second connection); the roll-ups read its few rows. The
  // workbench starts it as soon as the sessions are loaded (`readSessionCube`), while validate_data runs.
  const cube = await (readAhead ?? readSessionCube(wh));
  return await wh.transaction(async (tx) => {
    const dropCube = tx.sql.dropTempTable(CUBE);
    await tempTableFromRows(tx, CUBE, CUBE_KEYS, cube, SESSION_CUBE_COLUMNS);
    const results = [];
    for (const stats of STATS_TABLES) {
      results.push(
        await syncFromSelect(tx, stats.table, stats.columns, stats.keys, stats.sql(tx.sql), {
          deleteMissing: true,
        }),
      );
    }
    await tx.execute(dropCube);
    return summarize(results);
  });
}

function summarize(results: SyncCounts[]): NodeOutcome {
  const details: Record<string, unknown> = {};
  let rowsRead = 0;
  let rowsWritten = 0;
  results.forEach((counts, i) => {
    rowsRead += counts.inserted + counts.updated + counts.unchanged;
    rowsWritten += counts.inserted + counts.updated + counts.deleted;
    details[STATS_TABLES[i].table] = counts;
  });
  return { rowsRead, rowsWritten, rowsRejected: 0, details };
}
