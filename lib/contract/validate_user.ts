import { fitsLength } from "./_fits_length.ts";
import { maxLength, rangeOf, USERS_INPUT } from "./inputs.ts";
import { rejectRow } from "./_reject.ts";
import { canonicalSubscription } from "./canonical_subscription.ts";
import { capitalizeWords } from "./capitalize_words.ts";
import { cleanText } from "./clean_text.ts";
import { parseDate } from "./parse_date_time.ts";
import { parseNumber } from "./parse_number.ts";
import { roundTo2 } from "./round_to_2.ts";
import type { RawRow, RowResult, UserRecord } from "./types.ts";

/** Longest accepted `user_id`, in characters. */
export const MAX_USER_ID_LENGTH: number = maxLength(USERS_INPUT, "user_id");
const [MIN_AGE, MAX_AGE] = rangeOf(USERS_INPUT, "age");

function validAge(value: string | undefined): number | null {
  const age = parseNumber(value);
  return age !== null && Number.isInteger(age) && age >= MIN_AGE && age <= MAX_AGE ? age : null;
}

function validHours(value: string | undefined): number | null {
  const hours = parseNumber(value);
  return hours !== null && hours >= 0 ? roundTo2(hours) : null;
}

/**
 * Validates one row of `users.csv` (data contract, section 2).
 *
 * Only a missing or too long `user_id` rejects the row (`missing_key`). Other invalid values are stored as
 * NULL, and the field is listed in `coerced` when its input was not empty.
 *
 * @example
 * ```ts
 * validateUser({ user_id: "U0001", age: "21.0", country: "mexico" });
 * // { ok: true, coerced: [], record: { user_id: "U0001", age: 21, country: "Mexico", ... } }
 * ```
 */
export function validateUser(raw: RawRow): RowResult<UserRecord> {
  const userId = cleanText(raw.user_id);
  if (userId === null || !fitsLength(userId, MAX_USER_ID_LENGTH)) {
    return rejectRow("missing_key", "user_id", raw.user_id);
  }
  const country = cleanText(raw.country);
  const record: UserRecord = {
    user_id: userId,
    age: validAge(raw.age),
    country: country === null ? null : capitalizeWords(country),
    subscription_type: canonicalSubscription(raw.subscription_type),
    registration_date: parseDate(raw.registration_date),
    total_watch_time_hours: validHours(raw.total_watch_time_hours),
  };
  const coerced: string[] = [];
  for (const field of ["age", "subscription_type", "registration_date", "total_watch_time_hours"] as const) {
    if (record[field] === null && cleanText(raw[field]) !== null) coerced.push(field);
  }
  return { ok: true, record, coerced };
}
