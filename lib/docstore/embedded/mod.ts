/**
 * The embedded document store: JSON files queried with mingo.
 * @module
 */
export { EmbeddedDocStore, IN_MEMORY, openEmbeddedStore } from "./embedded_store.ts";
export { EmbeddedCollection, type EmbeddedCollectionOptions } from "./embedded_collection.ts";
