import assert from "node:assert/strict";
import { connectError, connectErrorForHosts, requiresTlsError } from "./connect_error.ts";

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

Deno.test("connectErrorForHosts() names every host; requiresTlsError() says how to ask for TLS", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  const hosts = [{ host: "10.0.0.1", port: 3311 }, { host: "::1", port: 3312 }];
  const error = connectErrorForHosts(hosts, "etl", refused);
  assert.equal(
    error.message,
    "Cannot connect to MySQL at any of 10.0.0.1:3311, [::1]:3312: connection refused",
  );
  assert.equal(error.cause, refused);
  assert.equal(
    connectErrorForHosts(hosts.slice(0, 1), "etl", refused).message,
    "Cannot connect to MySQL at 10.0.0.1:3311: connection refused",
  );
  assert.match(
    requiresTlsError("db.example", 3306, new Error("Access denied")).message,
    /^Cannot connect to MySQL at db\.example:3306: the server requires TLS .*\?ssl-mode=REQUIRED.*\?ssl-ca=/,
  );
});
