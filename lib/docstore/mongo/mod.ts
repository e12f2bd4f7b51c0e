/**
 * The MongoDB document store (also for FerretDB), on the official driver.
 * @module
 */
export { MongoDocStore, openMongoStore, type OpenMongoStoreOptions } from "./mongo_store.ts";
export { MongoCollection, type MongoCollectionDriver } from "./mongo_collection.ts";
export { type MongoUrl, parseMongoUrl } from "./parse_mongo_url.ts";
