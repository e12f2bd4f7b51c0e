import assert from "node:assert/strict";
import { resolveHeader } from "./resolve_header.ts";
import { rowFromValues } from "./row_from_values.ts";

Deno.test("rowFromValues() keys raw values by canonical column", async (t) => {
  const header = resolveHeader("sessions", ["notes", "minutes", "session", "user", "content"], "s.csv");
  await t.step("picks each column from its position and drops ignored ones", () => {
    assert.deepEqual(rowFromValues(header, ["x", " 45 min", "S1", "U1", "M001"]), {
      session_id: "S1",
      user_id: "U1",
      content_id: "M001",
      watch_duration_minutes: " 45 min",
    });
  });
  await t.step("leaves absent columns undefined", () => {
    const row = rowFromValues(header, ["x", "45"]);
    assert.equal(row.watch_duration_minutes, "45");
    assert.equal(row.session_id, undefined);
    assert.equal(row.device_type, undefined);
  });
});
