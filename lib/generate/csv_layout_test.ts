import assert from "node:assert/strict";
import { CsvLayout } from "./csv_layout.ts";

Deno.test("CsvLayout writes values in the header's order", () => {
  const layout = new CsvLayout(["id", "Region", "age"], [0, 2, 1]);
  assert.equal(layout.headerLine(), "id,Region,age");
  assert.equal(layout.plain(["U0001", "21", "Mexico"]), "U0001,Mexico,21");
  assert.equal(layout.line(["U0001", "21", "Mexico"]), "U0001,Mexico,21");
});

Deno.test("CsvLayout.line() quotes per RFC 4180 except the verbatim value", async (t) => {
  const layout = new CsvLayout(["a", "b"], [0, 1]);
  const cases: [string, string[], number, string][] = [
    ["comma", ["1,234", "x"], -1, '"1,234",x'],
    ["quote", ['say "hi"', "x"], -1, '"say ""hi""",x'],
    ["line break", ["a\nb", "x"], -1, '"a\nb",x'],
    ["spaces stay unquoted", [" 12 ", "x"], -1, " 12 ,x"],
    ["verbatim", ['"Smart "TV"', "x"], 0, '"Smart "TV",x'],
  ];
  for (const [name, values, verbatim, expected] of cases) {
    await t.step(name, () => assert.equal(layout.line(values, verbatim), expected));
  }
});

Deno.test("CsvLayout rejects an order that does not fit the header", () => {
  assert.throws(() => new CsvLayout(["a", "b"], [0]), RangeError);
});
