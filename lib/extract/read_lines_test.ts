import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { countLines, type PhysicalLine, readLines, type ReadLinesOptions } from "./read_lines.ts";

/** Reads `bytes` through readLines in chunks of `chunkBytes`, so line ends fall on every boundary. */
async function linesOf(bytes: Uint8Array, options: ReadLinesOptions = {}): Promise<PhysicalLine[]> {
  let at = 0;
  const read = (buffer: Uint8Array) => {
    if (at >= bytes.length) return Promise.resolve(null);
    const n = Math.min(buffer.length, bytes.length - at);
    buffer.set(bytes.subarray(at, at + n));
    at += n;
    return Promise.resolve(n);
  };
  const out: PhysicalLine[] = [];
  for await (const chunk of readLines(read, options)) out.push(...chunk);
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

Deno.test("readLines() ends a line at LF, CRLF or a bare CR, whatever the chunk boundaries", async () => {
  const input = utf8("a\nb\r\nc\rd\r\re\n\nf");
  const expected: PhysicalLine[] = [[1, "a"], [2, "b"], [3, "c"], [4, "d"], [5, ""], [6, "e"], [7, ""], [
    8,
    "f",
  ]];
  for (const chunkBytes of [1, 2, 3, 5, 64]) {
    assert.deepEqual(await linesOf(input, { chunkBytes }), expected, `chunks of ${chunkBytes}`);
  }
});

Deno.test("readLines() rejects a line that is not UTF-8 as bad_encoding and reads the rest", async () => {
  const latin1 = new Uint8Array([0x4d, 0xe9, 0x78, 0x69, 0x63, 0x6f]); // "Méxi co" in Latin-1
  const bytes = new Uint8Array([...utf8("id,country\n1,Spain\n2,"), ...latin1, ...utf8("\n3,México\n")]);
  for (const chunkBytes of [4, 65_536]) {
    const lines = await linesOf(bytes, { chunkBytes });
    assert.deepEqual(lines.map(([line, text, bad]) => [line, bad?.reason ?? "ok", text]), [
      [1, "ok", "id,country"],
      [2, "ok", "1,Spain"],
      [3, "bad_encoding", "2,M\uFFFDxico"],
      [4, "ok", "3,México"],
    ]);
    assert.equal(lines[2][2]!.bytes, 8);
  }
  const asLatin1 = await linesOf(bytes, { encoding: "latin1" });
  assert.equal(asLatin1[2][1], "2,México");
  assert.equal(asLatin1[2][2], undefined);
  const asWindows = await linesOf(new Uint8Array([0x80, 0x31]), { encoding: "windows-1252" });
  assert.deepEqual(asWindows, [[1, "€1"]]);
});

Deno.test("readLines() gives a line over maxLineBytes as line_too_long with a prefix, its length and hash", async () => {
  const long = "x".repeat(5000);
  const bytes = utf8(`a,b\n1,${long}\r\n2,ok\n3,${long}`);
  for (const chunkBytes of [7, 100, 65_536]) {
    const lines = await linesOf(bytes, { maxLineBytes: 1000, chunkBytes });
    assert.deepEqual(lines.map(([line, , bad]) => [line, bad?.reason ?? "ok"]), [
      [1, "ok"],
      [2, "line_too_long"],
      [3, "ok"],
      [4, "line_too_long"],
    ], `chunks of ${chunkBytes}`);
    assert.equal(lines[1][1].length, 1024);
    assert.deepEqual(lines[1][2], {
      reason: "line_too_long",
      bytes: 5002,
      sha256: sha256(utf8(`1,${long}`)),
    });
    assert.equal(lines[2][1], "2,ok");
  }
});

Deno.test("countLines() counts physical lines and line ends on its own", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases: [string, number, { lf: number; crlf: number; cr: number }][] = [
      ["", 0, { lf: 0, crlf: 0, cr: 0 }],
      ["a", 1, { lf: 0, crlf: 0, cr: 0 }],
      ["a\nb\n", 2, { lf: 2, crlf: 0, cr: 0 }],
      ["a\r\nb\rc", 3, { lf: 0, crlf: 1, cr: 1 }],
      ["a\r\r\n\r", 3, { lf: 0, crlf: 1, cr: 2 }],
    ];
    for (const [text, lines, endings] of cases) {
      const path = join(dir, "f.csv");
      await Deno.writeTextFile(path, text);
      assert.deepEqual(
        await countLines(path),
        { lines, bytes: utf8(text).length, endings },
        JSON.stringify(text),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
