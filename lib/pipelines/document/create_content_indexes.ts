import type { NodeOutcome } from "../../dag/mod.ts";
import type { DocStore, IndexSpec } from "../../docstore/mod.ts";
import { CONTENT_COLLECTION } from "./load_content.ts";

/** The indexes of the `content` collection (data contract, section 6), with MongoDB's default names. */
export const CONTENT_INDEXES: readonly IndexSpec[] = [
  { name: "content_id_1", key: { content_id: 1 }, unique: true },
  { name: "genre_1", key: { genre: 1 } },
  { name: "release_year_-1", key: { release_year: -1 } },
  { name: "rating_-1", key: { rating: -1 } },
  { name: "type_1", key: { type: 1 } },
];

/**
 * Creates the missing indexes of the `content` collection (existing ones are left as they are) and checks
 * that every one is present afterwards.
 *
 * @throws {Error} when an index is still missing after creation.
 */
export async function createContentIndexes(docstore: DocStore): Promise<NodeOutcome> {
  const collection = docstore.collection(CONTENT_COLLECTION);
  const before = new Set((await collection.listIndexes()).map((index) => index.name));
  await collection.createIndexes(CONTENT_INDEXES);
  const indexes = await collection.listIndexes();
  const present = new Set(indexes.map((index) => index.name));
  const missing = CONTENT_INDEXES.filter((index) => !present.has(index.name));
  if (missing.length > 0) {
    throw new Error(
      `Cannot index "${CONTENT_COLLECTION}": ${
        missing.map((index) => `"${index.name}"`).join(", ")
      } missing ` +
        `after creation (found: ${[...present].map((name) => `"${name}"`).join(", ")})`,
    );
  }
  const created = CONTENT_INDEXES.map((index) => index.name!).filter((name) => !before.has(name));
  return {
    rowsRead: await collection.count(),
    rowsWritten: created.length,
    rowsRejected: 0,
    details: { created, indexes },
  };
}
