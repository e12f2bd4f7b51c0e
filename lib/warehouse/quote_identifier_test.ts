import assert from "node:assert/strict";
import { quoteIdentifier } from "./quote_identifier.ts";

Deno.test("quoteIdentifier() quotes names for each dialect", async (t) => {
  const cases: [Parameters<typeof quoteIdentifier>[0], string, string][] = [
    ["mysql", "users", "`users`"],
    ["mysql", "user`s", "`user``s`"],
    ["mysql", 'say "hi"', '`say "hi"`'],
    ["mysql", "etl.runs", "`etl.runs`"],
    ["sqlite", "users", '"users"'],
    ["sqlite", 'say "hi"', '"say ""hi"""'],
    ["sqlite", "user`s", '"user`s"'],
    ["sqlite", "order", '"order"'],
  ];
  for (const [dialect, name, expected] of cases) {
    await t.step(`${dialect}: ${name}`, () => assert.equal(quoteIdentifier(dialect, name), expected));
  }
});

Deno.test("quoteIdentifier() rejects empty names and NUL characters", () => {
  assert.throws(() => quoteIdentifier("mysql", ""), TypeError);
  assert.throws(() => quoteIdentifier("sqlite", "a\0b"), { name: "TypeError", message: /NUL character/ });
});
