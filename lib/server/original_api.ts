/**
 * The original project's API, for its unmodified frontend: each answer has exactly the shape its client
 * reads (`/api/analytics`, `/api/users`, `/api/users/stats`, `/api/mongodb/*`), computed from the
 * workbench's tables and collection. Before the first run the tables are missing: the answers are then
 * empty (zeros and empty lists), not errors.
 */
import { z } from "zod";
import type { Doc, DocStore } from "../docstore/mod.ts";
import { CONTENT_COLLECTION } from "../pipelines/mod.ts";
import type { SqlValue, Warehouse } from "../warehouse/mod.ts";

/** The rows of a query, or `[]` when one of its tables does not exist yet. */
async function rowsOrNone<T>(wh: Warehouse, sql: string, params: SqlValue[] = []): Promise<T[]> {
  try {
    return await wh.query<T>(sql, params);
  } catch (error) {
    if (wh.sql.isMissingTable(error)) return [];
    throw error;
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/** `GET /api/analytics`: KPIs and three distributions (values in %, dates `YYYY-MM-DD`). */
export interface Analytics {
  totalUsers: number;
  totalSessions: number;
  avgWatchTimeMinutes: number;
  completionRate: number;
  deviceDistribution: { label: string; value: number }[];
  subscriptionTypes: { label: string; value: number }[];
  sessionsOverTime: { date: string; value: number }[];
}

/** Reads the analytics of the original API from `users`, `viewing_sessions` and `stats_device_usage`. */
export async function readAnalytics(wh: Warehouse): Promise<Analytics> {
  const [[users], [sessions], devices, plans, days] = await Promise.all([
    rowsOrNone<{ n: number }>(wh, "SELECT COUNT(*) AS n FROM users"),
    rowsOrNone<{ n: number; avg_minutes: number | null; avg_completion: number | null }>(
      wh,
      `SELECT COUNT(*) AS n, AVG(watch_duration_minutes) AS avg_minutes,
              AVG(completion_percentage) AS avg_completion FROM viewing_sessions`,
    ),
    rowsOrNone<{ device_type: string; share_sessions: number }>(
      wh,
      "SELECT device_type, share_sessions FROM stats_device_usage ORDER BY sessions DESC, device_type",
    ),
    rowsOrNone<{ label: string | null; n: number }>(
      wh,
      `SELECT subscription_type AS label, COUNT(*) AS n FROM users GROUP BY subscription_type
       ORDER BY n DESC, label`,
    ),
    rowsOrNone<{ day: string; n: number }>(
      wh,
      `SELECT SUBSTR(watch_date, 1, 10) AS day, COUNT(*) AS n FROM viewing_sessions
       WHERE watch_date IS NOT NULL GROUP BY SUBSTR(watch_date, 1, 10) ORDER BY day`,
    ),
  ]);
  const totalUsers = num(users?.n);
  return {
    totalUsers,
    totalSessions: num(sessions?.n),
    avgWatchTimeMinutes: round2(num(sessions?.avg_minutes)),
    completionRate: round2(num(sessions?.avg_completion)),
    deviceDistribution: devices.map((d) => ({
      label: String(d.device_type),
      value: round2(num(d.share_sessions) * 100),
    })),
    subscriptionTypes: plans.map((p) => ({
      label: p.label === null ? "Unknown" : String(p.label),
      value: totalUsers ? round2((num(p.n) / totalUsers) * 100) : 0,
    })),
    sessionsOverTime: days.map((d) => ({ date: String(d.day), value: num(d.n) })),
  };
}

const integerText = (min: number, max: number) =>
  z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(
    z.number().int().min(min).max(max),
  );
const orderText = z.string().regex(/^(asc|desc)$/i, 'must be "ASC" or "DESC"').transform((s) =>
  s.toUpperCase() as "ASC" | "DESC"
);

/** What `GET /api/users` may sort by, and the SQL expression of each. */
const USER_SORTS = {
  user_id: "u.user_id",
  age: "u.age",
  country: "u.country",
  subscription_type: "u.subscription_type",
  registration_date: "u.registration_date",
  total_sessions: "m.total_sessions",
  total_watch_hours: "m.total_minutes",
  avg_completion: "m.avg_completion",
  favorite_device: "m.favorite_device",
  last_activity: "m.last_activity",
} as const;

/** The query string of `GET /api/users`. */
export const UsersQuerySchema = z.object({
  search: z.string().max(100).optional(),
  sortBy: z.enum(Object.keys(USER_SORTS) as [keyof typeof USER_SORTS]).default("user_id"),
  order: orderText.default("ASC"),
  page: integerText(1, 1_000_000).default(1),
  limit: integerText(1, 100).default(20),
});

/** A user with their metrics, as `GET /api/users` lists them. */
export interface UserRow {
  user_id: string;
  age: number | null;
  country: string | null;
  subscription_type: string | null;
  registration_date: string | null;
  total_sessions: number;
  total_watch_hours: number;
  avg_completion: number | null;
  favorite_device: string | null;
  last_activity: string | null;
}

/** The original API's pagination block. */
export interface Pagination {
  page: number;
  limit: number;
  total: number;
  pages: number;
}

/**
 * A page of users joined with their `user_metrics`, searched by id, country or plan (case-insensitive,
 * bound as a parameter), sorted by a whitelisted column then by user id.
 */
export async function findUsers(
  wh: Warehouse,
  query: z.infer<typeof UsersQuerySchema>,
): Promise<{ data: UserRow[]; pagination: Pagination }> {
  const params: SqlValue[] = [];
  let where = "";
  const search = query.search?.trim();
  if (search) {
    // `!` escapes LIKE's wildcards on both engines.
    const pattern = `%${search.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
    where = `WHERE LOWER(u.user_id) LIKE ? ESCAPE '!' OR LOWER(u.country) LIKE ? ESCAPE '!'
             OR LOWER(u.subscription_type) LIKE ? ESCAPE '!'`;
    params.push(pattern, pattern, pattern);
  }
  const sort = USER_SORTS[query.sortBy];
  const tie = query.sortBy === "user_id" ? "" : ", u.user_id ASC";
  const from = "FROM users u LEFT JOIN user_metrics m ON m.user_id = u.user_id";
  const [rows, [count]] = await Promise.all([
    rowsOrNone<Record<string, unknown>>(
      wh,
      `SELECT u.user_id, u.age, u.country, u.subscription_type, u.registration_date, m.total_sessions,
              m.total_minutes, m.avg_completion, m.favorite_device, m.last_activity
       ${from} ${where} ORDER BY ${sort} ${query.order}${tie} LIMIT ? OFFSET ?`,
      [...params, query.limit, (query.page - 1) * query.limit],
    ),
    rowsOrNone<{ n: number }>(wh, `SELECT COUNT(*) AS n ${from} ${where}`, params),
  ]);
  const total = num(count?.n);
  return {
    data: rows.map((r) => ({
      user_id: String(r.user_id),
      age: r.age === null ? null : Number(r.age),
      country: r.country === null ? null : String(r.country),
      subscription_type: r.subscription_type === null ? null : String(r.subscription_type),
      registration_date: r.registration_date === null ? null : String(r.registration_date),
      total_sessions: num(r.total_sessions),
      total_watch_hours: round2(num(r.total_minutes) / 60),
      avg_completion: r.avg_completion === null || r.avg_completion === undefined
        ? null
        : Number(r.avg_completion),
      favorite_device: r.favorite_device === null || r.favorite_device === undefined
        ? null
        : String(r.favorite_device),
      last_activity: r.last_activity === null || r.last_activity === undefined
        ? null
        : String(r.last_activity),
    })),
    pagination: { page: query.page, limit: query.limit, total, pages: Math.ceil(total / query.limit) },
  };
}

/** `GET /api/users/stats`. */
export interface UserStats {
  total_users: number;
  avg_age: number;
  countries: number;
  avg_sessions: number;
  avg_watch_hours: number;
  top_countries: { country: string; count: number }[];
}

/** User statistics: counts, averages and the ten countries with most users. */
export async function readUserStats(wh: Warehouse): Promise<UserStats> {
  const [[users], [metrics], top] = await Promise.all([
    rowsOrNone<{ n: number; avg_age: number | null; countries: number }>(
      wh,
      "SELECT COUNT(*) AS n, AVG(age) AS avg_age, COUNT(DISTINCT country) AS countries FROM users",
    ),
    rowsOrNone<{ avg_sessions: number | null; avg_minutes: number | null }>(
      wh,
      `SELECT AVG(COALESCE(m.total_sessions, 0)) AS avg_sessions, AVG(COALESCE(m.total_minutes, 0)) AS avg_minutes
       FROM users u LEFT JOIN user_metrics m ON m.user_id = u.user_id`,
    ),
    rowsOrNone<{ country: string; n: number }>(
      wh,
      `SELECT country, COUNT(*) AS n FROM users WHERE country IS NOT NULL
       GROUP BY country ORDER BY n DESC, country LIMIT 10`,
    ),
  ]);
  return {
    total_users: num(users?.n),
    avg_age: round2(num(users?.avg_age)),
    countries: num(users?.countries),
    avg_sessions: round2(num(metrics?.avg_sessions)),
    avg_watch_hours: round2(num(metrics?.avg_minutes) / 60),
    top_countries: top.map((t) => ({ country: String(t.country), count: num(t.n) })),
  };
}

/** What `GET /api/mongodb/content` may sort by. */
export const MOVIE_SORT_FIELDS = [
  "title",
  "release_year",
  "rating",
  "views_count",
  "duration_minutes",
  "production_budget",
  "content_id",
] as const;

/** The query string of `GET /api/mongodb/content`. */
export const MoviesQuerySchema = z.object({
  page: integerText(1, 1_000_000).default(1),
  limit: integerText(1, 100).default(20),
  genre: z.string().min(1).max(100).optional(),
  year: integerText(1800, 2200).optional(),
  sortBy: z.enum(MOVIE_SORT_FIELDS).default("title"),
  order: orderText.default("ASC"),
});

/** A movie as the original API lists it. */
export interface MovieDoc {
  _id: string;
  content_id: string;
  title: string;
  genre: string[];
  duration_minutes: number | null;
  release_year: number | null;
  rating: number | null;
  views_count: number | null;
  production_budget: number | null;
}

const numberOrNull = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : null);

function movieOf(doc: Doc): MovieDoc {
  return {
    _id: String(doc.content_id),
    content_id: String(doc.content_id),
    title: String(doc.title ?? ""),
    genre: Array.isArray(doc.genre) ? doc.genre.map(String) : [],
    duration_minutes: numberOrNull(doc.duration_minutes),
    release_year: numberOrNull(doc.release_year),
    rating: numberOrNull(doc.rating),
    views_count: numberOrNull(doc.views_count),
    production_budget: numberOrNull(doc.production_budget),
  };
}

/** The movies of the content collection (the original project loaded only movies), filtered, sorted, paged. */
export async function findMovies(
  docstore: DocStore,
  query: z.infer<typeof MoviesQuerySchema>,
): Promise<{ data: MovieDoc[]; pagination: Pagination }> {
  const filter: Doc = { type: "movie" };
  if (query.genre !== undefined) filter.genre = query.genre;
  if (query.year !== undefined) filter.release_year = query.year;
  const sort: Record<string, 1 | -1> = { [query.sortBy]: query.order === "ASC" ? 1 : -1 };
  if (query.sortBy !== "content_id") sort.content_id = 1;
  const collection = docstore.collection(CONTENT_COLLECTION);
  const [docs, total] = await Promise.all([
    collection.find(filter, { sort, skip: (query.page - 1) * query.limit, limit: query.limit }),
    collection.count(filter),
  ]);
  return {
    data: docs.map(movieOf),
    pagination: { page: query.page, limit: query.limit, total, pages: Math.ceil(total / query.limit) },
  };
}

/** `GET /api/mongodb/stats`. */
export interface MovieStats {
  totalMovies: number;
  uniqueGenres: number;
  yearRange: {
    minYear: number | null;
    maxYear: number | null;
    avgRating: number | null;
    totalViews: number;
    avgBudget: number | null;
  };
  genreDistribution: { _id: string; count: number; avgRating: number | null }[];
}

const average = (values: number[]) =>
  values.length ? round2(values.reduce((a, b) => a + b, 0) / values.length) : null;

/**
 * Statistics of the movies, computed here from their fields rather than by `$group` (FerretDB 1.x has no
 * `$avg`, `$min` or `$max`), so they are the same on every store.
 */
export async function readMovieStats(docstore: DocStore): Promise<MovieStats> {
  const docs = (await docstore.collection(CONTENT_COLLECTION).find({ type: "movie" }, {
    projection: { _id: 0, genre: 1, release_year: 1, rating: 1, views_count: 1, production_budget: 1 },
  })).map((d) => movieOf({ content_id: "", ...d }));
  const years = docs.map((d) => d.release_year).filter((y): y is number => y !== null);
  const genres = new Map<string, number[]>();
  const counts = new Map<string, number>();
  for (const d of docs) {
    for (const g of new Set(d.genre)) {
      counts.set(g, (counts.get(g) ?? 0) + 1);
      if (d.rating !== null) genres.set(g, [...genres.get(g) ?? [], d.rating]);
    }
  }
  const known = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  return {
    totalMovies: docs.length,
    uniqueGenres: counts.size,
    yearRange: {
      minYear: years.length ? Math.min(...years) : null,
      maxYear: years.length ? Math.max(...years) : null,
      avgRating: average(known(docs.map((d) => d.rating))),
      totalViews: known(docs.map((d) => d.views_count)).reduce((a, b) => a + b, 0),
      avgBudget: average(known(docs.map((d) => d.production_budget))),
    },
    genreDistribution: [...counts].map(([genre, count]) => ({
      _id: genre,
      count,
      avgRating: average(genres.get(genre) ?? []),
    })).sort((a, b) => b.count - a.count || a._id.localeCompare(b._id)),
  };
}

/** `GET /api/mongodb/schema`. */
export interface CollectionSchema {
  database: string;
  collection: string;
  documentCount: number;
  indexes: { key: Record<string, 1 | -1>; name: string; unique: boolean }[];
  sampleDocument: Doc | null;
  /** Every field of the documents, with the JSON types seen and in how many documents. */
  fields: { name: string; types: string[]; documents: number }[];
  statistics: { documents: number; movies: number; series: number; avgRating: number | null };
}

const typeOf = (value: unknown) =>
  value === null
    ? "null"
    : Array.isArray(value)
    ? "array"
    : typeof value === "object"
    ? "object"
    : typeof value;

/** The content collection: where it is, its indexes, one sample document, its fields and counts. */
export async function readCollectionSchema(docstore: DocStore): Promise<CollectionSchema> {
  const collection = docstore.collection(CONTENT_COLLECTION);
  const [docs, indexes] = await Promise.all([
    collection.find({}, { sort: { content_id: 1 } }),
    collection.listIndexes(),
  ]);
  const fields = new Map<string, { types: Set<string>; documents: number }>();
  for (const doc of docs) {
    for (const [name, value] of Object.entries(doc)) {
      const field = fields.get(name) ?? { types: new Set(), documents: 0 };
      field.types.add(typeOf(value));
      field.documents++;
      fields.set(name, field);
    }
  }
  const ratings = docs.map((d) => d.rating).filter((r): r is number => typeof r === "number");
  return {
    database: docstore.label.replace(/^mongodb(\+srv)?:\/\/[^/]*\/?/, "").replace(/\?.*$/, "") ||
      docstore.label,
    collection: CONTENT_COLLECTION,
    documentCount: docs.length,
    indexes: indexes.map((i) => ({ key: i.key, name: i.name ?? "", unique: i.unique ?? false })),
    sampleDocument: docs[0] ? { _id: String(docs[0].content_id), ...docs[0] } : null,
    fields: [...fields].map(([name, f]) => ({ name, types: [...f.types].sort(), documents: f.documents })),
    statistics: {
      documents: docs.length,
      movies: docs.filter((d) => d.type === "movie").length,
      series: docs.filter((d) => d.type === "series").length,
      avgRating: average(ratings),
    },
  };
}

/** One document of the content collection by `content_id`, or undefined. */
export async function findDocument(docstore: DocStore, contentId: string): Promise<Doc | undefined> {
  const [doc] = await docstore.collection(CONTENT_COLLECTION).find({ content_id: contentId }, { limit: 1 });
  return doc;
}
