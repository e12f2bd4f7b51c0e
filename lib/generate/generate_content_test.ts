import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { generateContent } from "./generate_content.ts";

/** The original seed data, in `shared/seed-data/` beside the repository. */
const SEED_CONTENT = new URL("../../../shared/seed-data/content.json", import.meta.url);
const SEED_PATH = fileURLToPath(SEED_CONTENT);
const seedPresent = await Deno.stat(SEED_CONTENT).then((info) => info.isFile, (error) => {
  if (error instanceof Deno.errors.NotFound) return false;
  throw error;
});
/** Without the seed data the test is ignored with a hint, except in CI (`CI=true`), where it fails. */
const seedMissing = !seedPresent && Deno.env.get("CI") !== "true";
if (seedMissing) {
  console.info(
    `Seed content test ignored: "${SEED_PATH}" is absent. To run it: put the seed data in ` +
      `shared/seed-data/ beside the repository (content.json, users.csv, ...), then deno task test`,
  );
}

Deno.test("generateContent() makes 200 movies and 100 series with sequential ids", () => {
  const { movies, series } = generateContent(42);
  assert.equal(movies.length, 200);
  assert.equal(series.length, 100);
  assert.equal(movies[0].content_id, "M001");
  assert.equal(movies[199].content_id, "M200");
  assert.equal(series[0].content_id, "S001");
  assert.equal(series[99].content_id, "S100");
});

Deno.test({
  name: "generateContent() uses exactly the fields of the original content.json",
  ignore: seedMissing,
  fn: async () => {
    if (!seedPresent) {
      throw new Error(
        `CI requires the seed data at "${SEED_PATH}" (shared/seed-data/ beside the repository)`,
      );
    }
    const original = JSON.parse(await Deno.readTextFile(SEED_CONTENT));
    const { movies, series } = generateContent(42);
    const keys = (docs: object[]) => new Set(docs.map((doc) => Object.keys(doc).sort().join(",")));
    assert.deepEqual(keys(movies), keys(original.movies));
    assert.deepEqual(keys(series), keys(original.series));
  },
});

Deno.test("generateContent() keeps values in the original ranges", async (t) => {
  const { movies, series } = generateContent(42);
  const within = (values: number[], min: number, max: number) =>
    values.every((value) => value >= min && value <= max && Number.isFinite(value));
  await t.step("movies", () => {
    assert.ok(within(movies.map((m) => m.duration_minutes), 80, 180));
    assert.ok(within(movies.map((m) => m.release_year), 2020, 2024));
    assert.ok(within(movies.map((m) => m.rating), 1, 5));
    assert.ok(within(movies.map((m) => m.views_count), 2_000, 300_000));
    assert.ok(
      movies.every((m) =>
        m.genre.length >= 1 && m.genre.length <= 3 && new Set(m.genre).size === m.genre.length
      ),
    );
  });
  await t.step("series", () => {
    assert.ok(
      series.every((s) => s.episodes_per_season.length === s.seasons && within(s.episodes_per_season, 6, 24)),
    );
    assert.ok(within(series.map((s) => s.avg_episode_duration), 20, 60));
    assert.ok(within(series.map((s) => s.rating), 1, 5));
    assert.ok(within(series.map((s) => s.total_views), 11_000, 365_000));
  });
  await t.step("ratings have one decimal", () => {
    for (const { rating } of [...movies, ...series]) assert.equal(Math.round(rating * 10) / 10, rating);
  });
});

Deno.test("generateContent() depends on the seed only", () => {
  assert.deepEqual(generateContent(5), generateContent(5));
  assert.notDeepEqual(generateContent(5), generateContent(6));
});
