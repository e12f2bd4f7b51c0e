import { documentsEqual } from "./_documents_equal.ts";
import { withoutId } from "./_without_id.ts";
import type { Doc } from "./types.ts";

/** A document to write: its key, the document (without `_id`) and whether its key was stored before. */
export interface PlannedWrite {
  key: unknown;
  doc: Doc;
  existed: boolean;
}

/** How a batch of upserts splits into writes, unchanged documents and documents that cannot be written. */
export interface UpsertPlan {
  writes: PlannedWrite[];
  unchanged: number;
  failed: { key: unknown; message: string }[];
}

/**
 * A key as a string that is equal for equal keys, for use in a `Map`. Like MongoDB, `1` and `"1"` differ.
 * Throws a `TypeError` for values JSON cannot hold (e.g. a bigint).
 */
export function keyString(key: unknown): string {
  return JSON.stringify(key);
}

/** The key field's value of doc, or undefined when it has none (absent or null). */
export function keyOf(doc: Doc, keyField: string): unknown {
  return doc[keyField] ?? undefined;
}

/**
 * Splits docs into the writes a bulk upsert must make, given `stored`: the stored documents by
 * {@linkcode keyString} of their key (at least those whose key is in docs). A document equal to the stored
 * one, or to an earlier one of the batch with the same key, is unchanged; a document without a key fails.
 */
export function planUpserts(
  docs: readonly Doc[],
  keyField: string,
  stored: ReadonlyMap<string, Doc>,
): UpsertPlan {
  const latest = new Map(stored);
  const plan: UpsertPlan = { writes: [], unchanged: 0, failed: [] };
  for (const given of docs) {
    const key = keyOf(given, keyField);
    if (key === undefined) {
      plan.failed.push({ key: null, message: `Document has no "${keyField}"` });
      continue;
    }
    let mapKey: string;
    try {
      mapKey = keyString(key);
    } catch (error) {
      plan.failed.push({
        key: null,
        message: `Cannot use "${keyField}" as a key: ${(error as Error).message}`,
      });
      continue;
    }
    const doc = withoutId(given);
    const previous = latest.get(mapKey);
    if (previous !== undefined && documentsEqual(previous, doc)) {
      plan.unchanged++;
      continue;
    }
    plan.writes.push({ key, doc, existed: previous !== undefined });
    latest.set(mapKey, doc);
  }
  return plan;
}
