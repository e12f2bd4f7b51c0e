/**
 * The document pipeline: `content.json` validated into the document store's `content` collection, indexed,
 * aggregated into warehouse tables, and joined with the viewing sessions across the two stores.
 * @module
 */
export { DOCUMENT_NODES } from "./nodes.ts";
export { type ContentReject, type ContentValidation, validateContentJson } from "./validate_content_json.ts";
export {
  CONTENT_BATCH_LIMIT,
  CONTENT_COLLECTION,
  type ContentLoadCounts,
  loadContent,
} from "./load_content.ts";
export { CONTENT_INDEXES, createContentIndexes } from "./create_content_indexes.ts";
export {
  CONTENT_STATS_PIPELINES,
  contentStats,
  contentStatsRows,
  TOP_RATED_PER_GENRE,
} from "./content_stats.ts";
export { CROSS_STORE_TABLES, crossStoreStats, TOP_CONTENT_PER_COUNTRY } from "./cross_store_stats.ts";
export {
  CONTENT_DIM,
  CONTENT_GENRE_STATS,
  CONTENT_GENRES,
  CONTENT_TABLES,
  CONTENT_TOP_RATED,
  CONTENT_TYPE_STATS,
  STATS_COUNTRY_GENRE,
  STATS_COUNTRY_TOP_CONTENT,
} from "./content_tables.ts";
