import assert from "node:assert/strict";
import { SessionRecordSchema } from "./record_schemas.ts";
import type { RawRow, Reject, SessionRecord } from "./types.ts";
import { validateSession, type ValidateSessionOptions } from "./validate_session.ts";

const ROW: RawRow = {
  session_id: "S000001",
  user_id: "U0001",
  content_id: "M001",
  watch_date: "2024-03-05",
  watch_duration_minutes: "78.9",
  completion_percentage: "84.5",
  device_type: "Smart TV",
  quality_level: "4K",
};

function accepted(
  changes: RawRow,
  options?: ValidateSessionOptions,
): { record: SessionRecord; coerced: string[] } {
  const result = validateSession({ ...ROW, ...changes }, options);
  assert.ok(result.ok, `expected an accepted row, got ${JSON.stringify(result)}`);
  SessionRecordSchema.parse(result.record);
  return { record: result.record, coerced: result.coerced };
}

function rejected(changes: RawRow, options?: ValidateSessionOptions): Reject {
  const result = validateSession({ ...ROW, ...changes }, options);
  assert.ok(!result.ok, `expected a reject, got ${JSON.stringify(result)}`);
  return result.reject;
}

Deno.test("validateSession() accepts a typical row", () => {
  assert.deepEqual(validateSession(ROW), {
    ok: true,
    coerced: [],
    record: {
      session_id: "S000001",
      user_id: "U0001",
      content_id: "M001",
      watch_date: "2024-03-05 00:00:00",
      watch_duration_minutes: 78.9,
      completion_percentage: 84.5,
      device_type: "Smart TV",
      quality_level: "4K",
    },
  });
});

Deno.test("validateSession() rejects a missing or too long key as missing_key", async (t) => {
  const cases: [string, string | undefined][] = [
    ["session_id", undefined],
    ["session_id", ""],
    ["session_id", " \t "],
    ["session_id", "S".repeat(41)],
    ["user_id", undefined],
    ["user_id", ""],
    ["user_id", "U".repeat(33)],
    ["content_id", undefined],
    ["content_id", "  "],
  ];
  for (const [field, value] of cases) {
    await t.step(`${field} ${JSON.stringify(value) ?? "undefined"}`, () => {
      assert.deepEqual(rejected({ [field]: value }), { reason: "missing_key", field, value: value ?? null });
    });
  }
  await t.step("the longest keys are accepted", () => {
    const { record } = accepted({ session_id: "S".repeat(40), user_id: "U".repeat(32) });
    assert.equal(record.session_id.length, 40);
    assert.equal(record.user_id.length, 32);
  });
});

Deno.test("validateSession() rejects a missing, unparsable or out-of-range duration as bad_duration", async (t) => {
  for (const value of [undefined, "", "  ", "n/a", "-1", "-0.01", "1440.01", "1,441", "1.2.3"]) {
    await t.step(JSON.stringify(value) ?? "undefined", () => {
      assert.deepEqual(rejected({ watch_duration_minutes: value }), {
        reason: "bad_duration",
        field: "watch_duration_minutes",
        value: value ?? null,
      });
    });
  }
});

Deno.test("validateSession() reads and rounds a valid duration", async (t) => {
  const cases: [string, number][] = [["0", 0], ["1440", 1440], ["45 min", 45], ["1,234.5", 1234.5], [
    "10.005",
    10.01,
  ], ["-0", 0]];
  for (const [value, expected] of cases) {
    await t.step(JSON.stringify(value), () => {
      assert.equal(accepted({ watch_duration_minutes: value }).record.watch_duration_minutes, expected);
    });
  }
});

Deno.test("validateSession() handles completion_percentage per section 3", async (t) => {
  for (const value of ["-0.5", "100.01", "150%", "-20"]) {
    await t.step(`${value} is bad_completion`, () => {
      assert.deepEqual(rejected({ completion_percentage: value }), {
        reason: "bad_completion",
        field: "completion_percentage",
        value,
      });
    });
  }
  const valid: [string, number][] = [["0", 0], ["100", 100], ["85.5%", 85.5], ["33.335", 33.34]];
  for (const [value, expected] of valid) {
    await t.step(`${value} is ${expected}`, () => {
      const { record, coerced } = accepted({ completion_percentage: value });
      assert.equal(record.completion_percentage, expected);
      assert.deepEqual(coerced, []);
    });
  }
  for (const value of ["", "  ", undefined]) {
    await t.step(`${JSON.stringify(value) ?? "undefined"} is plain NULL`, () => {
      const { record, coerced } = accepted({ completion_percentage: value });
      assert.equal(record.completion_percentage, null);
      assert.deepEqual(coerced, []);
    });
  }
  for (const value of ["n/a", "half"]) {
    await t.step(`${value} is NULL, coerced`, () => {
      const { record, coerced } = accepted({ completion_percentage: value });
      assert.equal(record.completion_percentage, null);
      assert.deepEqual(coerced, ["completion_percentage"]);
    });
  }
});

