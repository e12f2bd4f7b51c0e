import assert from "node:assert/strict";
import { ContentDocumentSchema, SessionRecordSchema, UserRecordSchema } from "./record_schemas.ts";

const USER = {
  user_id: "U0001",
  age: 21,
  country: "Argentina",
  subscription_type: "Basic",
  registration_date: "2022-10-02",
  total_watch_time_hours: 58.25,
};
const SESSION = {
  session_id: "S1",
  user_id: "U0001",
  content_id: "M001",
  watch_date: "2024-03-05 00:00:00",
  watch_duration_minutes: 45.5,
  completion_percentage: null,
  device_type: "Other",
  quality_level: "HD",
};
const CONTENT = {
  content_id: "M001",
  title: "Lost Data",
  genre: ["Horror"],
  rating: 4.7,
  type: "movie",
  views: null,
  release_year: 2022,
};

Deno.test("record schemas accept valid output records", () => {
  assert.deepEqual(UserRecordSchema.parse(USER), USER);
  assert.deepEqual(SessionRecordSchema.parse(SESSION), SESSION);
  assert.deepEqual(ContentDocumentSchema.parse(CONTENT), CONTENT);
  const empty = { ...USER, age: null, country: null, subscription_type: null, registration_date: null };
  assert.ok(UserRecordSchema.safeParse({ ...empty, total_watch_time_hours: null }).success);
});

Deno.test("record schemas refuse records that break the contract", async (t) => {
  const cases: [string, { safeParse(value: unknown): { success: boolean } }, unknown][] = [
    ["user: long id", UserRecordSchema, { ...USER, user_id: "U".repeat(33) }],
    ["user: fractional age", UserRecordSchema, { ...USER, age: 21.5 }],
    ["user: age 12", UserRecordSchema, { ...USER, age: 12 }],
    ["user: lower-case plan", UserRecordSchema, { ...USER, subscription_type: "basic" }],
    ["user: impossible date", UserRecordSchema, { ...USER, registration_date: "2022-02-30" }],
    ["user: date-time", UserRecordSchema, { ...USER, registration_date: "2022-10-02 00:00:00" }],
    ["user: three decimals", UserRecordSchema, { ...USER, total_watch_time_hours: 1.005 }],
    ["user: extra field", UserRecordSchema, { ...USER, email: "x" }],
    ["session: date only", SessionRecordSchema, { ...SESSION, watch_date: "2024-03-05" }],
    ["session: long duration", SessionRecordSchema, { ...SESSION, watch_duration_minutes: 1441 }],
    ["session: completion 101", SessionRecordSchema, { ...SESSION, completion_percentage: 101 }],
    ["session: unknown device", SessionRecordSchema, { ...SESSION, device_type: "smart_tv" }],
    ["session: lower-case quality", SessionRecordSchema, { ...SESSION, quality_level: "4k" }],
    ["content: empty genre list", ContentDocumentSchema, { ...CONTENT, genre: [] }],
    ["content: rating 6", ContentDocumentSchema, { ...CONTENT, rating: 6 }],
    ["content: no type", ContentDocumentSchema, { ...CONTENT, type: undefined }],
    ["content: views as text", ContentDocumentSchema, { ...CONTENT, views: "3" }],
  ];
  for (const [name, schema, value] of cases) {
    await t.step(name, () => assert.equal(schema.safeParse(value).success, false));
  }
});
