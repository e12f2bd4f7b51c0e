import assert from "node:assert/strict";
import type { SqlValue } from "../../warehouse/mod.ts";
import { RejectSpool } from "./reject_spool.ts";

const tmpFiles = async () => {
  const names: string[] = [];
  for await (const entry of Deno.readDir(Deno.env.get("TMPDIR") ?? "/tmp")) {
    if (entry.name.startsWith("workbench_rejects_")) names.push(entry.name);
  }
  return names.sort();
};

Deno.test("RejectSpool gives back every row in order, spilling past its memory limit", async () => {
  const before = await tmpFiles();
  const rows: SqlValue[][] = Array.from({ length: 23 }, (_, i) => [
    "run",
    "viewing_sessions.csv",
    i + 2,
    i % 2 ? "invalid_date" : "malformed",
    i % 3 ? null : "watch_date",
    `va"lue\\${i}`,
    `raw line ${i}\nwith a newline, a \r carriage return, a tab\t and \u2028 a separator, "quotes", é 😀`,
  ]);
  {
    await using spool = new RejectSpool({ memoryRows: 5, batchSize: 4 });
    for (const row of rows) {
      spool.add(row);
      await spool.spillIfFull();
    }
    assert.equal(spool.count, 23);
    assert.equal((await tmpFiles()).length, before.length + 1, "spilled to one temporary file");
    const batches: SqlValue[][][] = [];
    for await (const batch of spool.batches()) batches.push(batch);
    assert.deepEqual(batches.map((b) => b.length), [4, 4, 4, 4, 4, 3]);
    assert.deepEqual(batches.flat(), rows);
  }
  assert.deepEqual(await tmpFiles(), before, "the temporary file is removed");
});

Deno.test("RejectSpool stays in memory under its limit, and checks its options", async () => {
  const before = await tmpFiles();
  await using spool = new RejectSpool({ memoryRows: 100 });
  spool.add(["run", "users.csv", 3, "missing_key", "user_id", null, ",34"]);
  await spool.spillIfFull();
  assert.deepEqual(await tmpFiles(), before);
  const batches: SqlValue[][][] = [];
  for await (const batch of spool.batches()) batches.push(batch);
  assert.deepEqual(batches, [[["run", "users.csv", 3, "missing_key", "user_id", null, ",34"]]]);
  assert.throws(() => new RejectSpool({ memoryRows: 0 }), RangeError);
  assert.throws(() => new RejectSpool({ batchSize: 1.5 }), RangeError);
});

Deno.test("RejectSpool on a full disk names its spool file and TMPDIR, not the input (disk-full reproduction)", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    // A 64 KiB tmpfs is a real full disk; mounting needs root, so elsewhere this step is skipped.
    const mount = await new Deno.Command("mount", { args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir] })
      .output().catch(() => ({ success: false }));
    await t.step({
      name: "a write that hits ENOSPC",
      ignore: !mount.success,
      fn: async () => {
        await using spool = new RejectSpool({ memoryRows: 10, dir });
        const raw = "x".repeat(2000);
        await assert.rejects(
          (async () => {
            for (let i = 0; i < 100; i++) {
              for (let j = 0; j < 10; j++) {
                spool.add(["run", "viewing_sessions.csv", i * 10 + j, "malformed", null, null, raw]);
              }
              await spool.spillIfFull();
            }
          })(),
          (error: Error) => {
            assert.match(
              error.message,
              new RegExp(`^Cannot spill rejects to the temporary file "${dir}/workbench_rejects_`),
            );
            assert.match(error.message, /set by TMPDIR/);
            assert.doesNotMatch(error.message, /viewing_sessions/);
            return true;
          },
        );
      },
    });
    if (mount.success) await new Deno.Command("umount", { args: [dir] }).output();
    await t.step("a temporary folder that does not exist", async () => {
      await using spool = new RejectSpool({ memoryRows: 1, dir: `${dir}/missing` });
      spool.add(["run", "users.csv", 2, "malformed", null, null, "x"]);
      await assert.rejects(spool.spillIfFull(), {
        message: new RegExp(
          `^Cannot create a temporary file for rejects in ${dir}/missing \\(set by TMPDIR\\)`,
        ),
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
