import assert from "node:assert/strict";
import { type MysqlLocation, parseWarehouseUrl, redactUrl } from "./parse_warehouse_url.ts";

Deno.test("parseWarehouseUrl() reads SQLite URLs", async (t) => {
  const cases: [string, string][] = [
    ["sqlite:.workbench/warehouse.db", ".workbench/warehouse.db"],
    ["sqlite:/tmp/w.db", "/tmp/w.db"],
    ["sqlite::memory:", ":memory:"],
    ["SQLite:data dir/w.db", "data dir/w.db"],
    ["sqlite:", ""],
  ];
  for (const [url, path] of cases) {
    await t.step(url, () => assert.deepEqual(parseWarehouseUrl(url), { dialect: "sqlite", path }));
  }
});

Deno.test("parseWarehouseUrl() reads MySQL URLs", async (t) => {
  const cases: [string, ReturnType<typeof parseWarehouseUrl>][] = [
    ["mysql://etl:secret@127.0.0.1:3307/workbench", {
      dialect: "mysql",
      host: "127.0.0.1",
      port: 3307,
      user: "etl",
      password: "secret",
      database: "workbench",
    }],
    ["mysql://etl@db.example/workbench", {
      dialect: "mysql",
      host: "db.example",
      port: 3306,
      user: "etl",
      password: "",
      database: "workbench",
    }],
    ["mariadb://etl:p%40ss%2Fword@[::1]/my_db", {
      dialect: "mysql",
      host: "::1",
      port: 3306,
      user: "etl",
      password: "p@ss/word",
      database: "my_db",
    }],
    ["MySQL://a%20b:x@h:1/d%C3%A9j%C3%A0", {
      dialect: "mysql",
      host: "h",
      port: 1,
      user: "a b",
      password: "x",
      database: "déjà",
    }],
  ];
  for (const [url, expected] of cases) {
    await t.step(url, () => assert.deepEqual(parseWarehouseUrl(url), expected));
  }
});

Deno.test("parseWarehouseUrl() reads several hosts and query options", () => {
  assert.deepEqual(
    parseWarehouseUrl(
      "mysql://etl:secret@10.0.0.1:3311,db2:3312,[::1]/wh?ssl-ca=/etc/ca.pem&connect-timeout=2.5" +
        "&wsrep_sync_wait=1&max-transaction-rows=20000&sql_mode=ANSI",
    ),
    {
      dialect: "mysql",
      host: "10.0.0.1",
      port: 3311,
      user: "etl",
      password: "secret",
      database: "wh",
      hosts: [{ host: "10.0.0.1", port: 3311 }, { host: "db2", port: 3312 }, { host: "::1", port: 3306 }],
      options: {
        sslCa: "/etc/ca.pem",
        sslMode: "VERIFY_CA",
        connectTimeoutMs: 2500,
        maxTransactionRows: 20000,
        sessionVariables: { wsrep_sync_wait: "1", sql_mode: "ANSI" },
      },
    },
  );
  assert.deepEqual((parseWarehouseUrl("mysql://u@h/d?ssl=true") as MysqlLocation).options, {
    sslMode: "REQUIRED",
  });
  assert.deepEqual(
    (parseWarehouseUrl("mysql://u@h/d?ssl-mode=verify_identity&ssl-ca=c.pem") as MysqlLocation).options,
    {
      sslMode: "VERIFY_IDENTITY",
      sslCa: "c.pem",
    },
  );
});

Deno.test("parseWarehouseUrl() rejects bad URLs with a TypeError naming the URL without its password", async (t) => {
  const cases: [string, RegExp][] = [
    [
      "postgres://etl:secret@h/db",
      /^Cannot use warehouse URL "postgres:\/\/etl:\*\*\*@h\/db": unsupported scheme "postgres:"/,
    ],
    ["warehouse.db", /^Cannot use warehouse URL "warehouse.db": no scheme/],
    ["mysql:etl@h/db", /expected "mysql:\/\/"/],
    [
      "mysql://etl:secret@h/",
      /^Cannot use warehouse URL "mysql:\/\/etl:\*\*\*@h\/": the database name is missing$/,
    ],
    ["mysql://etl:secret@h", /the database name is missing/],
    ["mysql://h/db", /the user is missing/],
    [
      "mysql://etl:secret@h:99999/db",
      /^Cannot use warehouse URL "mysql:\/\/etl:\*\*\*@h:99999\/db": it is not a valid URL/,
    ],
    ["mysql://etl:secret@h/db/extra", /contains "\/"/],
    ["mysql://etl:secret@h/db#x", /fragments are not supported/],
    ["mysql://etl:secret@h/db?ssl-mode=sometimes", /ssl-mode must be one of/],
    ["mysql://etl:secret@h/db?connect-timeout=soon", /connect-timeout must be a positive number/],
    ["mysql://etl:secret@h/db?bad-option=1", /unknown option "bad-option"/],
    ["mysql://etl:secret@h/db?wsrep_sync_wait=1;DROP", /must be a number or a word/],
    ["mysql://etl:secret@h1:1,/db", /host 2 of the host list/],
    ["mysql://etl:se%ZZcret@h/db", /malformed percent-escape/],
  ];
  for (const [url, message] of cases) {
    await t.step(url, () => {
      assert.throws(() => parseWarehouseUrl(url), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /secret|se%ZZ/);
        return true;
      });
    });
  }
});

Deno.test("redactUrl() hides the password only", async (t) => {
  const cases: [string, string][] = [
    ["mysql://etl:secret@h:1/db", "mysql://etl:***@h:1/db"],
    ["mysql://etl:p@ss@h/db", "mysql://etl:***@h/db"],
    ["mysql://etl@h/db", "mysql://etl@h/db"],
    ["sqlite:a:b@c", "sqlite:a:b@c"],
    ["mysql://u:pa/ss@h:1/db", "mysql://u:***@h:1/db"],
    ["mysql://u:a@b/c@h/db", "mysql://u:***@h/db"],
  ];
  for (const [url, expected] of cases) await t.step(url, () => assert.equal(redactUrl(url), expected));
});

Deno.test("parseWarehouseUrl() never echoes a password holding / or a second @ (URL password reproduction)", () => {
  for (
    const url of [
      "mysql://u:pa/ss@127.0.0.1:3306/db?x=1",
      "mysql://u:p@ss/word@127.0.0.1/",
      "mysql://u:pa/ss@/db",
    ]
  ) {
    assert.throws(() => parseWarehouseUrl(url), (error: Error) => {
      assert.doesNotMatch(error.message, /pa\/ss|ss\/word|p@ss/, error.message);
      assert.match(error.message, /u:\*\*\*@/);
      return true;
    });
  }
});
