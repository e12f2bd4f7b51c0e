import { basename } from "node:path";
import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import { readContentFile } from "../../extract/mod.ts";
import type { PipelineServices } from "../services.ts";
import { validateContentJson } from "./validate_content_json.ts";

/** The collection both document stores keep the content in. */
export const CONTENT_COLLECTION = "content";

/**
 * The most documents per bulk upsert round trip, whatever `batchSize` the run uses for CSV rows. A content
 * document is 10-20 times wider than a session row (nested genre and episode arrays), so 100 keeps a round
 * trip to some 30 KB, far below MongoDB's 48 MB message limit, while 300 documents still take only three
 * round trips; it also bounds what one failed batch costs and gives progress a few steps to show. All
 * documents go in one `bulkUpsert` call, which batches them: the embedded store rewrites its file once per
 * call, so a call per batch made its load quadratic (1.09M documents were 13 % loaded after 240 s).
 */
export const CONTENT_BATCH_LIMIT = 100;

/** What `load_content` did to the `content` collection. */
export interface ContentLoadCounts {
  /** Documents to load: accepted and unique by `content_id`. */
  documents: number;
  batchSize: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Documents removed: all of them first with `purge`, else those whose `content_id` left the file. */
  deleted: number;
  purged: boolean;
  /** The first few failures, for the run's details. */
  errors: { key: unknown; message: string }[];
}

/**
 * Loads the accepted content documents into the `content` collection keyed by `content_id`, in unordered
 * batches. By default it upserts every document, then deletes those no longer in the file, so the collection
 * is never empty while it changes and a second run writes nothing. With `services.purge` it empties the
 * collection first (the original loader's behaviour).
 *
 * Re-reads and re-validates the file (300 documents) rather than taking them from `validate_content`, because
 * a notebook or `--from load_content` may run this node alone.
 *
 * @throws {Error} after the whole load, when any document could not be written.
 */
export async function loadContent(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const { docstore, files, purge } = ctx.services;
  const { accepted } = validateContentJson(await readContentFile(files.content));
  const batchSize = Math.min(ctx.services.batchSize, CONTENT_BATCH_LIMIT);
  const collection = docstore.collection(CONTENT_COLLECTION);
  const counts: ContentLoadCounts = {
    documents: accepted.length,
    batchSize,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    deleted: 0,
    purged: purge,
    errors: [],
  };
  if (purge) {
    counts.deleted = await collection.purge();
    ctx.log(`Purged ${counts.deleted} documents from "${CONTENT_COLLECTION}"`);
  }
  ctx.progress({ rowsRead: 0, totalRows: accepted.length });
  ctx.signal.throwIfAborted();
  const result = await collection.bulkUpsert(accepted, {
    keyField: "content_id",
    batchSize,
    onBatch: (done) => ctx.progress({ rowsRead: done, totalRows: accepted.length }),
  });
  counts.inserted += result.inserted;
  counts.updated += result.updated;
  counts.unchanged += result.unchanged;
  counts.failed += result.failed;
  counts.errors.push(...result.errors.slice(0, 10));
  ctx.progress({
    rowsRead: accepted.length,
    rowsWritten: counts.inserted + counts.updated + counts.deleted,
    rowsRejected: counts.failed,
    totalRows: accepted.length,
  });
  if (!purge) {
    counts.deleted = await collection.deleteMissing(
      "content_id",
      accepted.map((doc) => doc.content_id),
    );
  }
  if (counts.failed > 0) {
    const [first] = counts.errors;
    throw new Error(
      `Cannot load "${
        basename(files.content)
      }" into "${CONTENT_COLLECTION}": ${counts.failed} of ${accepted.length} documents were not written ` +
        `(first: ${JSON.stringify(first.key)}: ${first.message}); the other ${
          accepted.length - counts.failed
        } are loaded`,
    );
  }
  return {
    rowsRead: accepted.length,
    rowsWritten: counts.inserted + counts.updated + counts.deleted,
    rowsRejected: 0,
    totalRows: accepted.length,
    details: { ...counts },
  };
}
