/**
 * The document pipeline's five nodes through the real DAG runner: a SQLite warehouse in memory whose
 * relational part (schema, users, sessions) the test sets up itself, and each document store in turn.
 */
import { MongoClient } from "mongodb";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildGraph, type NodeRunResult, runDag } from "../lib/dag/mod.ts";
import { type Doc, type DocCollection, type DocStore, openDocStore } from "../lib/docstore/mod.ts";
import { CONTENT_TABLES, DOCUMENT_NODES, validateContentJson } from "../lib/pipelines/document/mod.ts";
import { DATA_TABLES, ensureTables, type PipelineServices, WarehouseRunStore } from "../lib/pipelines/mod.ts";
import { RELATIONAL_NODES } from "../lib/pipelines/relational/nodes.ts";
import { openWarehouse, type SqlValue, type Warehouse } from "../lib/warehouse/mod.ts";
import { integrationTest, uniqueDatabaseUrl } from "./_servers.ts";

const SEED_URL = new URL("../../shared/seed-data/content.json", import.meta.url);
const SEED_PATH = fileURLToPath(SEED_URL);
const seedPresent = await Deno.stat(SEED_URL).then(() => true, () => false);
if (!seedPresent) console.info(`Seed content tests ignored: "${SEED_PATH}" is absent`);

const DOCUMENT_IDS = DOCUMENT_NODES.map((node) => node.id);
const GRAPH = buildGraph([...RELATIONAL_NODES, ...DOCUMENT_NODES]);

// ---------------------------------------------------------------------------------------------------------
// Fixture: stores, services and runs

interface Fixture extends AsyncDisposable {
  services: PipelineServices;
  wh: Warehouse;
  content: DocCollection;
  /** Runs the given nodes (the others count as done) and returns their results by id; all must succeed. */
  run(ids?: readonly string[], runId?: string): Promise<Record<string, NodeRunResult>>;
}

async function openFixture(docstore: DocStore, contentPath: string): Promise<Fixture> {
  const wh = await openWarehouse("sqlite::memory:");
  // What create_schema does, without running the relational nodes.
  await ensureTables(wh, DATA_TABLES);
  const runStore = await WarehouseRunStore.open(wh);
  const services: PipelineServices = {
    warehouse: wh,
    docstore,
    runStore,
    files: { users: "users.csv", sessions: "viewing_sessions.csv", content: contentPath },
    batchSize: 1000,
    fresh: false,
    purge: false,
    missingWatchDateLimit: 0.05,
    // The fixtures are a handful of documents: their few defects are most of them.
    maxRejectRate: 1,
  };
  return {
    services,
    wh,
    content: docstore.collection("content"),
    async run(ids = DOCUMENT_IDS, runId) {
      const result = await runDag(GRAPH, { services, select: new Set(ids), recorder: runStore, runId });
      const failed = result.nodes.filter((node) => node.status !== "success");
      assert.deepEqual(failed.map((node) => `${node.nodeId}: ${node.error}`), []);
      return Object.fromEntries(result.nodes.map((node) => [node.nodeId, node]));
    },
    async [Symbol.asyncDispose]() {
      await wh.close();
    },
  };
}

async function dropDatabase(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

async function tempContentFile(json: unknown): Promise<{ path: string; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "document_pipeline_" });
  const path = `${dir}/content.json`;
  await Deno.writeTextFile(path, JSON.stringify(json));
  return { path, dir };
}

// ---------------------------------------------------------------------------------------------------------
// Deterministic users and sessions

const COUNTRIES = ["France", "Brazil", "Japan", null, "Kenya"];

