import assert from "node:assert/strict";
import { join } from "node:path";
import { generateDataset } from "./generate_dataset.ts";
import { appendDays, partitionSessionsByDay } from "./partition_dataset.ts";
import { parseDataArgs } from "./parse_data_args.ts";

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const e of Deno.readDir(join(dir, "viewing_sessions"))) {
    out[e.name] = await Deno.readTextFile(join(dir, "viewing_sessions", e.name));
  }
  return out;
}

Deno.test("partitionSessionsByDay keeps every row once, under its watch day, with the header", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await generateDataset({ outDir: dir, users: 50, sessions: 800, seed: 9 });
    const original = (await Deno.readTextFile(join(dir, "viewing_sessions.csv"))).split("\n").filter(Boolean);
    const written = await partitionSessionsByDay(dir);
    await assert.rejects(Deno.stat(join(dir, "viewing_sessions.csv")), Deno.errors.NotFound);
    const files = await filesOf(dir);
    assert.equal(written.length, Object.keys(files).length);
    const rows: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      const [header, ...lines] = text.split("\n").filter(Boolean);
      assert.equal(header, original[0], `${name} has the header`);
      for (const line of lines) assert.equal(line.split(",")[3].slice(0, 10), name.slice(0, 10), line);
      rows.push(...lines);
    }
    assert.deepEqual(rows.sort(), original.slice(1).sort());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("appendDays continues deterministically: same users, new ids, late corrections, a replaced day", async () => {
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const dir = await Deno.makeTempDir();
    await generateDataset({ outDir: dir, users: 60, sessions: 20_000, seed: 4 });
    await partitionSessionsByDay(dir);
    const before = await filesOf(dir);
    const written = await appendDays(dir, 3, 4);
    runs.push({
      before,
      after: await filesOf(dir),
      written: written.map((w) => [w.path.split("/").at(-1), w.kind]),
    });
    await Deno.remove(dir, { recursive: true });
  }
  assert.deepEqual(runs[0].after, runs[1].after, "the same options write the same bytes");
  const { before, after, written } = runs[0];
  assert.deepEqual(written.filter(([, kind]) => kind === "appended").map(([n]) => n), [
    "2024-09-01.csv",
    "2024-09-02.csv",
    "2024-09-03.csv",
  ]);
  const replaced = written.find(([, kind]) => kind === "replaced")![0] as string;
  assert.notEqual(after[replaced], before[replaced], "the replaced day has corrections");
  const users = new Set(
    Object.values(before).flatMap((t) => t.split("\n").slice(1).filter(Boolean).map((l) => l.split(",")[1])),
  );
  const known = new Set(
    Object.values(before).flatMap((t) => t.split("\n").slice(1).filter(Boolean).map((l) => l.split(",")[0])),
  );
  const added = ["2024-09-01.csv", "2024-09-02.csv", "2024-09-03.csv"].flatMap((n) =>
    after[n].split("\n").slice(1).filter(Boolean)
  );
  assert.ok(added.every((l) => users.has(l.split(",")[1])), "only existing users");
  const restated = added.filter((l) => known.has(l.split(",")[0]));
  assert.ok(restated.length > 0, "some rows restate sessions of earlier days");
  assert.ok(
    restated.every((l) => l.split(",")[3] < "2024-09-01"),
    "a restated session keeps its earlier date",
  );
});

Deno.test("parseDataArgs: --partition-by day and --append-days N", () => {
  assert.deepEqual(parseDataArgs(["--partition-by", "day", "--append-days=7"]), {
    help: false,
    options: { outDir: "data" },
    partitionBy: "day",
    appendDays: 7,
  });
  assert.deepEqual(parseDataArgs([]), { help: false, options: { outDir: "data" } });
  assert.throws(() => parseDataArgs(["--partition-by", "month"]), /--partition-by takes "day"/);
  assert.throws(() => parseDataArgs(["--append-days", "0"]), /--append-days must be a positive integer/);
});

Deno.test("appendDays refuses a dataset that is not partitioned", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(appendDays(dir, 1), /--append-days needs a partitioned dataset/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
