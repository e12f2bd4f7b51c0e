import assert from "node:assert/strict";
import { isTransientError } from "./is_transient_error.ts";

Deno.test("isTransientError() tells a database restart from a bug or bad data", () => {
  const error = (message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), extra);
  const transient = [
    error("connect ECONNREFUSED 127.0.0.1:3306", { code: "ECONNREFUSED" }),
    error("Connection lost: The server closed the connection.", { code: "PROTOCOL_CONNECTION_LOST" }),
    error("Connection was killed", { code: "ER_CONNECTION_KILLED", errno: 1927 }),
    error("Server shutdown in progress", { errno: 1053 }),
    error("Lost connection to MySQL server during query", { errno: 2013 }),
    error("Can't add new command when connection is in closed state"),
    error('Cannot upsert into "etl_node_runs"', {
      cause: error("connect ECONNREFUSED", { code: "ECONNREFUSED" }),
    }),
    error("database is locked", { code: "SQLITE_BUSY" }),
  ];
  for (const e of transient) assert.equal(isTransientError(e), true, e.message);
  const permanent = [
    new TypeError("x is not a function"),
    error("Data truncated for column 'field'", { errno: 1265 }),
    error("Access denied for user", { errno: 1045 }),
    "a string",
    null,
  ];
  for (const e of permanent) assert.equal(isTransientError(e), false, String(e));
});
