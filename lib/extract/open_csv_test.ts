import assert from "node:assert/strict";
import { join } from "node:path";
import { type CsvBatch, openCsv } from "./open_csv.ts";
import { readContentFile } from "./read_content_file.ts";

async function withFile(content: string | Uint8Array, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "viewing_sessions.csv");
  try {
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function readAll(path: string, batchSize = 1000): Promise<{ header: string[]; batches: CsvBatch[] }> {
  await using csv = await openCsv(path, { batchSize });
  const batches: CsvBatch[] = [];
  for await (const batch of csv.batches()) batches.push(batch);
  return { header: csv.header, batches };
}

function flat(batches: CsvBatch[]) {
  return {
    records: batches.flatMap((b) => b.records).map((r) => [r.line, ...r.values]),
    malformed: batches.flatMap((b) => b.malformed).map((r) => [r.line, r.raw]),
  };
}

Deno.test("openCsv() reads the header and rows with line numbers", async (t) => {
  const cases: {
    name: string;
    input: string;
    header: string[];
    records: unknown[][];
    malformed?: unknown[][];
  }[] = [
    {
      name: "LF line ends",
      input: "a,b\n1,2\n3,4\n",
      header: ["a", "b"],
      records: [[2, "1", "2"], [3, "3", "4"]],
    },
    {
      name: "CRLF line ends and no final line end",
      input: "a,b\r\n1,2\r\n3,4",
      header: ["a", "b"],
      records: [[2, "1", "2"], [3, "3", "4"]],
    },
    {
      name: "a UTF-8 BOM",
      input: "\uFEFFUser_ID,age\nU1,30\n",
      header: ["User_ID", "age"],
      records: [[2, "U1", "30"]],
    },
    {
      name: "blank lines, counted in line numbers but not rows",
      input: "\na,b\n\n1,2\n   \n3,4\n\n",
      header: ["a", "b"],
      records: [[4, "1", "2"], [6, "3", "4"]],
    },
    {
      name: "quoted fields with commas, escaped quotes and a line break",
      input: 'a,b,c\n"1,234","say ""hi""",x\n2,"two\nlines",y\n',
      header: ["a", "b", "c"],
      records: [[2, "1,234", 'say "hi"', "x"], [3, "2", "two\nlines", "y"]],
    },
    {
      name: "a wrong field count is malformed, the rest is read",
      input: "a,b\n1,2\n1,2,3\n4\n5,6\n",
      header: ["a", "b"],
      records: [[2, "1", "2"], [5, "5", "6"]],
      malformed: [[3, "1,2,3"], [4, "4"]],
    },
    {
      name: "a quote in the middle of a quoted field is malformed",
      input: 'a,b\n1,"Smart "TV"\n2,ok\n3,"x"\n',
      header: ["a", "b"],
      records: [[3, "2", "ok"], [4, "3", "x"]],
      malformed: [[2, '1,"Smart "TV"']],
    },
    {
      name: "an unclosed quote costs only its own line",
      input: 'a,b,c\n1,"open,x\n2,b,c\n3,b,c\n',
      header: ["a", "b", "c"],
      records: [[3, "2", "b", "c"], [4, "3", "b", "c"]],
      malformed: [[2, '1,"open,x']],
    },
    {
      name: "a broken quote does not pair with a later one",
      input: 'a,b,c\n1,"open,x\n2,b,c\n3,"bad"x,c\n4,b,c\n',
      header: ["a", "b", "c"],
      records: [[3, "2", "b", "c"], [5, "4", "b", "c"]],
      malformed: [[2, '1,"open,x'], [4, '3,"bad"x,c']],
    },
    {
      name: "a quoted field may span lines when its quotes close properly (RFC 4180)",
      input: 'a,b,c\n1,"open,x\n2,b,c\n3,bad",c\n4,b,c\n',
      header: ["a", "b", "c"],
      records: [[2, "1", "open,x\n2,b,c\n3,bad", "c"], [5, "4", "b", "c"]],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withFile(c.input, async (path) => {
        const { header, batches } = await readAll(path);
        assert.deepEqual(header, c.header);
        const got = flat(batches);
        assert.deepEqual(got.records, c.records);
        assert.deepEqual(got.malformed, c.malformed ?? []);
      });
    });
  }
});

Deno.test("openCsv() yields batches of the requested size and loses no line", async () => {
  const rows = Array.from({ length: 2503 }, (_, i) => `${i},${i % 7 === 0 ? '"q,' + i + '"' : "v" + i}`);
  rows[100] = "broken";
  await withFile("id,value\n" + rows.join("\n") + "\n", async (path) => {
    const { batches } = await readAll(path, 1000);
    assert.deepEqual(batches.map((b) => b.records.length), [999, 1000, 503]);
    const { records, malformed } = flat(batches);
    assert.equal(records.length + malformed.length, 2503);
    assert.deepEqual(malformed, [[102, "broken"]]);
    assert.deepEqual(records[7], [9, "7", "q,7"]);
  });
});