/** A small linear congruential generator: the same sessions on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface SessionFixture {
  users: { user_id: string; country: string | null }[];
  sessions: { session_id: string; user_id: string; content_id: string; minutes: number }[];
}

/** 15 users over five countries (one unknown) and 400 sessions over 40 titles plus one unknown title. */
async function insertSessions(wh: Warehouse, contentIds: readonly string[]): Promise<SessionFixture> {
  const random = seeded(42);
  const users = Array.from({ length: 15 }, (_, i) => ({
    user_id: `u${String(i + 1).padStart(2, "0")}`,
    country: COUNTRIES[i % COUNTRIES.length],
  }));
  const titles = [...contentIds.slice(0, 40), "X999"];
  const sessions = Array.from({ length: 400 }, (_, i) => ({
    session_id: `s${String(i + 1).padStart(4, "0")}`,
    user_id: users[Math.floor(random() * users.length)].user_id,
    // Squared: a few titles get most sessions, so the top five are not all ties.
    content_id: titles[Math.floor(random() ** 2 * titles.length)],
    minutes: Math.round(random() * 18_000) / 100,
  }));
  await wh.upsert(
    "users",
    ["user_id", "country"],
    ["user_id"],
    users.map((u) => [u.user_id, u.country]),
  );
  await wh.upsert(
    "viewing_sessions",
    ["session_id", "user_id", "content_id", "watch_date", "watch_duration_minutes", "device_type"],
    ["session_id"],
    sessions.map((s) => [s.session_id, s.user_id, s.content_id, "2024-03-01 20:00:00", s.minutes, "Mobile"]),
  );
  return { users, sessions };
}

// ---------------------------------------------------------------------------------------------------------
// Independent computations in plain JS over the source documents

interface SourceDoc {
  content_id: string;
  title: string;
  type: "movie" | "series";
  genre: string[];
  rating: number;
  release_year?: number;
  production_budget?: number;
  views: number;
}

/** The seed file's documents read directly (the seed is clean: every document is valid and unique). */
function seedDocs(
  json: { movies: Record<string, unknown>[]; series: Record<string, unknown>[] },
): SourceDoc[] {
  const read = (doc: Record<string, unknown>, type: "movie" | "series"): SourceDoc => ({
    ...(doc as unknown as SourceDoc),
    type,
    views: Number(type === "movie" ? doc.views_count : doc.total_views),
  });
  return [...json.movies.map((d) => read(d, "movie")), ...json.series.map((d) => read(d, "series"))];
}

const mean = (values: number[]) => values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const compare = (a: string | number, b: string | number) => a < b ? -1 : a > b ? 1 : 0;

function expectedTypeStats(docs: SourceDoc[]) {
  return (["movie", "series"] as const).map((type) => {
    const ofType = docs.filter((d) => d.type === type);
    const years = ofType.map((d) => d.release_year).filter((y): y is number => typeof y === "number");
    const budgets = ofType.map((d) => d.production_budget).filter((b): b is number => typeof b === "number");
    return {
      type,
      documents: ofType.length,
      avg_rating: mean(ofType.map((d) => d.rating)),
      min_release_year: years.length ? Math.min(...years) : null,
      max_release_year: years.length ? Math.max(...years) : null,
      avg_budget: mean(budgets),
      total_budget: sum(budgets),
      total_views: sum(ofType.map((d) => d.views)),
    };
  });
}

function expectedGenreStats(docs: SourceDoc[]) {
  const genres = [...new Set(docs.flatMap((d) => d.genre))].sort(compare);
  return genres.map((genre) => {
    const withGenre = docs.filter((d) => d.genre.includes(genre));
    return {
      genre,
      documents: withGenre.length,
      movies: withGenre.filter((d) => d.type === "movie").length,
      series: withGenre.filter((d) => d.type === "series").length,
      avg_rating: mean(withGenre.map((d) => d.rating)),
    };
  });
}

function expectedTopRated(docs: SourceDoc[]) {
  const genres = [...new Set(docs.flatMap((d) => d.genre))].sort(compare);
  return genres.flatMap((genre) =>
    docs.filter((d) => d.genre.includes(genre))
      .sort((a, b) => b.rating - a.rating || compare(a.title, b.title) || compare(a.content_id, b.content_id))
      .slice(0, 3)
      .map((d, at) => ({
        genre,
        place: at + 1,
        content_id: d.content_id,
        title: d.title,
        type: d.type,
        rating: d.rating,
      }))
  );
}

