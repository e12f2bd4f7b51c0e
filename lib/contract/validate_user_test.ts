import assert from "node:assert/strict";
import { UserRecordSchema } from "./record_schemas.ts";
import type { RawRow, UserRecord } from "./types.ts";
import { validateUser } from "./validate_user.ts";

const ROW: RawRow = {
  user_id: "U0001",
  age: "21",
  country: "Argentina",
  subscription_type: "Basic",
  registration_date: "2022-10-02",
  total_watch_time_hours: "58.0",
};

/** Validates ROW with some fields replaced and returns the record and its coerced fields. */
function accepted(changes: RawRow): { record: UserRecord; coerced: string[] } {
  const result = validateUser({ ...ROW, ...changes });
  assert.ok(result.ok, `expected an accepted row, got ${JSON.stringify(result)}`);
  UserRecordSchema.parse(result.record);
  return { record: result.record, coerced: result.coerced };
}

Deno.test("validateUser() accepts a seed-data row as it is", () => {
  assert.deepEqual(validateUser(ROW), {
    ok: true,
    coerced: [],
    record: {
      user_id: "U0001",
      age: 21,
      country: "Argentina",
      subscription_type: "Basic",
      registration_date: "2022-10-02",
      total_watch_time_hours: 58,
    },
  });
});

Deno.test("validateUser() rejects a missing or too long user_id as missing_key", async (t) => {
  const cases: [string | undefined, string | null][] = [
    [undefined, null],
    ["", ""],
    ["   ", "   "],
    ["U".repeat(33), "U".repeat(33)],
  ];
  for (const [value, rawValue] of cases) {
    await t.step(JSON.stringify(value) ?? "undefined", () => {
      assert.deepEqual(validateUser({ ...ROW, user_id: value }), {
        ok: false,
        reject: { reason: "missing_key", field: "user_id", value: rawValue },
      });
    });
  }
  await t.step("32 characters are enough, counted after trimming", () => {
    assert.equal(accepted({ user_id: ` ${"U".repeat(32)} ` }).record.user_id, "U".repeat(32));
  });
});

Deno.test("validateUser() normalises each valid value", async (t) => {
  const cases: [string, RawRow, Partial<UserRecord>][] = [
    ["user_id is cleaned", { user_id: "  U 0001 " }, { user_id: "U 0001" }],
    ["age 25.0 is 25", { age: "25.0" }, { age: 25 }],
    ["age 13 and 120 are the bounds", { age: "13" }, { age: 13 }],
    ["age 120", { age: " 120 " }, { age: 120 }],
    ["age with a unit", { age: "30 years" }, { age: 30 }],
    ["country is capitalised", { country: "  mexico " }, { country: "Mexico" }],
    ["country in capitals", { country: "UNITED   STATES" }, { country: "United States" }],
    ["subscription in any case", { subscription_type: "premium" }, { subscription_type: "Premium" }],
    ["date with slashes", { registration_date: "2022/10/02" }, { registration_date: "2022-10-02" }],
    ["day-first date", { registration_date: "02/10/2022" }, { registration_date: "2022-10-02" }],
    ["date-time keeps its date", { registration_date: "2022-10-02T23:59Z" }, {
      registration_date: "2022-10-02",
    }],
    ["hours with separators", { total_watch_time_hours: "1,234.567 h" }, { total_watch_time_hours: 1234.57 }],
    ["hours round half up", { total_watch_time_hours: "1.005" }, { total_watch_time_hours: 1.01 }],
    ["zero hours", { total_watch_time_hours: "0" }, { total_watch_time_hours: 0 }],
  ];
  for (const [name, changes, expected] of cases) {
    await t.step(name, () => {
      const { record, coerced } = accepted(changes);
      assert.deepEqual(coerced, []);
      for (const [field, value] of Object.entries(expected)) {
        assert.equal(record[field as keyof UserRecord], value);
      }
    });
  }
});

Deno.test("validateUser() stores an invalid non-empty value as NULL and lists it as coerced", async (t) => {
  const cases: [keyof UserRecord, string][] = [
    ["age", "12"],
    ["age", "121"],
    ["age", "25.5"],
    ["age", "-30"],
    ["age", "unknown"],
    ["subscription_type", "Gold"],
    ["registration_date", "2024-02-30"],
    ["registration_date", "yesterday"],
    ["total_watch_time_hours", "-1"],
    ["total_watch_time_hours", "lots"],
  ];
  for (const [field, value] of cases) {
    await t.step(`${field} ${JSON.stringify(value)}`, () => {
      const { record, coerced } = accepted({ [field]: value });
      assert.equal(record[field], null);
      assert.deepEqual(coerced, [field]);
    });
  }
  await t.step("several fields are listed in column order", () => {
    const { coerced } = accepted({ total_watch_time_hours: "x", age: "x", subscription_type: "x" });
    assert.deepEqual(coerced, ["age", "subscription_type", "total_watch_time_hours"]);
  });
});

Deno.test("validateUser() stores an empty or absent value as plain NULL, not coerced", async (t) => {
  for (const value of ["", "  ", undefined]) {
    await t.step(JSON.stringify(value) ?? "undefined", () => {
      const { record, coerced } = accepted({
        age: value,
        country: value,
        subscription_type: value,
        registration_date: value,
        total_watch_time_hours: value,
      });
      assert.deepEqual(record, {
        user_id: "U0001",
        age: null,
        country: null,
        subscription_type: null,
        registration_date: null,
        total_watch_time_hours: null,
      });
      assert.deepEqual(coerced, []);
    });
  }
});