Deno.test("openCsv() streams a large file in bounded memory", async () => {
  const line = "S0000001,U0001,M001,2024-01-01,78.5,84.5,Smart TV,HD\n";
  const dir = await Deno.makeTempDir();
  const path = join(dir, "big.csv");
  try {
    const file = await Deno.open(path, { write: true, create: true });
    const block = new TextEncoder().encode(line.repeat(10_000));
    await file.write(new TextEncoder().encode("a,b,c,d,e,f,g,h\n"));
    for (let i = 0; i < 40; i++) await file.write(block); // 400k rows, ~21 MB
    file.close();
    const before = Deno.memoryUsage().rss;
    let peak = before;
    let count = 0;
    await using csv = await openCsv(path);
    for await (const batch of csv.batches()) {
      count += batch.records.length;
      peak = Math.max(peak, Deno.memoryUsage().rss);
    }
    assert.equal(count, 400_000);
    assert.ok(peak - before < 64 * 1024 * 1024, `rss grew by ${(peak - before) >> 20} MiB`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openCsv() explains an empty file, a missing file and a broken header", async (t) => {
  await t.step("empty", async () => {
    await withFile("\n\n", async (path) => {
      await assert.rejects(openCsv(path), {
        name: "SyntaxError",
        message: 'Cannot read "viewing_sessions.csv": the file is empty',
      });
    });
  });
  await t.step("missing", async () => {
    await assert.rejects(openCsv("/nonexistent/users.csv"), {
      message: 'Cannot read "/nonexistent/users.csv": the file does not exist',
    });
  });
  await t.step("broken header", async () => {
    await withFile('a,"b\n', async (path) => {
      await assert.rejects(openCsv(path), { message: /header on line 1 has broken quoting/ });
    });
  });
});

Deno.test("readContentFile() parses JSON and names the file on a syntax error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "content.json"), '\uFEFF{"movies": [], "series": []}');
    assert.deepEqual(await readContentFile(join(dir, "content.json")), { movies: [], series: [] });
    await Deno.writeTextFile(join(dir, "content.json"), '{"movies": [');
    await assert.rejects(readContentFile(join(dir, "content.json")), {
      name: "SyntaxError",
      message: /^Cannot parse "content.json": /,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openCsv() reads 1000 LF lines then 1000 bare-CR lines as 2000 rows (line ends reproduction)", async () => {
  const lf = Array.from({ length: 1000 }, (_, i) => `${i},lf`).join("\n");
  const cr = Array.from({ length: 1000 }, (_, i) => `${1000 + i},cr`).join("\r");
  for (const [name, input] of [["mixed", `id,v\n${lf}\n${cr}\r`], ["CR only", `id,v\r${cr}`]]) {
    await withFile(input, async (path) => {
      const { batches } = await readAll(path);
      const { records, malformed } = flat(batches);
      const expected = name === "mixed" ? 2000 : 1000;
      assert.equal(records.length, expected, name);
      assert.deepEqual(malformed, []);
      assert.deepEqual(records.at(-1), [expected + 1, "1999", "cr"]);
    });
  }
});

Deno.test("openCsv() accounts for every physical line: rows + header + blank + continuation lines", async () => {
  const { countLines } = await import("./read_lines.ts");
  const inputs = [
    "\n\na,b\n1,2\n\n3,4\n",
    'a,b\r\n1,"two\r\nlines"\r\n\r\n2,x\r\n3\r\n',
    'a,"b\nc"\n1,2\r3,4\r\r',
    'a,b\n1,"open\n2,3\n',
    "a,b\n1,\xff\n2,3",
  ];
  for (const input of inputs) {
    await withFile(input, async (path) => {
      await using csv = await openCsv(path);
      let read = 0;
      for await (const batch of csv.batches()) read += batch.records.length + batch.malformed.length;
      const use = csv.lineUse();
      const { lines } = await countLines(path);
      assert.equal(read + use.header + use.blank + use.continuation, lines, JSON.stringify(input));
    });
  }
});

Deno.test("openCsv() rejects a Latin-1 line as bad_encoding unless told the encoding", async () => {
  const bytes = new Uint8Array([
    ...new TextEncoder().encode("id,country\n1,Spain\n2,M"),
    0xe9,
    ...new TextEncoder().encode("xico\n3,Chile\n"),
  ]);
  await withFile(bytes, async (path) => {
    const { batches } = await readAll(path);
    const all = batches.flatMap((b) => b.malformed);
    assert.deepEqual(all.map((r) => [r.line, r.bad?.reason, r.raw]), [[3, "bad_encoding", "2,M\uFFFDxico"]]);
    assert.deepEqual(flat(batches).records, [[2, "1", "Spain"], [4, "3", "Chile"]]);
    await using latin1 = await openCsv(path, { encoding: "latin1" });
    const values = [];
    for await (const batch of latin1.batches()) values.push(...batch.records.map((r) => r.values[1]));
    assert.deepEqual(values, ["Spain", "México", "Chile"]);
  });
});

Deno.test("openCsv() closed under a pending read ends quietly, with no uncaught error (database kill reproduction)", async () => {
  const line = "S0000001,U0001,M001,2024-01-01,78.5,84.5,Smart TV,HD\n";
  await withFile("a,b,c,d,e,f,g,h\n" + line.repeat(50_000), async (path) => {
    for (let round = 0; round < 20; round++) {
      const csv = await openCsv(path, { batchSize: 5000 });
      const batches = csv.batches();
      await batches.next();
      // As when LOAD DATA fails: the loader closes the file while the upload still waits for the next rows.
      const pending = batches.next();
      await csv.close();
      const result = await pending;
      assert.ok(result.done || result.value.records.length <= 5000);
      await batches.return(undefined);
    }
  });
});
