import { z } from "zod";
import type { Doc, DocStore } from "../docstore/mod.ts";
import {
  CONTENT_COLLECTION,
  CONTENT_GENRE_STATS,
  CONTENT_TOP_RATED,
  CONTENT_TYPE_STATS,
} from "../pipelines/mod.ts";
import type { Warehouse } from "../warehouse/mod.ts";

/** The fields `GET /api/content` may sort by. */
export const CONTENT_SORT_FIELDS = ["title", "rating", "release_year", "views", "content_id"] as const;

const integerText = (min: number, max: number) =>
  z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(
    z.number().int().min(min).max(max),
  );

/** The query string of `GET /api/content`, as text values from `URLSearchParams`. */
export const ContentQuerySchema = z.strictObject({
  page: integerText(1, 1_000_000).default(1),
  limit: integerText(1, 100).default(20),
  genre: z.string().min(1).max(100).optional(),
  year: integerText(1800, 2200).optional(),
  type: z.enum(["movie", "series"]).optional(),
  sort: z.enum(CONTENT_SORT_FIELDS).default("title"),
  order: z.enum(["asc", "desc"]).default("asc"),
});

/** A validated content query. */
export type ContentQuery = z.infer<typeof ContentQuerySchema>;

/** A page of content with what the dashboard needs to page on. */
export interface ContentPage {
  items: Doc[];
  page: number;
  limit: number;
  total: number;
  pages: number;
}

/** The MongoDB filter of a query: genre is matched within the `genre` array, year against `release_year`. */
export function contentFilter(query: ContentQuery): Doc {
  const filter: Doc = {};
  if (query.genre !== undefined) filter.genre = query.genre;
  if (query.year !== undefined) filter.release_year = query.year;
  if (query.type !== undefined) filter.type = query.type;
  return filter;
}

/** One page of the `content` collection, filtered and sorted (ties broken by `content_id`). */
export async function findContent(docstore: DocStore, query: ContentQuery): Promise<ContentPage> {
  const collection = docstore.collection(CONTENT_COLLECTION);
  const filter = contentFilter(query);
  const direction = query.order === "asc" ? 1 : -1;
  const sort: Record<string, 1 | -1> = { [query.sort]: direction };
  if (query.sort !== "content_id") sort.content_id = 1;
  const [items, total] = await Promise.all([
    collection.find(filter, { sort, skip: (query.page - 1) * query.limit, limit: query.limit }),
    collection.count(filter),
  ]);
  return { items, page: query.page, limit: query.limit, total, pages: Math.ceil(total / query.limit) };
}

/** The content statistics tables that `content_stats` keeps in the warehouse. */
export interface ContentStatTables {
  byType: Record<string, unknown>[];
  byGenre: Record<string, unknown>[];
  topRated: Record<string, unknown>[];
}

/** Reads `content_type_stats`, `content_genre_stats` and `content_top_rated`; empty before the first run. */
export async function readContentStatTables(warehouse: Warehouse): Promise<ContentStatTables> {
  const read = async (table: string, order: string) => {
    try {
      return await warehouse.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${order}`);
    } catch (error) {
      // Before the first run (or while --fresh recreates them) the tables do not exist: nothing to show yet.
      if (warehouse.sql.isMissingTable(error)) return [];
      throw error;
    }
  };
  const [byType, byGenre, topRated] = await Promise.all([
    read(CONTENT_TYPE_STATS.name, "type"),
    read(CONTENT_GENRE_STATS.name, "documents DESC, genre"),
    read(CONTENT_TOP_RATED.name, "genre, place"),
  ]);
  return { byType, byGenre, topRated };
}
