import assert from "node:assert/strict";
import { parseMongoUrl } from "./parse_mongo_url.ts";

Deno.test("parseMongoUrl() finds the database and a label without credentials", async (t) => {
  const cases = [
    [
      "mongodb://127.0.0.1:27017/workbench",
      "workbench",
      "127.0.0.1:27017",
      "mongodb://127.0.0.1:27017/workbench",
    ],
    ["mongodb://user:p%40ss@db:27017/etl?authSource=admin", "etl", "db:27017", "mongodb://db:27017/etl"],
    ["mongodb://a:1,b:2/rs?replicaSet=rs0", "rs", "a:1,b:2", "mongodb://a:1,b:2/rs"],
    [
      "mongodb+srv://u:p@cluster0.example.net/analytics",
      "analytics",
      "cluster0.example.net",
      "mongodb+srv://cluster0.example.net/analytics",
    ],
  ] as const;
  for (const [url, database, hosts, label] of cases) {
    await t.step(url, () => assert.deepEqual(parseMongoUrl(url), { database, hosts, label }));
  }
});

Deno.test("parseMongoUrl() throws a TypeError without the password", async (t) => {
  const cases = [
    ["mongodb://u:secret@127.0.0.1:27017", /names no database/],
    ["mongodb://u:secret@127.0.0.1:27017/?tls=true", /names no database/],
    ["mongodb://u:secret@127.0.0.1:27017/a b", /contains one of/],
    ["mongodb://u:secret@/workbench", /expected mongodb:\/\//],
  ] as const;
  for (const [url, message] of cases) {
    await t.step(url, () => {
      assert.throws(() => parseMongoUrl(url), (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, message);
        assert.match(error.message, /u:\*\*\*@/);
        return true;
      });
    });
  }
});

Deno.test("parseMongoUrl() never echoes a password holding @ or / (URL password reproduction)", () => {
  const cases: [string, string][] = [
    ["mongodb://u:p@ss@host", "throws"],
    ["mongodb://u:p@ss@host/", "throws"],
    ["mongodb://u:pa/ss@host:27017/db", "mongodb://host:27017/db"],
    ["mongodb://u:p@ss@host/db?authSource=admin", "mongodb://host/db"],
  ];
  for (const [url, label] of cases) {
    if (label === "throws") {
      assert.throws(() => parseMongoUrl(url), (error: Error) => {
        assert.doesNotMatch(error.message, /p@ss|pa\/ss|ss@host/, error.message);
        return true;
      });
    } else assert.equal(parseMongoUrl(url).label, label);
  }
});
