import assert from "node:assert/strict";
import { normalizeHeaderName } from "./normalize_header_name.ts";

Deno.test("normalizeHeaderName() lower-cases and drops spaces, underscores, hyphens and a BOM", async (t) => {
  const cases: [string, string][] = [
    ["User_ID", "userid"],
    ["userId", "userid"],
    ["USER ID", "userid"],
    ["user-id", "userid"],
    ["user_id", "userid"],
    ["\uFEFFuser_id", "userid"],
    ["  Watch Duration\tMinutes ", "watchdurationminutes"],
    ["completion__percentage", "completionpercentage"],
    ["", ""],
  ];
  for (const [name, expected] of cases) {
    await t.step(JSON.stringify(name), () => assert.equal(normalizeHeaderName(name), expected));
  }
});
