import type { NodeOutcome } from "../../dag/mod.ts";
import type { Dialect, Warehouse } from "../../warehouse/mod.ts";
import { asReal, syncFromSelect } from "../sql_dialect.ts";

/** One statistics table: its key, its columns and the query that fills it. */
interface StatsTable {
  table: string;
  keys: string[];
  columns: string[];
  sql: (dialect: Dialect) => string;
}

const byDeviceWithin = (group: string, groupExpr: string, from: string, where = "") => (d: Dialect) => `
SELECT ${groupExpr} AS ${group}, s.device_type AS device_type,
       COUNT(*) AS sessions,
       SUM(s.watch_duration_minutes) AS minutes,
       ${asReal(d, "COUNT(*)")} / SUM(COUNT(*)) OVER (PARTITION BY ${groupExpr}) AS share_sessions
FROM ${from}
${where}
GROUP BY ${groupExpr}, s.device_type`;

const sessionsWithUsers = "viewing_sessions s JOIN users u ON u.user_id = s.user_id";

/** The statistics tables that notebooks and the dashboard chart. */
export const STATS_TABLES: StatsTable[] = [
  {
    table: "stats_device_usage",
    keys: ["device_type"],
    columns: ["device_type", "sessions", "minutes", "share_sessions", "share_minutes", "avg_completion"],
    sql: (d) => `
SELECT dt.device_type AS device_type,
       COUNT(s.session_id) AS sessions,
       COALESCE(SUM(s.watch_duration_minutes), 0) AS minutes,
       ${asReal(d, "COUNT(s.session_id)")} / NULLIF(t.sessions, 0) AS share_sessions,
       ${asReal(d, "COALESCE(SUM(s.watch_duration_minutes), 0)")} / NULLIF(t.minutes, 0) AS share_minutes,
       AVG(s.completion_percentage) AS avg_completion
FROM device_types dt
CROSS JOIN (SELECT COUNT(*) AS sessions, SUM(watch_duration_minutes) AS minutes FROM viewing_sessions) t
LEFT JOIN viewing_sessions s ON s.device_type = dt.device_type
GROUP BY dt.device_type, t.sessions, t.minutes`,
  },
  {
    table: "stats_country_device",
    keys: ["country", "device_type"],
    columns: ["country", "device_type", "sessions", "minutes", "share_sessions"],
    sql: byDeviceWithin("country", "COALESCE(u.country, 'Unknown')", sessionsWithUsers),
  },
  {
    table: "stats_month_device",
    keys: ["month", "device_type"],
    columns: ["month", "device_type", "sessions", "minutes", "share_sessions"],
    // SUBSTR of a DATETIME reads its text form on MySQL, so one expression serves both engines.
    sql: byDeviceWithin(
      "month",
      "SUBSTR(s.watch_date, 1, 7)",
      "viewing_sessions s",
      "WHERE s.watch_date IS NOT NULL",
    ),
  },
  {
    table: "stats_subscription_device",
    keys: ["subscription_type", "device_type"],
    columns: ["subscription_type", "device_type", "sessions", "minutes", "share_sessions"],
    sql: byDeviceWithin("subscription_type", "COALESCE(u.subscription_type, 'Unknown')", sessionsWithUsers),
  },
  {
    table: "stats_country_minutes",
    keys: ["country"],
    columns: ["country", "users", "active_users", "sessions", "minutes", "minutes_per_active_user"],
    sql: (d) => `
SELECT COALESCE(u.country, 'Unknown') AS country,
       COUNT(*) AS users,
       SUM(CASE WHEN a.sessions IS NULL THEN 0 ELSE 1 END) AS active_users,
       COALESCE(SUM(a.sessions), 0) AS sessions,
       COALESCE(SUM(a.minutes), 0) AS minutes,
       ${asReal(d, "SUM(a.minutes)")} / NULLIF(SUM(CASE WHEN a.sessions IS NULL THEN 0 ELSE 1 END), 0)
         AS minutes_per_active_user
FROM users u
LEFT JOIN (
  SELECT user_id, COUNT(*) AS sessions, SUM(watch_duration_minutes) AS minutes
  FROM viewing_sessions GROUP BY user_id
) a ON a.user_id = u.user_id
GROUP BY COALESCE(u.country, 'Unknown')`,
  },
];

/**
 * Recomputes every statistics table idempotently: upserts what changed, deletes groups that vanished. The
 * tables are independent, so they are computed at the same time (on MySQL each on a pooled connection).
 */
export async function generateStats(wh: Warehouse): Promise<NodeOutcome> {
  const results = await Promise.all(
    STATS_TABLES.map((stats) =>
      syncFromSelect(wh, stats.table, stats.columns, stats.keys, stats.sql(wh.dialect), {
        deleteMissing: true,
      })
    ),
  );
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
