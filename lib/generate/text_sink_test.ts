import assert from "node:assert/strict";
import { join } from "node:path";
import { TextSink, type TextSinkOptions } from "./text_sink.ts";

async function written(options: TextSinkOptions, lines: string[]): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "out.csv");
    const sink = await TextSink.open(path, { ...options, chunkSize: 4 });
    for (const line of lines) {
      sink.line(line);
      if (sink.full) await sink.flush();
    }
    await sink.close();
    const bytes = await Deno.readFile(path);
    assert.equal(sink.bytes, bytes.byteLength);
    assert.equal(sink.lines, lines.length);
    return bytes;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("TextSink writes lines with LF by default, across several chunks", async () => {
  const bytes = await written({}, ["a,b", "", "1,2"]);
  assert.equal(new TextDecoder().decode(bytes), "a,b\n\n1,2\n");
});

Deno.test("TextSink writes CRLF line ends and a BOM when asked", async () => {
  const bytes = await written({ lineEnd: "\r\n", bom: true }, ["a", "b"]);
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.slice(3)), "a\r\nb\r\n");
});

Deno.test("TextSink.line() returns the line number", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await using sink = await TextSink.open(join(dir, "x.txt"));
    assert.deepEqual([sink.line("h"), sink.line(""), sink.line("r")], [1, 2, 3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
