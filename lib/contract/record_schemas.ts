import { z } from "zod";
import { fitsLength } from "./_fits_length.ts";
import { maxLength, rangeOf, SESSIONS_INPUT, USERS_INPUT } from "./inputs.ts";
import { parseDate, parseDateTime } from "./parse_date_time.ts";
import { roundTo2 } from "./round_to_2.ts";
import {
  type ContentDocument,
  DEVICES,
  QUALITY_LEVELS,
  type SessionRecord,
  SUBSCRIPTION_TYPES,
  type UserRecord,
} from "./types.ts";

const text = (max?: number) =>
  z.string().min(1).refine((value) => max === undefined || fitsLength(value, max), {
    message: `Expected at most ${max} characters`,
  });
const date = z.string().refine((value) => parseDate(value) === value, { message: "Expected YYYY-MM-DD" });
const dateTime = z.string().refine((value) => parseDateTime(value) === value, {
  message: "Expected YYYY-MM-DD HH:MM:SS",
});
const twoDecimals = z.number().refine((value) => roundTo2(value) === value, {
  message: "Expected at most two decimals",
});

/** A user as loaded into the `users` table (the output of `validateUser`). */
export const UserRecordSchema = z.strictObject({
  user_id: text(maxLength(USERS_INPUT, "user_id")),
  age: z.int().min(rangeOf(USERS_INPUT, "age")[0]).max(rangeOf(USERS_INPUT, "age")[1]).nullable(),
  country: text().nullable(),
  subscription_type: z.enum(SUBSCRIPTION_TYPES).nullable(),
  registration_date: date.nullable(),
  total_watch_time_hours: twoDecimals.min(0).nullable(),
}) satisfies z.ZodType<UserRecord>;

/** A session as loaded into `viewing_sessions` (the output of `validateSession`). */
export const SessionRecordSchema = z.strictObject({
  session_id: text(maxLength(SESSIONS_INPUT, "session_id")),
  user_id: text(maxLength(SESSIONS_INPUT, "user_id")),
  content_id: text(),
  watch_date: dateTime.nullable(),
  watch_duration_minutes: twoDecimals.min(rangeOf(SESSIONS_INPUT, "watch_duration_minutes")[0])
    .max(rangeOf(SESSIONS_INPUT, "watch_duration_minutes")[1]),
  completion_percentage: twoDecimals.min(rangeOf(SESSIONS_INPUT, "completion_percentage")[0])
    .max(rangeOf(SESSIONS_INPUT, "completion_percentage")[1]).nullable(),
  device_type: z.enum(DEVICES),
  quality_level: z.enum(QUALITY_LEVELS).nullable(),
}) satisfies z.ZodType<SessionRecord>;

/** A document of the `content` collection (the output of `validateContent`): extra source fields are kept. */
export const ContentDocumentSchema = z.looseObject({
  content_id: text(),
  title: text(),
  genre: z.array(text()).min(1),
  rating: z.number().min(0).max(5),
  type: z.enum(["movie", "series"]),
  views: z.number().nullable(),
}) satisfies z.ZodType<ContentDocument>;
