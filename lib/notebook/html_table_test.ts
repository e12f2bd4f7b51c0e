import assert from "node:assert/strict";
import { htmlTable } from "./html_table.ts";
import { HtmlBlock, JUPYTER_DISPLAY } from "./html_block.ts";

Deno.test("htmlTable() previews rows: escaped, numbers formatted, long text cut, rest counted", () => {
  const rows = [
    { name: "<b>x</b>", n: 1234567, r: 0.123456, note: null },
    { name: "a".repeat(100), n: 2, r: 1.5, note: { k: 1 } },
    { name: "third", n: 3, r: 0, note: "" },
  ];
  const html = htmlTable(rows, { limit: 2, caption: "users", maxCellLength: 10 });
  assert.match(html, /<caption>users \(first 2 of 3\)<\/caption>/);
  assert.match(html, /&#60;b&#62;x&#60;\/b&#62;/);
  assert.doesNotMatch(html, /<b>x/);
  assert.match(html, />1,234,567</);
  assert.match(html, />0.1235</);
  assert.match(html, />aaaaaaaaa…</);
  assert.match(html, />NULL</);
  assert.match(html, /\{&#34;k&#34;:1\}/);
  assert.doesNotMatch(html, /third/);
  assert.equal((html.match(/<tr>/g) ?? []).length, 3, "header and two rows");
  assert.match(htmlTable(rows, { columns: ["n"] }), /<th style="text-align:left">n<\/th><\/tr>/);
  assert.throws(() => htmlTable(rows, { limit: -1 }), RangeError);
  assert.match(
    htmlTable([{ release_year: 2024, views: 2024 }]),
    />2024<\/td><td style="text-align:right">2,024</,
  );
  assert.match(
    htmlTable([{ line: 2685, lines: 2685 }]),
    />2685<\/td><td style="text-align:right">2,685</,
    "a line number as the file's line, a count of lines grouped",
  );
});

Deno.test("HtmlBlock displays as text/html in the Deno kernel", () => {
  const block = new HtmlBlock("<p>Hello <b>there</b></p>");
  const bundle = block[JUPYTER_DISPLAY]();
  assert.equal(JUPYTER_DISPLAY, Symbol.for("Jupyter.display"));
  assert.equal(bundle["text/html"], "<p>Hello <b>there</b></p>");
  assert.equal(bundle["text/plain"], "Hello there");
});