Deno.test("validateSession() rejects a session of an unknown user as unknown_user", async (t) => {
  const known = new Set(["U0001"]);
  const isKnownUser = (userId: string) => known.has(userId);
  await t.step("unknown user", () => {
    assert.deepEqual(rejected({ user_id: "U9999" }, { isKnownUser }), {
      reason: "unknown_user",
      field: "user_id",
      value: "U9999",
    });
  });
  await t.step("the cleaned user_id is looked up", () => {
    assert.equal(accepted({ user_id: " U0001 " }, { isKnownUser }).record.user_id, "U0001");
  });
  await t.step("without isKnownUser every user is known", () => {
    assert.equal(accepted({ user_id: "U9999" }).record.user_id, "U9999");
  });
});

Deno.test("validateSession() reports the first failing check", async (t) => {
  const never = { isKnownUser: () => false };
  const cases: [RawRow, string][] = [
    [{ session_id: "", user_id: "", content_id: "", watch_duration_minutes: "x" }, "missing_key:session_id"],
    [{ user_id: "", content_id: "", watch_duration_minutes: "x" }, "missing_key:user_id"],
    [{ content_id: "", watch_duration_minutes: "x", completion_percentage: "500" }, "missing_key:content_id"],
    [{ watch_duration_minutes: "x", completion_percentage: "500" }, "bad_duration:watch_duration_minutes"],
    [{ completion_percentage: "500" }, "bad_completion:completion_percentage"],
    [{ completion_percentage: "n/a", watch_date: "junk" }, "unknown_user:user_id"],
  ];
  for (const [changes, expected] of cases) {
    await t.step(expected, () => {
      const { reason, field } = rejected(changes, never);
      assert.equal(`${reason}:${field}`, expected);
    });
  }
});

Deno.test("validateSession() keeps a row with a bad watch_date, device or quality", async (t) => {
  const cases: [RawRow, Partial<SessionRecord>, string[]][] = [
    [{ watch_date: "2024-03-05T14:30:15Z" }, { watch_date: "2024-03-05 14:30:15" }, []],
    [{ watch_date: "05/03/2024" }, { watch_date: "2024-03-05 00:00:00" }, []],
    [{ watch_date: "2024-02-30" }, { watch_date: null }, ["watch_date"]],
    [{ watch_date: "soon" }, { watch_date: null }, ["watch_date"]],
    [{ watch_date: "" }, { watch_date: null }, []],
    [{ watch_date: undefined }, { watch_date: null }, []],
    [{ device_type: "smart_tv" }, { device_type: "Smart TV" }, []],
    [{ device_type: "phone" }, { device_type: "Mobile" }, []],
    [{ device_type: "Other" }, { device_type: "Other" }, []],
    [{ device_type: "toaster" }, { device_type: "Other" }, ["device_type"]],
    [{ device_type: "" }, { device_type: "Other" }, []],
    [{ device_type: undefined }, { device_type: "Other" }, []],
    [{ quality_level: "hd" }, { quality_level: "HD" }, []],
    [{ quality_level: "8K" }, { quality_level: null }, ["quality_level"]],
    [{ quality_level: " " }, { quality_level: null }, []],
    [
      { quality_level: "8K", device_type: "toaster", completion_percentage: "?", watch_date: "?" },
      { watch_date: null, completion_percentage: null, device_type: "Other", quality_level: null },
      ["watch_date", "completion_percentage", "device_type", "quality_level"],
    ],
  ];
  for (const [changes, expected, expectedCoerced] of cases) {
    await t.step(JSON.stringify(changes), () => {
      const { record, coerced } = accepted(changes);
      for (const [field, value] of Object.entries(expected)) {
        assert.equal(record[field as keyof SessionRecord], value);
      }
      assert.deepEqual(coerced, expectedCoerced);
    });
  }
});

Deno.test("validateSession() cleans the text keys", () => {
  const { record } = accepted({ session_id: " S 1 ", user_id: "U0001\t", content_id: "  M  001 " });
  assert.deepEqual([record.session_id, record.user_id, record.content_id], ["S 1", "U0001", "M 001"]);
});
