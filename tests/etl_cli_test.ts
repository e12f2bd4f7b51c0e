/** `deno task etl` as a person runs it: one clear sentence for bad input, a summary, the right exit code. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";

const etl = async (args: string[]) => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL("../tasks/etl.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
};

Deno.test("etl CLI: bad input gives one sentence and a non-zero exit code", async (t) => {
  const state = await Deno.makeTempDir();
  await t.step("a missing data folder", async () => {
    const r = await etl(["--data", join(state, "nope"), "--state-dir", state]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout.trim(),
      `Cannot run: "users.csv", "viewing_sessions.csv", "content.json" not found in "${join(state, "nope")}"`,
    );
  });
  await t.step("a bad option", async () => {
    const r = await etl(["--batch-size", "x"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), '--batch-size must be a positive integer (got "x")');
  });
  const data = join(state, "data");
  await generateDataset({ outDir: data, users: 50, sessions: 500 });
  await t.step("a bad warehouse URL", async () => {
    const r = await etl(["--data", data, "--state-dir", state, "--warehouse", "postgres://x"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trim().split("\n").length, 1, r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, "no stack trace");
  });
  await t.step("an unreachable server", async () => {
    const r = await etl([
      "--data",
      data,
      "--state-dir",
      state,
      "--warehouse",
      "mysql://u:secret@127.0.0.1:1/db",
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stdout.trim(), /^Cannot connect to MySQL at 127.0.0.1:1: connection refused/);
    assert.doesNotMatch(r.stdout + r.stderr, /secret/, "no password printed");
  });
  await t.step("a good run prints a summary, --json a machine-readable one", async () => {
    const r = await etl(["--data", data, "--state-dir", state, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.status, "success");
    assert.equal(summary.nodes.length, 13);
    assert.match(r.stderr, /process_sessions\s+success\s+500\s+500\s+0/);
  });
  await Deno.remove(state, { recursive: true });
});