function expectedCountryGenre(docs: SourceDoc[], fixture: SessionFixture) {
  const byId = new Map(docs.map((d) => [d.content_id, d]));
  const countryOf = new Map(fixture.users.map((u) => [u.user_id, u.country ?? "Unknown"]));
  const cells = new Map<string, { country: string; genre: string; sessions: number; minutes: number }>();
  for (const s of fixture.sessions) {
    const doc = byId.get(s.content_id);
    if (!doc) continue;
    const country = countryOf.get(s.user_id)!;
    for (const genre of new Set(doc.genre)) {
      const key = `${country}\u0000${genre}`;
      const cell = cells.get(key) ?? { country, genre, sessions: 0, minutes: 0 };
      cell.sessions++;
      cell.minutes += s.minutes;
      cells.set(key, cell);
    }
  }
  const rows = [...cells.values()];
  return rows.sort((a, b) => compare(a.country, b.country) || compare(a.genre, b.genre)).map((cell) => {
    const inCountry = rows.filter((r) => r.country === cell.country);
    return {
      ...cell,
      share_sessions: cell.sessions / sum(inCountry.map((r) => r.sessions)),
      share_minutes: cell.minutes / sum(inCountry.map((r) => r.minutes)),
    };
  });
}

function expectedTopContent(docs: SourceDoc[], fixture: SessionFixture) {
  const byId = new Map(docs.map((d) => [d.content_id, d]));
  const countryOf = new Map(fixture.users.map((u) => [u.user_id, u.country ?? "Unknown"]));
  const perCountry = new Map<string, Map<string, { sessions: number; minutes: number }>>();
  for (const s of fixture.sessions) {
    if (!byId.has(s.content_id)) continue;
    const country = countryOf.get(s.user_id)!;
    const titles = perCountry.get(country) ?? new Map();
    const cell = titles.get(s.content_id) ?? { sessions: 0, minutes: 0 };
    cell.sessions++;
    cell.minutes += s.minutes;
    titles.set(s.content_id, cell);
    perCountry.set(country, titles);
  }
  return [...perCountry.keys()].sort(compare).flatMap((country) =>
    [...perCountry.get(country)!.entries()]
      .sort(([idA, a], [idB, b]) => b.sessions - a.sessions || compare(idA, idB))
      .slice(0, 5)
      .map(([content_id, cell], at) => ({
        country,
        place: at + 1,
        content_id,
        title: byId.get(content_id)!.title,
        type: byId.get(content_id)!.type,
        sessions: cell.sessions,
        minutes: cell.minutes,
      }))
  );
}

