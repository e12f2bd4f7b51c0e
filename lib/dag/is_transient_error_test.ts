import assert from "node:assert/strict";
import { isTransientError } from "./is_transient_error.ts";

Deno.test("isTransientError() tells a lost or refused connection from a bug or bad data", () => {
  const error = (message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), extra);
  const transient = [
    error("connect ECONNREFUSED 127.0.0.1:3306", { code: "ECONNREFUSED" }),
    error("Connection lost: The server closed the connection.", { code: "PROTOCOL_CONNECTION_LOST" }),
    error('Cannot upsert into "etl_node_runs"', {
      cause: error("connect ECONNREFUSED", { code: "ECONNREFUSED" }),
    }),
  ];
  for (const e of transient) assert.equal(isTransientError(e), true, e.message);
  const permanent = [
    new TypeError("x is not a function"),
    error("Data truncated for column 'field'", { errno: 1265 }),
    // An engine's own transient errors are its adapter's to tell (lib/warehouse/dialect_test.ts).
    error("Deadlock found when trying to get lock", { errno: 1213 }),
    "a string",
    null,
  ];
  for (const e of permanent) assert.equal(isTransientError(e), false, String(e));
});
