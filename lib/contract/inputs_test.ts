import assert from "node:assert/strict";
import { INPUTS, maxLength, SESSIONS_INPUT, tableColumns, USERS_INPUT } from "./inputs.ts";
import { SessionRecordSchema, UserRecordSchema } from "./record_schemas.ts";
import { validateSession } from "./validate_session.ts";
import { validateUser } from "./validate_user.ts";

Deno.test("each input's key length is the one the validator, the zod schema and the table use", async (t) => {
  const cases = [
    {
      input: USERS_INPUT,
      schema: UserRecordSchema,
      validate: (id: string) => validateUser({ user_id: id }),
    },
    {
      input: SESSIONS_INPUT,
      schema: SessionRecordSchema,
      validate: (id: string) =>
        validateSession({ session_id: id, user_id: "U1", content_id: "C1", watch_duration_minutes: "10" }),
    },
  ];
  for (const { input, schema, validate } of cases) {
    await t.step(input.file, () => {
      const max = maxLength(input, input.key);
      const column = tableColumns(input).find((c) => c.name === input.key);
      assert.deepEqual(column?.type, { kind: "text", length: max });
      const longest = validate("K".repeat(max));
      assert.ok(longest.ok, `a ${max}-character key is accepted`);
      assert.equal(schema.safeParse(longest.record).success, true);
      const tooLong = validate("K".repeat(max + 1));
      assert.equal(tooLong.ok, false, `a ${max + 1}-character key is rejected`);
      assert.equal(schema.safeParse({ ...longest.record, [input.key]: "K".repeat(max + 1) }).success, false);
    });
  }
});

Deno.test("inputs declare their key among their columns, required, once each", () => {
  for (const input of INPUTS) {
    const names = input.columns.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, `${input.file}: no column twice`);
    const key = input.columns.find((c) => c.name === input.key);
    assert.ok(key?.required && !key.nullable, `${input.file}: key ${input.key} is required and not NULL`);
  }
});