/** Deep equality where numbers may differ by 1e-6 (averages are rounded to 6 decimals, sums are doubles). */
function assertClose(actual: unknown, expected: unknown, path = "$"): void {
  if (typeof expected === "number" && typeof actual === "number") {
    assert.ok(Math.abs(actual - expected) <= 1e-6, `${path}: ${actual} is not close to ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((item, i) => assertClose(actual[i], item, `${path}[${i}]`));
  } else if (typeof expected === "object" && expected !== null) {
    assert.ok(typeof actual === "object" && actual !== null, `${path}: expected an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const [key, value] of Object.entries(expected)) {
      assertClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    assert.equal(actual, expected, path);
  }
}

/** Every document-pipeline table, rows in key order, and every content document in id order. */
async function snapshot(fixture: Fixture): Promise<Record<string, unknown>> {
  const tables: Record<string, unknown> = {};
  for (const spec of CONTENT_TABLES) {
    tables[spec.name] = await fixture.wh.query(
      `SELECT * FROM ${spec.name} ORDER BY ${spec.primaryKey.join(", ")}`,
    );
  }
  tables.documents = await fixture.content.find({}, { sort: { content_id: 1 } });
  return tables;
}

const byKey = (rows: Record<string, SqlValue>[], ...keys: string[]) =>
  rows.sort((a, b) => keys.reduce((order, key) => order || compare(a[key]!, b[key]!), 0));

// ---------------------------------------------------------------------------------------------------------
// The seed file, on every document store

const CONTENT_INDEX_NAMES = ["content_id_1", "genre_1", "release_year_-1", "rating_-1", "type_1"];

/** Loads the seed content, checks every node's result against plain JS, then checks that a rerun changes nothing. */
async function checkSeedPipeline(docstore: DocStore, t: Deno.TestContext): Promise<void> {
  const seed = JSON.parse(await Deno.readTextFile(SEED_PATH));
  const docs = seedDocs(seed);
  await using fixture = await openFixture(docstore, SEED_PATH);
  const sessions = await insertSessions(fixture.wh, docs.map((d) => d.content_id));
  const info = await docstore.serverInfo();
  const first = await fixture.run();

  await t.step("validate_content counts 300 documents, 200 movies and 100 series", () => {
    const node = first.validate_content;
    assert.deepEqual([node.rowsRead, node.rowsWritten, node.rowsRejected], [300, 0, 0]);
    assert.deepEqual(node.details, {
      file: "content.json",
      documents: 300,
      valid: 300,
      loaded: 300,
      duplicates: 0,
      rejected: 0,
      rejectedByReason: {},
      byType: { movie: 200, series: 100 },
    });
  });

  await t.step("load_content stores the 300 validated documents", async () => {
    const node = first.load_content;
    assert.deepEqual([node.rowsRead, node.rowsWritten, node.rowsRejected], [300, 300, 0]);
    assert.deepEqual(
      [node.details?.inserted, node.details?.updated, node.details?.unchanged, node.details?.deleted],
      [300, 0, 0, 0],
    );
    assert.equal(await fixture.content.count(), 300);
    assert.equal(await fixture.content.count({ type: "movie" }), 200);
    assert.equal(await fixture.content.count({ type: "series" }), 100);
    const expected = validateContentJson(seed).accepted.sort((a, b) => compare(a.content_id, b.content_id));
    assert.deepEqual(await fixture.content.find({}, { sort: { content_id: 1 } }), expected);
  });

  await t.step("create_content_indexes leaves the five indexes", async () => {
    const indexes = await fixture.content.listIndexes();
    assert.deepEqual(indexes.map((i) => i.name).sort(), [...CONTENT_INDEX_NAMES].sort());
    assert.deepEqual(indexes.find((i) => i.name === "content_id_1")?.unique, true);
    assert.deepEqual(indexes.find((i) => i.name === "release_year_-1")?.key, { release_year: -1 });
    assert.deepEqual(
      (first.create_content_indexes.details?.indexes as { name: string }[]).map((i) => i.name).sort(),
      [...CONTENT_INDEX_NAMES].sort(),
    );
  });

  await t.step("content_stats equals a plain JS computation", async () => {
    assert.match(
      String(first.content_stats.details?.engine),
      info.ferretdb ? /embedded copy/ : /^(embedded|mongodb) /,
    );
    assertClose(
      await fixture.wh.query("SELECT * FROM content_type_stats ORDER BY type"),
      expectedTypeStats(docs),
    );
    assertClose(
      await fixture.wh.query("SELECT * FROM content_genre_stats ORDER BY genre"),
      expectedGenreStats(docs),
    );
    assertClose(
      await fixture.wh.query("SELECT * FROM content_top_rated ORDER BY genre, place"),
      expectedTopRated(docs),
    );
  });

  await t.step("cross_store_stats equals a plain JS computation over the sessions", async () => {
    const node = first.cross_store_stats;
    const unmatched = sessions.sessions.filter((s) => s.content_id === "X999").length;
    assert.ok(unmatched > 0, "the fixture has sessions of unknown content");
    assert.deepEqual([node.details?.sessions, node.details?.unmatchedSessions], [400, unmatched]);
    assert.equal((await fixture.wh.query("SELECT * FROM content_dim")).length, 300);
    const genreRows = await fixture.wh.query<Record<string, SqlValue>>("SELECT * FROM stats_country_genre");
    assertClose(byKey(genreRows, "country", "genre"), expectedCountryGenre(docs, sessions));
    const topRows = await fixture.wh.query<Record<string, SqlValue>>(
      "SELECT * FROM stats_country_top_content",
    );
    const expectedTop = expectedTopContent(docs, sessions);
    assert.equal(expectedTop.length, 25, "five countries, five titles each");
    assertClose(byKey(topRows, "country", "place"), expectedTop);
  });

  await t.step("a second run writes nothing and leaves every table and document identical", async () => {
    const before = await snapshot(fixture);
    const second = await fixture.run();
    const load = second.load_content.details!;
    assert.deepEqual([load.inserted, load.updated, load.unchanged, load.deleted, load.failed], [
      0,
      0,
      300,
      0,
      0,
    ]);
    for (const id of ["load_content", "create_content_indexes", "content_stats", "cross_store_stats"]) {
      assert.equal(second[id].rowsWritten, 0, `${id} rowsWritten`);
    }
    assert.deepEqual(second.create_content_indexes.details?.created, []);
    assert.deepEqual(await snapshot(fixture), before);
  });
}

Deno.test({
  name: "document pipeline: seed content on the embedded store",
  ignore: !seedPresent,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "document_pipeline_" });
    try {
      await using docstore = await openDocStore(`embedded:${dir}/docstore`);
      await checkSeedPipeline(docstore, t);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

for (const kind of ["ferretdb", "mongodb"] as const) {
  integrationTest(
    kind,
    `document pipeline: seed content on ${kind === "ferretdb" ? "FerretDB" : "MongoDB"}`,
    async (serverUrl, t) => {
      if (!seedPresent) return;
      const url = uniqueDatabaseUrl(serverUrl, "document_pipeline");
      await dropDatabase(url);
      try {
        await using docstore = await openDocStore(url);
        const info = await docstore.serverInfo();
        if (info.ferretdb) {
          console.info(
            `FerretDB ${info.version}: content_stats runs its pipelines on an embedded copy of the collection ` +
              "($avg, $min, $max and $push are missing); every other node runs on the server",
          );
        }
        await checkSeedPipeline(docstore, t);
      } finally {
        await dropDatabase(url);
      }
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Defects, retries, purge

const movie = (id: string, extra: Record<string, unknown> = {}) => ({
  content_id: id,
  title: `Title ${id}`,
  genre: ["Drama", "Comedy"],
  rating: 4,
  release_year: 2020,
  views_count: 100,
  production_budget: 1000,
  ...extra,
});

const DEFECTS = {
  movies: [
    movie("M1", { rating: 1.5 }),
    movie("M2", { title: undefined }),
    movie("M3", { rating: 7.5 }),
    movie("M1", { rating: 2.5 }),
    movie("M4", { genre: "Horror" }),
  ],
  series: [{ content_id: "S1", title: "Show", genre: ["Crime"], rating: 3, seasons: 2, total_views: 50 }],
};

Deno.test("document pipeline: a content file with defects gives exactly the expected rejects", async () => {
  const { path, dir } = await tempContentFile(DEFECTS);
  try {
    await using docstore = await openDocStore("embedded::memory:");
    await using fixture = await openFixture(docstore, path);
    const result = await fixture.run(["validate_content", "load_content"], "run-defects");
    const node = result.validate_content;
    assert.deepEqual([node.rowsRead, node.rowsWritten, node.rowsRejected], [6, 2, 2]);
    assert.deepEqual(node.details, {
      file: "content.json",
      documents: 6,
      valid: 4,
      loaded: 3,
      duplicates: 1,
      rejected: 2,
      rejectedByReason: { missing_field: 1, bad_rating: 1 },
      byType: { movie: 2, series: 1 },
    });
    const rejectsSql = "SELECT run_id, file, line, reason, field, value, raw FROM etl_rejects ORDER BY line";
    const rejects = await fixture.wh.query(rejectsSql);
    assert.deepEqual(rejects, [
      {
        run_id: "run-defects",
        file: "content.json",
        line: 2,
        reason: "missing_field",
        field: "title",
        value: null,
        raw: JSON.stringify(DEFECTS.movies[1]),
      },
      {
        run_id: "run-defects",
        file: "content.json",
        line: 3,
        reason: "bad_rating",
        field: "rating",
        value: "7.5",
        raw: JSON.stringify(DEFECTS.movies[2]),
      },
    ]);
    assert.deepEqual(
      await fixture.wh.query(
        "SELECT file, rows_read, rows_loaded, rows_rejected, rows_duplicate FROM etl_file_stats",
      ),
      [{ file: "content.json", rows_read: 6, rows_loaded: 3, rows_rejected: 2, rows_duplicate: 1 }],
    );

    const stored = await fixture.content.find({}, {
      sort: { content_id: 1 },
      projection: { content_id: 1, genre: 1, rating: 1 },
    });
    assert.deepEqual(stored, [
      { content_id: "M1", genre: ["Drama", "Comedy"], rating: 2.5 },
      { content_id: "M4", genre: ["Horror"], rating: 4 },
      { content_id: "S1", genre: ["Crime"], rating: 3 },
    ]);
    assert.equal(result.load_content.details?.inserted, 3);

    // A retry of the same run replaces its rejects instead of adding to them.
    await fixture.run(["validate_content"], "run-defects");
    assert.deepEqual(await fixture.wh.query(rejectsSql), rejects);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The docstore, recording each write to `content` with the document count right after it. */
function recordingStore(store: DocStore, calls: string[]): DocStore {
  const writes = new Set(["purge", "bulkUpsert", "deleteMissing"]);
  return {
    kind: store.kind,
    label: store.label,
    isTransient: (error) => store.isTransient(error),
    collection(name) {
      const collection = store.collection(name);
      return new Proxy(collection, {
        get(target, property) {
          const value = Reflect.get(target, property);
          if (typeof value !== "function") return value;
          if (!writes.has(String(property))) return value.bind(target);
          return async (...args: unknown[]) => {
            const result = await value.apply(target, args);
            calls.push(`${String(property)}:${await target.count()}`);
            return result;
          };
        },
      });
    },
    serverInfo: () => store.serverInfo(),
    close: () => store.close(),
    [Symbol.asyncDispose]: () => store.close(),
  };
}

Deno.test({
  name: "document pipeline: load_content never empties the collection, unless --purge",
  ignore: !seedPresent,
  async fn() {
    const seed = JSON.parse(await Deno.readTextFile(SEED_PATH));
    const changed = {
      movies: seed.movies.slice(10).map((doc: Doc, i: number) => i === 0 ? { ...doc, rating: 0.5 } : doc),
      series: seed.series,
    };
    const { path, dir } = await tempContentFile(changed);
    try {
      const calls: string[] = [];
      await using memory = await openDocStore("embedded::memory:");
      await using fixture = await openFixture(recordingStore(memory, calls), SEED_PATH);
      const load = ["validate_content", "load_content"];

      // One call with every document (the store batches by the run's batchSize, capped to 100 for content):
      // the embedded store then writes its file once per load, not once per batch.
      const first = await fixture.run(load);
      assert.deepEqual(calls.splice(0), [
        "bulkUpsert:300",
        "deleteMissing:300",
      ]);
      assert.equal(first.load_content.details?.batchSize, 100);

      // Upsert everything, then delete what left the file: never fewer documents than the file has.
      fixture.services.files.content = path;
      fixture.services.batchSize = 50;
      const second = await fixture.run(load);
      assert.deepEqual(calls.splice(0), [
        "bulkUpsert:300",
        "deleteMissing:290",
      ]);
      const counts = second.load_content.details!;
      assert.deepEqual(
        [counts.batchSize, counts.inserted, counts.updated, counts.unchanged, counts.deleted, counts.purged],
        [50, 0, 1, 289, 10, false],
      );
      assert.equal(second.load_content.rowsWritten, 11);

      // --purge: empty first, then load everything again (the original behaviour).
      fixture.services.purge = true;
      fixture.services.batchSize = 1000;
      const purged = await fixture.run(load);
      assert.deepEqual(calls.splice(0), ["purge:0", "bulkUpsert:290"]);
      const purgeCounts = purged.load_content.details!;
      assert.deepEqual(
        [purgeCounts.inserted, purgeCounts.updated, purgeCounts.deleted, purgeCounts.purged],
        [290, 0, 290, true],
      );
      assert.equal(purged.load_content.rowsWritten, 580);
      const expected = validateContentJson(changed).accepted.sort((a, b) =>
        compare(a.content_id, b.content_id)
      );
      assert.deepEqual(await fixture.content.find({}, { sort: { content_id: 1 } }), expected);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
