import { lookupDevice } from "./_device_names.ts";
import { fitsLength } from "./_fits_length.ts";
import { maxLength, rangeOf, SESSIONS_INPUT } from "./inputs.ts";
import { rejectRow } from "./_reject.ts";
import { canonicalQuality } from "./canonical_quality.ts";
import { cleanText } from "./clean_text.ts";
import { parseDateTime } from "./parse_date_time.ts";
import { parseNumber } from "./parse_number.ts";
import { roundTo2 } from "./round_to_2.ts";
import type { RawRow, RowResult, SessionRecord } from "./types.ts";
import { MAX_USER_ID_LENGTH } from "./validate_user.ts";

/** Longest accepted `session_id`, in characters. */
export const MAX_SESSION_ID_LENGTH: number = maxLength(SESSIONS_INPUT, "session_id");
/** Longest accepted session, in minutes: one day. */
export const MAX_WATCH_MINUTES: number = rangeOf(SESSIONS_INPUT, "watch_duration_minutes")[1];
const MIN_WATCH_MINUTES = rangeOf(SESSIONS_INPUT, "watch_duration_minutes")[0];
const [MIN_COMPLETION, MAX_COMPLETION] = rangeOf(SESSIONS_INPUT, "completion_percentage");

/** Options of {@linkcode validateSession}. */
export interface ValidateSessionOptions {
  /**
   * Tells whether a user id belongs to a loaded user; a session of another user is rejected as `unknown_user`.
   * @default undefined (every user is known)
   */
  isKnownUser?: (userId: string) => boolean;
}

/**
 * Validates one row of `viewing_sessions.csv` (data contract, section 3).
 *
 * Checks run in this order and the first failure is the reject reason: `session_id`, `user_id`, `content_id`
 * (`missing_key`), `watch_duration_minutes` (`bad_duration`), `completion_percentage` (`bad_completion`
 * when out of 0..100), then `isKnownUser` (`unknown_user`). Range checks apply to the parsed value, before
 * rounding to two decimals. Other invalid values are stored as NULL (`Other` for a device) and listed in
 * `coerced` when their input was not empty. Hand-written rather than a zod schema: this is the hot path.
 *
 * @example
 * ```ts
 * validateSession({ session_id: "S1", user_id: "U1", content_id: "M001", watch_duration_minutes: "45 min" });
 * // { ok: true, coerced: [], record: { session_id: "S1", ..., watch_duration_minutes: 45, device_type: "Other" } }
 * ```
 */
export function validateSession(raw: RawRow, options: ValidateSessionOptions = {}): RowResult<SessionRecord> {
  const { isKnownUser } = options;
  const sessionId = cleanText(raw.session_id);
  if (sessionId === null || !fitsLength(sessionId, MAX_SESSION_ID_LENGTH)) {
    return rejectRow("missing_key", "session_id", raw.session_id);
  }
  const userId = cleanText(raw.user_id);
  if (userId === null || !fitsLength(userId, MAX_USER_ID_LENGTH)) {
    return rejectRow("missing_key", "user_id", raw.user_id);
  }
  const contentId = cleanText(raw.content_id);
  if (contentId === null) return rejectRow("missing_key", "content_id", raw.content_id);

  const minutes = parseNumber(raw.watch_duration_minutes);
  if (minutes === null || minutes < MIN_WATCH_MINUTES || minutes > MAX_WATCH_MINUTES) {
    return rejectRow("bad_duration", "watch_duration_minutes", raw.watch_duration_minutes);
  }
  const completionText = cleanText(raw.completion_percentage);
  const completion = parseNumber(completionText);
  if (completion !== null && (completion < MIN_COMPLETION || completion > MAX_COMPLETION)) {
    return rejectRow("bad_completion", "completion_percentage", raw.completion_percentage);
  }
  if (isKnownUser !== undefined && !isKnownUser(userId)) {
    return rejectRow("unknown_user", "user_id", raw.user_id);
  }

  const watchDateText = cleanText(raw.watch_date);
  const watchDate = parseDateTime(watchDateText);
  const deviceText = cleanText(raw.device_type);
  const device = deviceText === null ? undefined : lookupDevice(deviceText);
  const qualityText = cleanText(raw.quality_level);
  const quality = canonicalQuality(qualityText);
  const coerced: string[] = [];
  if (watchDate === null && watchDateText !== null) coerced.push("watch_date");
  if (completion === null && completionText !== null) coerced.push("completion_percentage");
  if (device === undefined && deviceText !== null) coerced.push("device_type");
  if (quality === null && qualityText !== null) coerced.push("quality_level");

  const record: SessionRecord = {
    session_id: sessionId,
    user_id: userId,
    content_id: contentId,
    watch_date: watchDate,
    watch_duration_minutes: roundTo2(minutes),
    completion_percentage: completion === null ? null : roundTo2(completion),
    device_type: device ?? "Other",
    quality_level: quality,
  };
  return { ok: true, record, coerced };
}
