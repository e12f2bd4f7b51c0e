/** One column of an input file: its canonical name, the other header names accepted for it, and whether a file without it is refused. */
export interface ColumnSpec {
  name: string;
  aliases: readonly string[];
  required: boolean;
}

/** Columns of `users.csv` (data contract, section 2). */
export const USER_COLUMNS: readonly ColumnSpec[] = [
  { name: "user_id", aliases: ["id", "userid", "user"], required: true },
  { name: "age", aliases: [], required: false },
  { name: "country", aliases: ["region"], required: false },
  { name: "subscription_type", aliases: ["subscription", "plan"], required: false },
  { name: "registration_date", aliases: ["signup_date", "registered"], required: false },
  { name: "total_watch_time_hours", aliases: ["watch_time_hours"], required: false },
];

/**
 * Columns of `viewing_sessions.csv` (data contract, section 3).
 *
 * `watch_duration_minutes` is required although the contract's table does not say so: every row without a
 * duration is rejected as `bad_duration`, so a file without the column could load nothing.
 */
export const SESSION_COLUMNS: readonly ColumnSpec[] = [
  { name: "session_id", aliases: ["id", "session"], required: true },
  { name: "user_id", aliases: ["user"], required: true },
  { name: "content_id", aliases: ["content"], required: true },
  { name: "watch_date", aliases: ["date", "watched_at"], required: false },
  { name: "watch_duration_minutes", aliases: ["duration_minutes", "duration", "minutes"], required: true },
  { name: "completion_percentage", aliases: ["completion"], required: false },
  { name: "device_type", aliases: ["device"], required: false },
  { name: "quality_level", aliases: ["quality"], required: false },
];
