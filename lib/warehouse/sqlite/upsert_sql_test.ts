import assert from "node:assert/strict";
import { sqliteCountKeysSql, sqliteInsertSql, sqliteUpsertSql } from "./upsert_sql.ts";

Deno.test("sqliteUpsertSql() updates only rows whose other columns differ", () => {
  assert.equal(
    sqliteUpsertSql("users", ["id", "age", "plan"], ["id"], 2),
    'INSERT INTO "users" ("id", "age", "plan") VALUES (?, ?, ?), (?, ?, ?) ON CONFLICT ("id") DO UPDATE SET ' +
      '"age" = excluded."age", "plan" = excluded."plan" ' +
      'WHERE "users"."age" IS NOT excluded."age" OR "users"."plan" IS NOT excluded."plan"',
  );
});

Deno.test("sqliteUpsertSql() does nothing on conflict when every column is a key", () => {
  assert.equal(
    sqliteUpsertSql("tags", ["a", "b"], ["a", "b"], 1),
    'INSERT INTO "tags" ("a", "b") VALUES (?, ?) ON CONFLICT ("a", "b") DO NOTHING',
  );
});

Deno.test("sqliteCountKeysSql() matches key tuples with a row value", () => {
  assert.equal(
    sqliteCountKeysSql("runs", ["run_id", "node_id"], 2),
    'SELECT COUNT(*) AS n FROM "runs" WHERE ("run_id", "node_id") IN (VALUES (?, ?), (?, ?))',
  );
});

Deno.test("sqliteInsertSql() quotes odd names", () => {
  assert.equal(sqliteInsertSql('a"b', ["c"], 3), 'INSERT INTO "a""b" ("c") VALUES (?), (?), (?)');
});
