import assert from "node:assert/strict";
import { connectError } from "./connect_error.ts";

Deno.test("connectError() says in one sentence why a connection failed", async (t) => {
  const cases: [string, unknown, string][] = [
    [
      "refused",
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      "connection refused",
    ],
    [
      "refused on every address",
      new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })], "connect failed"),
      "connection refused",
    ],
    ["unknown host", Object.assign(new Error("getaddrinfo"), { code: "ENOTFOUND" }), "host not found"],
    ["timeout", Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" }), "timed out"],
    [
      "bad password",
      Object.assign(new Error("Access denied"), { code: "ER_ACCESS_DENIED_ERROR" }),
      'access denied for user "etl"',
    ],
    ["other", new Error("something odd"), "something odd"],
  ];
  for (const [name, cause, reason] of cases) {
    await t.step(name, () => {
      const error = connectError("127.0.0.1", 3306, "etl", cause);
      assert.equal(error.message, `Cannot connect to MySQL at 127.0.0.1:3306: ${reason}`);
      assert.equal(error.cause, cause);
    });
  }
});

Deno.test("connectError() brackets IPv6 hosts", () => {
  assert.match(
    connectError("::1", 3307, "etl", new Error("x")).message,
    /^Cannot connect to MySQL at \[::1\]:3307: x$/,
  );
});
