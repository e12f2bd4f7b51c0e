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
 * One row per user, sessions or not (data contract, section 7). The favourite device is ranked with a window
 * function over (user_id, device_type), which the index of the same name serves; ties go to the name first
 * in alphabetical order (byte order: both engines compare text that way here).
 */
export const USER_METRICS_SQL = `
SELECT u.user_id AS user_id,
       COALESCE(a.total_sessions, 0) AS total_sessions,
       COALESCE(a.total_minutes, 0) AS total_minutes,
       a.avg_minutes AS avg_minutes,
       a.avg_completion AS avg_completion,
       f.device_type AS favorite_device,
       a.first_activity AS first_activity,
       a.last_activity AS last_activity
FROM users u
LEFT JOIN (
  SELECT user_id,
         COUNT(*) AS total_sessions,
         SUM(watch_duration_minutes) AS total_minutes,
         SUM(watch_duration_minutes) / COUNT(*) AS avg_minutes,
         AVG(completion_percentage) AS avg_completion,
         MIN(watch_date) AS first_activity,
         MAX(watch_date) AS last_activity
  FROM viewing_sessions
  GROUP BY user_id
) a ON a.user_id = u.user_id
LEFT JOIN (
  SELECT user_id, device_type
  FROM (
    SELECT user_id, device_type,
           ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY COUNT(*) DESC, device_type ASC) AS rn
    FROM viewing_sessions
    GROUP BY user_id, device_type
  ) ranked
  WHERE rn = 1
) f ON f.user_id = u.user_id`;

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
