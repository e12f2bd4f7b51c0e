import assert from "node:assert/strict";
import { MYSQL_DIALECT } from "./mysql/dialect.ts";
import { SQLITE_DIALECT } from "./sqlite/dialect.ts";

const error = (message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), extra);

Deno.test("MYSQL_DIALECT.isTransient() tells a database restart or a deadlock from a bug or bad data", () => {
  const transient = [
    error("connect ECONNREFUSED 127.0.0.1:3306", { code: "ECONNREFUSED" }),
    error("Connection was killed", { code: "ER_CONNECTION_KILLED", errno: 1927 }),
    error("Server shutdown in progress", { errno: 1053 }),
    error("Lost connection to MySQL server during query", { errno: 2013 }),
    error("Can't add new command when connection is in closed state"),
    error("Deadlock found when trying to get lock", { errno: 1213 }),
    error("wrapped", { cause: error("Lock wait timeout exceeded", { code: "ER_LOCK_WAIT_TIMEOUT" }) }),
  ];
  for (const e of transient) assert.equal(MYSQL_DIALECT.isTransient(e), true, e.message);
  const permanent = [
    new TypeError("x is not a function"),
    error("Data truncated for column 'field'", { errno: 1265 }),
    error("Access denied for user", { errno: 1045 }),
    "a string",
    null,
  ];
  for (const e of permanent) assert.equal(MYSQL_DIALECT.isTransient(e), false, String(e));
});

Deno.test("SQLITE_DIALECT.isTransient() retries a busy or locked database only", () => {
  assert.equal(SQLITE_DIALECT.isTransient(error("database is locked", { code: "SQLITE_BUSY" })), true);
  assert.equal(
    SQLITE_DIALECT.isTransient(error("database table is locked", { code: "SQLITE_LOCKED" })),
    true,
  );
  assert.equal(SQLITE_DIALECT.isTransient(error("no such table: users")), false);
  assert.equal(SQLITE_DIALECT.isMissingTable(error("no such table: users")), true);
  assert.equal(MYSQL_DIALECT.isMissingTable(error("Table 'x.users' doesn't exist", { errno: 1146 })), true);
});
