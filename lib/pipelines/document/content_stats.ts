import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import { type Doc, type DocCollection, openDocStore } from "../../docstore/mod.ts";
import { type SqlValue, type SyncCounts, syncRows } from "../../warehouse/mod.ts";
import type { PipelineServices } from "../services.ts";
import { CONTENT_GENRE_STATS, CONTENT_TOP_RATED, CONTENT_TYPE_STATS } from "./content_tables.ts";
import { CONTENT_COLLECTION } from "./load_content.ts";

/** Titles kept per genre in `content_top_rated`. */
export const TOP_RATED_PER_GENRE = 3;

/**
 * Each genre once per document: a genre listed twice must not count the title twice (nor rank it twice).
 * `$setUnion` with an empty array removes the repeats.
 */
const uniqueGenres = {
  $project: {
    content_id: 1,
    title: 1,
    type: 1,
    rating: 1,
    genre: { $setUnion: ["$genre", []] },
  },
};

/**
 * The aggregation pipelines of `content_stats`, the same literals for every store. They use `$avg`, `$min`,
 * `$max`, `$push` and `$setUnion`, which the embedded store (mingo) and MongoDB run but FerretDB 1.x does
 * not: on FerretDB the node runs them on an in-memory embedded copy of the collection instead.
 */
export const CONTENT_STATS_PIPELINES = {
  /** Per type: documents, average rating, release-year range, average and total budget, total views. */
  byType: [
    {
      $group: {
        _id: "$type",
        documents: { $sum: 1 },
        avg_rating: { $avg: "$rating" },
        min_release_year: { $min: "$release_year" },
        max_release_year: { $max: "$release_year" },
        avg_budget: { $avg: "$production_budget" },
        total_budget: { $sum: "$production_budget" },
        total_views: { $sum: "$views" },
      },
    },
    { $sort: { _id: 1 } },
  ],
  /** Per genre: titles, of which movies and series, and their average rating; most titles first. */
  byGenre: [
    uniqueGenres,
    { $unwind: "$genre" },
    {
      $group: {
        _id: "$genre",
        documents: { $sum: 1 },
        movies: { $sum: { $cond: [{ $eq: ["$type", "movie"] }, 1, 0] } },
        series: { $sum: { $cond: [{ $eq: ["$type", "series"] }, 1, 0] } },
        avg_rating: { $avg: "$rating" },
      },
    },
    { $sort: { documents: -1, _id: 1 } },
  ],
  /** Per genre: the best rated titles, rating descending, then title, then content_id. */
  topRated: [
    uniqueGenres,
    { $unwind: "$genre" },
    { $sort: { genre: 1, rating: -1, title: 1, content_id: 1 } },
    {
      $group: {
        _id: "$genre",
        // $push keeps the order of the $sort above.
        top: { $push: { content_id: "$content_id", title: "$title", type: "$type", rating: "$rating" } },
      },
    },
    { $project: { top: { $slice: ["$top", TOP_RATED_PER_GENRE] } } },
    { $sort: { _id: 1 } },
  ],
} as const satisfies Record<string, readonly Doc[]>;

/** A number, or NULL for anything else (a missing field, a string where a number was expected). */
function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * An average rounded to 6 decimals: sums of doubles depend on the order the server reads documents in, and
 * the last bits must not make a second run report changed rows.
 */
function average(value: unknown): number | null {
  const n = numberOrNull(value);
  return n === null ? null : Math.round(n * 1e6) / 1e6;
}

/** Rows of the three content statistics tables from the pipelines' results. */
export function contentStatsRows(results: Record<keyof typeof CONTENT_STATS_PIPELINES, Doc[]>): {
  types: SqlValue[][];
  genres: SqlValue[][];
  topRated: SqlValue[][];
} {
  return {
    types: results.byType.map((r) => [
      String(r._id),
      Number(r.documents),
      average(r.avg_rating),
      numberOrNull(r.min_release_year),
      numberOrNull(r.max_release_year),
      average(r.avg_budget),
      numberOrNull(r.total_budget) ?? 0,
      numberOrNull(r.total_views) ?? 0,
    ]),
    genres: results.byGenre.map((r) => [
      String(r._id),
      Number(r.documents),
      Number(r.movies),
      Number(r.series),
      average(r.avg_rating),
    ]),
    topRated: results.topRated.flatMap((r) =>
      (r.top as Doc[]).map((t, at) => [
        String(r._id),
        at + 1,
        String(t.content_id),
        String(t.title),
        String(t.type),
        Number(t.rating),
      ])
    ),
  };
}

/**
 * Runs the content statistics pipelines on the document store and syncs their results into
 * `content_type_stats`, `content_genre_stats` and `content_top_rated` (upsert what changed, delete what
 * vanished), so a second run writes nothing.
 */
export async function contentStats(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const { docstore, warehouse: wh } = ctx.services;
  const server = await docstore.serverInfo();
  let collection: DocCollection = docstore.collection(CONTENT_COLLECTION);
  let engine = `${server.kind} ${server.version}`;
  await using copy = server.ferretdb ? await openDocStore("embedded::memory:") : undefined;
  if (copy) {
    const documents = await collection.find();
    collection = copy.collection(CONTENT_COLLECTION);
    await collection.bulkUpsert(documents, { keyField: "content_id" });
    engine = `an embedded copy (FerretDB ${server.version} lacks $avg, $min, $max and $push)`;
    ctx.log(`Aggregating ${documents.length} documents on ${engine}`);
  }
  const results = {} as Record<keyof typeof CONTENT_STATS_PIPELINES, Doc[]>;
  for (const [name, pipeline] of Object.entries(CONTENT_STATS_PIPELINES)) {
    ctx.signal.throwIfAborted();
    results[name as keyof typeof CONTENT_STATS_PIPELINES] = await collection.aggregate(pipeline);
  }
  const rows = contentStatsRows(results);
  const documents = await collection.count();
  ctx.progress({ rowsRead: documents });

  const details: Record<string, unknown> = { engine, documents };
  let rowsWritten = 0;
  // One transaction: on SQLite one turn on the connection, instead of a turn per statement that a long
  // load by another node (process_sessions) could take in between.
  await wh.transaction(async (tx) => {
    for (
      const [spec, tableRows] of [
        [CONTENT_TYPE_STATS, rows.types],
        [CONTENT_GENRE_STATS, rows.genres],
        [CONTENT_TOP_RATED, rows.topRated],
      ] as const
    ) {
      const counts: SyncCounts = await syncRows(
        tx,
        spec.name,
        spec.columns.map((c) => c.name),
        spec.primaryKey,
        tableRows,
      );
      rowsWritten += counts.inserted + counts.updated + counts.deleted;
      details[spec.name] = { rows: tableRows.length, ...counts };
      ctx.progress({ rowsRead: documents, rowsWritten });
    }
  });
  return { rowsRead: documents, rowsWritten, rowsRejected: 0, details };
}
