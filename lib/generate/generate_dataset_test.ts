import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { DATASET_PROFILE } from "./dataset_profile.ts";
import { generateDataset, type GenerateDatasetOptions, type GeneratedDataset } from "./generate_dataset.ts";

const FILES = ["users.csv", "content.json", "viewing_sessions.csv", "manifest.json"];

/** Generates into a fresh temp dir, runs `check`, and removes the dir. */
async function withDataset(
  options: Omit<GenerateDatasetOptions, "outDir">,
  check: (dir: string, result: GeneratedDataset) => Promise<void> | void,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "generate_" });
  try {
    await check(dir, await generateDataset({ ...options, outDir: dir }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function sha256(path: string): Promise<string> {
  return createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

async function hashes(options: Omit<GenerateDatasetOptions, "outDir">): Promise<string[]> {
  let result: string[] = [];
  await withDataset(options, async (dir) => {
    result = await Promise.all(FILES.map((name) => sha256(join(dir, name))));
  });
  return result;
}

/** Data rows of a clean CSV file, split on commas. */
async function csvRows(path: string): Promise<{ header: string[]; rows: string[][] }> {
  const lines = (await Deno.readTextFile(path)).split("\n");
  assert.equal(lines.pop(), "", "the file ends with a line end");
  return { header: lines[0].split(","), rows: lines.slice(1).map((line) => line.split(",")) };
}

function share(count: number, total: number): number {
  return (100 * count) / total;
}

function countBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

Deno.test("generateDataset() writes byte-identical files for the same options", async (t) => {
  for (const messy of [false, true]) {
    await t.step(messy ? "messy" : "clean", async () => {
      const options = { seed: 11, users: 600, sessions: 8_000, messy };
      const first = await hashes(options);
      assert.deepEqual(await hashes(options), first);
      const other = await hashes({ ...options, seed: 12 });
      FILES.forEach((name, i) => assert.notEqual(other[i], first[i], `${name} depends on the seed`));
    });
  }
});

Deno.test("generateDataset() output is pinned by sha256 digests", async (t) => {
  // Update these digests only when the generator is changed on purpose (and say so in the change).
  const golden: Record<string, string[]> = {
    clean: [
      "c53c5064b0b58ffc57207fdb9e50d813963bbc02940ef010fbc867fd196f9d53",
      "a9274cce026cb3c707ab7103328f339d24165955dec5190f9e6d7d928fb51f41",
      "dadea3b9aa16eae24683de43c1f01ca997f0ef63f7f67a10b54cf7b2fd2178e4",
      "b6e5ef691a57e67cec998d691d4d13a6e6e5320effc005cafde355ce54b6e294",
    ],
    messy: [
      "2cd658b20b0ce2b7a4c572370fc71943e51d2d1c1c3cdcdfdceccfa5ccd38670",
      "c750e20f6e1c0b08b56d52f0e70ca3825a8f892087b65f13eed9ff3bf09a68a1",
      "479d81baa2266304749b748e0d4ccfc05da14007fe0af438d36a1a370b4eb1da",
      "3d946585fa5c60cc5caf900fdc5c7cf13f6fa8058629052ff85c17c5c76396b3",
    ],
  };
  for (const [name, digests] of Object.entries(golden)) {
    await t.step(name, async () => {
      const actual = await hashes({ users: 200, sessions: 3_000, messy: name === "messy" });
      assert.deepEqual(
        Object.fromEntries(FILES.map((file, i) => [file, actual[i]])),
        Object.fromEntries(FILES.map((file, i) => [file, digests[i]])),
      );
    });
  }
});

Deno.test("generateDataset() defaults: exact sizes, ids, shares and ranges of the original data", async (t) => {
  await withDataset({}, async (dir, { files, manifest }) => {
    const users = await csvRows(join(dir, "users.csv"));
    const sessions = await csvRows(join(dir, "viewing_sessions.csv"));
    const content = JSON.parse(await Deno.readTextFile(join(dir, "content.json")));
    const registered = new Map(users.rows.map((row) => [row[0], row[4]]));

    await t.step("sizes", () => {
      assert.equal(users.rows.length, 5_000);
      assert.equal(sessions.rows.length, 222_785);
      assert.equal(content.movies.length, 200);
      assert.equal(content.series.length, 100);
      assert.deepEqual(files.map((file) => file.rows), [5_000, 300, 222_785, undefined]);
      for (const file of files) assert.equal(file.bytes, (Deno.statSync(file.path)).size);
    });

    await t.step("headers", () => {
      assert.deepEqual(users.header, [
        "user_id",
        "age",
        "country",
        "subscription_type",
        "registration_date",
        "total_watch_time_hours",
      ]);
      assert.deepEqual(sessions.header, [
        "session_id",
        "user_id",
        "content_id",
        "watch_date",
        "watch_duration_minutes",
        "completion_percentage",
        "device_type",
        "quality_level",
      ]);
    });

    await t.step("ids", () => {
      users.rows.forEach((row, i) => assert.equal(row[0], `U${String(i + 1).padStart(4, "0")}`));
      sessions.rows.forEach((row, i) => {
        if (row[0] !== `SS${String(i + 1).padStart(7, "0")}`) assert.fail(`row ${i}: ${row[0]}`);
      });
      const contentIds = new Set([...content.movies, ...content.series].map((doc) => doc.content_id));
      for (const [, user, item] of sessions.rows) {
        if (!registered.has(user) || !contentIds.has(item)) assert.fail(`unknown reference ${user} ${item}`);
      }
    });

    await t.step("users: countries, plans, ages, dates, hours", () => {
      const total = users.rows.length;
      for (const [column, shares] of [[2, DATASET_PROFILE.countries], [3, DATASET_PROFILE.plans]] as const) {
        const counts = countBy(users.rows, (row) => row[column]);
        assert.deepEqual([...counts.keys()].sort(), Object.keys(shares).sort());
        for (const [name, expected] of Object.entries(shares)) {
          const actual = share(counts.get(name)!, total);
          assert.ok(Math.abs(actual - 100 * expected) < 2, `${name}: ${actual.toFixed(1)} %`);
        }
      }
      for (const [, age, , , date, hours] of users.rows) {
        assert.ok(Number(age) >= 18 && Number(age) <= 65, age);
        assert.ok(date >= "2022-01-01" && date <= "2024-03-01", date);
        assert.match(hours, /^\d+\.\d$/);
      }
    });

    await t.step("sessions: device shares within half a point", () => {
      const counts = countBy(sessions.rows, (row) => row[6]);
      assert.deepEqual([...counts.keys()].sort(), Object.keys(DATASET_PROFILE.devices).sort());
      for (const [device, expected] of Object.entries(DATASET_PROFILE.devices)) {
        const actual = share(counts.get(device)!, sessions.rows.length);
        assert.ok(Math.abs(actual - 100 * expected) < 0.5, `${device}: ${actual.toFixed(2)} %`);
      }
      assert.deepEqual([...countBy(sessions.rows, (row) => row[7]).keys()].sort(), ["4K", "HD", "SD"]);
    });

    await t.step("sessions: dates in the window, after registration", () => {
      for (const [, user, , date] of sessions.rows) {
        if (!/^2024-0[1-8]-\d\d$/.test(date) || date < registered.get(user)!) assert.fail(`${user} ${date}`);
      }
      const months = countBy(sessions.rows, (row) => row[3].slice(0, 7));
      assert.deepEqual(
        [...months.keys()].sort(),
        ["01", "02", "03", "04", "05", "06", "07", "08"].map((m) => `2024-${m}`),
      );
    });

    await t.step("sessions: duration and completion like the original file", () => {
      const durations = sessions.rows.map((row) => Number(row[4]));
      const completions = sessions.rows.map((row) => Number(row[5])).sort((a, b) => a - b);
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      assert.ok(durations.every((value) => value >= 0 && value <= 1440));
      assert.ok(completions[0] >= 0 && completions.at(-1)! <= 100);
      assert.ok(Math.abs(mean(durations) - 78.9) < 1.5, `mean duration ${mean(durations)}`);
      assert.ok(Math.abs(mean(completions) - 78.4) < 1, `mean completion ${mean(completions)}`);
      const median = completions[completions.length >> 1];
      assert.ok(Math.abs(median - 84.5) < 1.5, `median completion ${median}`);
    });

    await t.step("sessions per user vary, some users have none", () => {
      const perUser = countBy(sessions.rows, (row) => row[1]);
      const idle = users.rows.length - perUser.size;
      assert.ok(idle >= 50 && idle <= 500, `${idle} users without sessions`);
      const counts = [...perUser.values()].sort((a, b) => a - b);
      assert.ok(counts.at(-1)! >= 3 * counts[counts.length >> 1], `max ${counts.at(-1)}`);
    });

    await t.step("device mix varies by country and month", () => {
      const country = new Map(users.rows.map((row) => [row[0], row[2]]));
      const mobileShare = (filter: (row: string[]) => boolean) => {
        const rows = sessions.rows.filter(filter);
        return share(rows.filter((row) => row[6] === "Mobile").length, rows.length);
      };
      const peru = mobileShare((row) => country.get(row[1]) === "Peru");
      const argentina = mobileShare((row) => country.get(row[1]) === "Argentina");
      assert.ok(peru - argentina > 4, `Mobile: Peru ${peru}, Argentina ${argentina}`);
      const january = mobileShare((row) => row[3].startsWith("2024-01"));
      const july = mobileShare((row) => row[3].startsWith("2024-07"));
      assert.ok(july - january > 2, `Mobile: January ${january}, July ${july}`);
    });

    await t.step("the manifest of clean data expects everything loaded", () => {
      const { files: outcome, defects } = manifest;
      assert.equal(manifest.messy, false);
      for (const name of ["users.csv", "viewing_sessions.csv"] as const) {
        const file = outcome[name];
        assert.equal(file.loaded, file.rows);
        assert.equal(file.duplicates, 0);
        assert.ok(Object.values(file.rejected).every((count) => count === 0));
        assert.ok(Object.values(file.coerced).every((count) => count === 0));
      }
      assert.equal(outcome["content.json"].loaded, 300);
      assert.deepEqual(defects.crlf, []);
      assert.deepEqual(defects.bom, []);
    });
  });
});

Deno.test("generateDataset() scale multiplies the users and widens their ids", async () => {
  await withDataset({ scale: 3, sessions: 500 }, async (dir, { manifest }) => {
    const { rows } = await csvRows(join(dir, "users.csv"));
    assert.equal(rows.length, 15_000);
    assert.equal(rows[0][0], "U00001");
    assert.equal(rows.at(-1)![0], "U15000");
    assert.equal(manifest.scale, 3);
    assert.equal(manifest.files["viewing_sessions.csv"].rows, 500);
  });
});

Deno.test("generateDataset() messy files carry the whole-file defects", async () => {
  await withDataset({ users: 800, sessions: 12_000, messy: true }, async (dir, { manifest }) => {
    const users = await Deno.readTextFile(join(dir, "users.csv"));
    assert.equal(users.split("\r\n").length, users.split("\n").length, "every users.csv line ends with CRLF");
    assert.ok(users.includes("\r\n\r\n"), "users.csv has blank lines");
    assert.ok(users.startsWith(`${manifest.files["users.csv"].header.join(",")}\r\n`));
    const sessions = await Deno.readFile(join(dir, "viewing_sessions.csv"));
    assert.deepEqual([...sessions.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.deepEqual(manifest.defects.crlf, ["users.csv"]);
    assert.deepEqual(manifest.defects.bom, ["viewing_sessions.csv"]);
    for (const [file, kinds] of Object.entries(manifest.defects.by_file)) {
      for (const [kind, count] of Object.entries(kinds)) assert.ok(count >= 1, `${file}: ${kind}`);
    }
    const sessionsOutcome = manifest.files["viewing_sessions.csv"];
    const rejected = Object.values(sessionsOutcome.rejected).reduce((sum, count) => sum + count, 0);
    assert.equal(sessionsOutcome.loaded, sessionsOutcome.rows - rejected - sessionsOutcome.duplicates);
  });
});

Deno.test("generateDataset() rejects bad options with a RangeError", async (t) => {
  const cases: [Omit<GenerateDatasetOptions, "outDir">, string][] = [
    [{ scale: 0 }, "scale must be a positive integer (got 0)"],
    [{ users: 1.5 }, "users must be a positive integer (got 1.5)"],
    [{ sessions: -1 }, "sessions must be a positive integer (got -1)"],
    [{ seed: -1 }, "seed must be a non-negative integer (got -1)"],
    [
      { users: 10, sessions: 10_000, messy: true },
      "Cannot inject 14 defects into 10 users: messy data needs at least 28 users",
    ],
  ];
  for (const [options, message] of cases) {
    await t.step(message, async () => {
      const dir = await Deno.makeTempDir();
      try {
        await assert.rejects(generateDataset({ ...options, outDir: dir }), new RangeError(message));
        assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing is written");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});
