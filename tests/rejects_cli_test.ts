/** `deno task rejects` as a person runs it after `deno task etl`: lists, filters, exports CSV. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { generateDataset } from "../lib/generate/mod.ts";

const run = async (task: string, args: string[]) => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(`../tasks/${task}.ts`, import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
};

Deno.test("deno task rejects lists a run's rejects and coercions, by file and reason, and as CSV", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rejects_cli_" });
  try {
    const data = join(dir, "data");
    await generateDataset({ outDir: data, seed: 2, users: 100, sessions: 800 });
    await Deno.writeTextFile(
      join(data, "users.csv"),
      "U99999,abc,Narnia,Gold,2023-13-45,xx\n,40,Peru,Basic,2023-01-01,1\n",
      { append: true },
    );
    const etl = await run("etl", ["--data", data, "--state-dir", dir]);
    assert.equal(etl.code, 0, etl.stderr);
    // The summary says it under the table, and how to see all of it.
    assert.match(
      etl.stdout,
      /^users\.csv: 102 read, 101 loaded, 1 rejected, 4 values set to NULL or a default$/m,
    );
    assert.match(etl.stdout, /^ {2}rejected 1 missing_key\n {4}line 103: ,40,Peru,Basic,2023-01-01,1$/m);
    assert.match(etl.stdout, /^ {4}line 102: subscription_type "Gold" -> NULL$/m);
    const runId = /^All of them: deno task rejects (\S+)$/m.exec(etl.stdout)?.[1];
    assert.ok(runId, etl.stdout);

    const text = await run("rejects", [runId, "--state-dir", dir, "--file", "users.csv"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^users\.csv:103 missing_key user_id=""$/m);
    assert.match(text.stdout, /^users\.csv:102 age "abc" -> NULL$/m);
    assert.match(text.stdout, /^4 coerced values \(stored as NULL or a default\):$/m);

    const byReason = await run("rejects", ["--state-dir", dir, "--reason", "malformed"]);
    assert.match(byReason.stdout, /^0 rejects:$/m, "the newest run by default, filtered by reason");
    assert.doesNotMatch(byReason.stdout, /coerced/);

    const csv = await run("rejects", [runId, "--state-dir", dir, "--csv"]);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => [r.kind, r.line, r.field, r.value, r.stored, r.raw]), [
      ["reject", "103", "user_id", "", "", ",40,Peru,Basic,2023-01-01,1"],
      ["coercion", "102", "age", "abc", "NULL", ""],
      ["coercion", "102", "registration_date", "2023-13-45", "NULL", ""],
      ["coercion", "102", "subscription_type", "Gold", "NULL", ""],
      ["coercion", "102", "total_watch_time_hours", "xx", "NULL", ""],
    ]);

    // --json carries the same per file, for machines.
    const json = await run("etl", ["--data", data, "--state-dir", dir, "--json"]);
    const summary = JSON.parse(json.stdout);
    const users = summary.files.find((f: { file: string }) => f.file === "users.csv");
    assert.deepEqual(
      users.coercions.map((c: { field: string; values: number }) => [c.field, c.values]),
      [["age", 1], ["registration_date", 1], ["subscription_type", 1], ["total_watch_time_hours", 1]],
    );
    assert.equal(users.rejects[0].examples[0].raw, ",40,Peru,Basic,2023-01-01,1");

    const unknown = await run("rejects", ["nope", "--state-dir", dir]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr.trim(), /^No run "nope" in sqlite:/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
