/** Shared record and result types of the data contract (docs/DATA_CONTRACT.md). */

/** Reason codes of rows that are rejected; every reject in `etl_rejects` carries one. */
export const REJECT_REASONS = [
  "malformed",
  "missing_key",
  "unknown_user",
  "bad_duration",
  "bad_completion",
  "missing_field",
  "bad_genre",
  "bad_rating",
  "bad_encoding",
  "line_too_long",
  "bad_key",
  "supplied_id",
  "too_deep",
  "too_large",
] as const;
export type RejectReason = typeof REJECT_REASONS[number];

/** Why a row was not loaded: the reason code, the field at fault and its raw value. */
export interface Reject {
  reason: RejectReason;
  field: string | null;
  value: string | null;
}

/** The result of validating one row: a typed record plus the fields coerced to NULL or a default, or a reject. */
export type RowResult<T> =
  | { ok: true; record: T; coerced: string[] }
  | { ok: false; reject: Reject };

export const SUBSCRIPTION_TYPES = ["Basic", "Standard", "Premium"] as const;
export type SubscriptionType = typeof SUBSCRIPTION_TYPES[number];

export const DEVICES = [
  "Smart TV",
  "Mobile",
  "Desktop",
  "Laptop",
  "Tablet",
  "Gaming Console",
  "Other",
] as const;
export type Device = typeof DEVICES[number];

export const QUALITY_LEVELS = ["4K", "HD", "SD"] as const;
export type QualityLevel = typeof QUALITY_LEVELS[number];

/** A user as loaded into the `users` table. Dates are `YYYY-MM-DD` (UTC). */
export interface UserRecord {
  user_id: string;
  age: number | null;
  country: string | null;
  subscription_type: SubscriptionType | null;
  registration_date: string | null;
  total_watch_time_hours: number | null;
}

/** A session as loaded into `viewing_sessions`. `watch_date` is `YYYY-MM-DD HH:MM:SS` in UTC. */
export interface SessionRecord {
  session_id: string;
  user_id: string;
  content_id: string;
  watch_date: string | null;
  watch_duration_minutes: number;
  completion_percentage: number | null;
  device_type: Device;
  quality_level: QualityLevel | null;
}

/** A content document as stored in the `content` collection: every source field plus `type` and `views`. */
export interface ContentDocument {
  content_id: string;
  title: string;
  genre: string[];
  rating: number;
  type: "movie" | "series";
  views: number | null;
  [field: string]: unknown;
}

/** Raw text values of one CSV row, keyed by canonical column name (absent column: undefined). */
export type RawRow = Record<string, string | undefined>;
