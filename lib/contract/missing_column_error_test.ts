import assert from "node:assert/strict";
import { MissingColumnError } from "./missing_column_error.ts";

Deno.test("MissingColumnError carries the file, the column, the header and the cause", () => {
  const cause = new Error("first line");
  const error = new MissingColumnError("users.csv", "user_id", ["id", "device"], { cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "MissingColumnError");
  assert.equal(error.message, `Cannot load "users.csv": column "user_id" is missing (found: "id", "device")`);
  assert.equal(error.file, "users.csv");
  assert.equal(error.column, "user_id");
  assert.deepEqual(error.found, ["id", "device"]);
  assert.equal(error.cause, cause);
});
