/**
 * The document pipeline: `content.json` validated into the document store's `content` collection, indexed,
 * aggregated into warehouse tables, and joined with the viewing sessions across the two stores.
 * @module
 */
export * from "./nodes.ts";
export * from "./validate_content_json.ts";
export * from "./load_content.ts";
export * from "./create_content_indexes.ts";
export * from "./content_stats.ts";
export * from "./cross_store_stats.ts";
export * from "./content_tables.ts";
