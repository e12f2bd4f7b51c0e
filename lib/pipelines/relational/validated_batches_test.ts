import assert from "node:assert/strict";
import { join } from "node:path";
import { fieldsOf, SESSIONS_INPUT, USERS_INPUT } from "../../contract/inputs.ts";
import { resolveHeader } from "../../contract/resolve_header.ts";
import { openCsv } from "../../extract/open_csv.ts";
import { generateDataset } from "../../generate/mod.ts";
import { SessionCubes, type UserGroups, UserIndex } from "../session_cubes.ts";
import type { ValidatedBatch, ValidatorChoice } from "./row_validators.ts";
import { validatedBatches } from "./validated_batches.ts";

/** Reads `path` through {@linkcode validatedBatches}: every batch, the line tally and the result. */
async function readAll(path: string, inWorker: boolean, choice: ValidatorChoice, batchSize = 250) {
  const input = choice.name === "users" ? USERS_INPUT : SESSIONS_INPUT;
  await using csv = await openCsv(path, { batchSize });
  const header = resolveHeader(input, csv.header, csv.file);
  const source = validatedBatches(csv, input, header, choice, { inWorker, open: { batchSize } });
  const batches: ValidatedBatch[] = [];
  for await (const batch of source.batches()) batches.push(batch);
  return { inWorker: source.inWorker, batches, lineUse: source.lineUse(), result: source.result() };
}

/** Some of the users of a file, each in one of two groups (the others' sessions are `unknown_user`). */
async function someUsers(path: string): Promise<UserGroups> {
  const ids = (await Deno.readTextFile(path)).split("\n").slice(1).map((line) => line.split(",")[0])
    .filter((id, i) => /^U\d+$/.test(id) && i % 7 !== 0);
  const index = new UserIndex();
  ids.forEach((id, i) => index.set(id, i % 2));
  return {
    index: index.data(),
    groupCountry: [0, 1],
    groupPlan: ["Basic", "Premium"],
    countries: ["Norway", "Chile"],
  };
}

Deno.test("validatedBatches gives the same batches, line tally and result in a worker as on this thread", async () => {
  const dir = await Deno.makeTempDir({ prefix: "validated-batches-" });
  try {
    await generateDataset({ outDir: dir, seed: 11, messy: true, users: 300, sessions: 6_000 });
    const users = await someUsers(join(dir, "users.csv"));
    const cases: [string, ValidatorChoice][] = [
      ["users.csv", { name: "users", init: null }],
      ["viewing_sessions.csv", { name: "sessions", init: { users } }],
    ];
    for (const [file, choice] of cases) {
      const inline = await readAll(join(dir, file), false, choice);
      const worker = await readAll(join(dir, file), true, choice);
      assert.equal(inline.inWorker, false);
      assert.equal(worker.inWorker, true);
      assert.deepEqual(worker, { ...inline, inWorker: true }, `${file} (${choice.name})`);
      // The messy data exercises every part of a batch.
      const all = inline.batches;
      assert.ok(all.length > 1, `${file}: several batches`);
      assert.ok(
        all.some((b) => b.rejects.some(([, reason]) => reason === "malformed")),
        `${file}: malformed`,
      );
      assert.ok(all.some((b) => b.coercions.length > 0), `${file}: coercions`);
      const read = all.reduce((n, b) => n + b.read, 0);
      assert.ok(read > (file === "users.csv" ? 300 : 6_000), `${file}: ${read} records and malformed lines`);
    }
    const summed = await readAll(join(dir, "viewing_sessions.csv"), true, cases[1][1]);
    const { missingWatchDate } = summed.result as { missingWatchDate: number };
    assert.ok(missingWatchDate > 0, "sessions without a date are counted");
    // The batches' flat rows add up into the cubes as the main thread sums them.
    const cubes = SessionCubes.fromUsers(users);
    const columns = fieldsOf(SESSIONS_INPUT);
    for (const batch of summed.batches) cubes.addRows(batch.rows, columns);
    const accepted = summed.batches.reduce((n, b) => n + b.rows.length / (columns.length + 1), 0);
    const cubed = cubes.rows().session.reduce((n, row) => n + Number(row[4]), 0);
    assert.equal(cubed, accepted, "every accepted session is in the cube");
    const minutes = summed.batches.flatMap((b) => {
      const at = columns.indexOf("watch_duration_minutes") + 1;
      return Array.from(
        { length: b.rows.length / (columns.length + 1) },
        (_, i) => b.rows[i * (columns.length + 1) + at] as number,
      );
    }).reduce((n, m) => n + Math.round(m * 100), 0);
    assert.equal(
      cubes.rows().session.reduce((n, row) => n + Math.round(Number(row[5]) * 100), 0),
      minutes,
      "and every minute",
    );
    assert.throws(() => cubes.addRows(["x"], ["session_id"]), /without their "user_id" column/);
    assert.ok(summed.batches.some((b) => b.rejects.some(([, reason]) => reason === "unknown_user")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("validatedBatches in a worker stops with the worker's error, and on abort", async () => {
  const dir = await Deno.makeTempDir({ prefix: "validated-batches-" });
  try {
    await generateDataset({ outDir: dir, seed: 12, users: 100, sessions: 5_000 });
    const path = join(dir, "users.csv");
    {
      await using csv = await openCsv(path);
      const header = resolveHeader(USERS_INPUT, csv.header, csv.file);
      // Opened here, gone when the worker opens it.
      await Deno.remove(path);
      const source = validatedBatches(csv, USERS_INPUT, header, { name: "users", init: null }, {
        inWorker: true,
        open: {},
      });
      await assert.rejects(
        async () => {
          for await (const _ of source.batches());
        },
        (error: Error) => error.message === `Cannot read "${path}": the file does not exist`,
      );
      assert.throws(() => source.lineUse(), /before it is read to the end/);
    }
    const sessions = join(dir, "viewing_sessions.csv");
    await using csv = await openCsv(sessions, { batchSize: 100 });
    const header = resolveHeader(SESSIONS_INPUT, csv.header, csv.file);
    const controller = new AbortController();
    const users: UserGroups = {
      index: new UserIndex().data(),
      groupCountry: [],
      groupPlan: [],
      countries: [],
    };
    const source = validatedBatches(csv, SESSIONS_INPUT, header, {
      name: "sessions",
      init: { users },
    }, {
      inWorker: true,
      open: { batchSize: 100 },
      signal: controller.signal,
    });
    let seen = 0;
    await assert.rejects(
      async () => {
        for await (const _ of source.batches()) if (++seen === 3) controller.abort(new Error("stop here"));
      },
      /stop here/,
    );
    assert.equal(seen, 3, "no batch after the abort");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
