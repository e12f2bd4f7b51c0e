import type { NodeOutcome } from "../../dag/mod.ts";
import { syncFromSelect, type Warehouse } from "../../warehouse/mod.ts";

/** Columns of `user_metrics`, in table order. */
export const USER_METRICS_COLUMNS = [
  "user_id",
  "total_sessions",
  "total_minutes",
  "avg_minutes",
  "avg_completion",
  "favorite_device",
  "first_activity",
  "last_activity",
] as const;

/**
 * One row per user, sessions or not (data contract, section 7), from one pass over the sessions: they are
 * grouped per (user_id, device_type), in the order of the covering index of that name (streamed, no
 * temporary table), and each user's totals and favourite device come from those few rows per user by window
 * functions. The favourite device has the most sessions; ties go to the name first in alphabetical order
 * (byte order: both engines compare text that way here). The average completion is over the sessions that
 * have one, as AVG would take it.
 */
export const USER_METRICS_SQL = `
SELECT u.user_id AS user_id,
       COALESCE(a.total_sessions, 0) AS total_sessions,
       COALESCE(a.total_minutes, 0) AS total_minutes,
       a.total_minutes / a.total_sessions AS avg_minutes,
       a.completion_sum / NULLIF(a.completion_count, 0) AS avg_completion,
       a.device_type AS favorite_device,
       a.first_activity AS first_activity,
       a.last_activity AS last_activity
FROM users u
LEFT JOIN (
  SELECT user_id, device_type,
         SUM(sessions) OVER (PARTITION BY user_id) AS total_sessions,
         SUM(minutes) OVER (PARTITION BY user_id) AS total_minutes,
         SUM(completion_sum) OVER (PARTITION BY user_id) AS completion_sum,
         SUM(completion_count) OVER (PARTITION BY user_id) AS completion_count,
         MIN(first_activity) OVER (PARTITION BY user_id) AS first_activity,
         MAX(last_activity) OVER (PARTITION BY user_id) AS last_activity,
         ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY sessions DESC, device_type ASC) AS rn
  FROM (
    SELECT user_id, device_type,
           COUNT(*) AS sessions,
           SUM(watch_duration_minutes) AS minutes,
           SUM(completion_percentage) AS completion_sum,
           COUNT(completion_percentage) AS completion_count,
           MIN(watch_date) AS first_activity,
           MAX(watch_date) AS last_activity
    FROM viewing_sessions
    GROUP BY user_id, device_type
  ) per_device
) a ON a.user_id = u.user_id AND a.rn = 1`;

/** Recomputes `user_metrics` set-based and idempotently: unchanged users are not rewritten. */
export async function createUserMetrics(wh: Warehouse): Promise<NodeOutcome> {
  const counts = await syncFromSelect(
    wh,
    "user_metrics",
    USER_METRICS_COLUMNS,
    ["user_id"],
    USER_METRICS_SQL,
    {
      deleteMissing: true,
    },
  );
  return {
    rowsRead: counts.inserted + counts.updated + counts.unchanged,
    rowsWritten: counts.inserted + counts.updated + counts.deleted,
    rowsRejected: 0,
    details: { ...counts },
  };
}
