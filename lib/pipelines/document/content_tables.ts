import { col, int, longtext, real, type TableSpec, text } from "../table_spec.ts";

/** Same width as `viewing_sessions.content_id`, so the cross-store join compares like with like. */
const contentId = col("content_id", text(64));
const genre = col("genre", text(100));
const contentType = col("type", text(16));

/** Per content type: counts, rating, release-year range, budget and views (from `content_stats`). */
export const CONTENT_TYPE_STATS: TableSpec = {
  name: "content_type_stats",
  columns: [
    contentType,
    col("documents", int),
    col("avg_rating", real, true),
    col("min_release_year", int, true),
    col("max_release_year", int, true),
    col("avg_budget", real, true),
    col("total_budget", { kind: "decimal", precision: 18, scale: 2 }),
    col("total_views", { kind: "decimal", precision: 18, scale: 2 }),
  ],
  primaryKey: ["type"],
};

/** Per genre: titles (a title counts once in each of its genres), by type, and their average rating. */
export const CONTENT_GENRE_STATS: TableSpec = {
  name: "content_genre_stats",
  columns: [
    genre,
    col("documents", int),
    col("movies", int),
    col("series", int),
    col("avg_rating", real, true),
  ],
  primaryKey: ["genre"],
};

/** The best rated titles of each genre, `place` 1 first (rating descending, then title, then content_id). */
export const CONTENT_TOP_RATED: TableSpec = {
  name: "content_top_rated",
  columns: [genre, col("place", int), contentId, col("title", longtext), contentType, col("rating", real)],
  primaryKey: ["genre", "place"],
};

/** The content documents' fields that SQL joins need: one row per document. */
export const CONTENT_DIM: TableSpec = {
  name: "content_dim",
  columns: [contentId, col("title", longtext), contentType, col("rating", real)],
  primaryKey: ["content_id"],
};

/** The genres of each content document, one row per (document, genre). */
export const CONTENT_GENRES: TableSpec = {
  name: "content_genres",
  columns: [contentId, genre],
  primaryKey: ["content_id", "genre"],
  indexes: [{ name: "ix_content_genres_genre", columns: ["genre"] }],
};

/** Sessions and minutes per country x genre, with the genre's share within the country. */
export const STATS_COUNTRY_GENRE: TableSpec = {
  name: "stats_country_genre",
  columns: [
    col("country", text(100)),
    genre,
    col("sessions", int),
    col("minutes", { kind: "decimal", precision: 14, scale: 2 }),
    col("share_sessions", real),
    col("share_minutes", real, true),
  ],
  primaryKey: ["country", "genre"],
};

/** The most watched titles of each country, `place` 1 first (sessions descending, then content_id). */
export const STATS_COUNTRY_TOP_CONTENT: TableSpec = {
  name: "stats_country_top_content",
  columns: [
    col("country", text(100)),
    col("place", int),
    contentId,
    col("title", longtext),
    contentType,
    col("sessions", int),
    col("minutes", { kind: "decimal", precision: 14, scale: 2 }),
  ],
  primaryKey: ["country", "place"],
};

/** The warehouse tables of the document pipeline, appended to `DATA_TABLES`. */
export const CONTENT_TABLES: readonly TableSpec[] = [
  CONTENT_TYPE_STATS,
  CONTENT_GENRE_STATS,
  CONTENT_TOP_RATED,
  CONTENT_DIM,
  CONTENT_GENRES,
  STATS_COUNTRY_GENRE,
  STATS_COUNTRY_TOP_CONTENT,
];
