import { keyOf, keyString, planUpserts } from "../_upsert_plan.ts";
import type { BulkUpsertCounts, Doc } from "../types.ts";
import type { CollectionFile } from "./collection_file.ts";
import { UniqueIndex } from "./unique_index.ts";

/**
 * Applies a bulk upsert to a collection's state in place, enforcing its unique indexes, and counts what
 * happened. Documents are stored as JSON, so memory holds what a reopened store reads back.
 */
export function upsertInto(
  state: CollectionFile,
  docs: readonly Doc[],
  keyField: string,
  name: string,
): BulkUpsertCounts {
  const counts: BulkUpsertCounts = { inserted: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  const fail = (key: unknown, message: string) => {
    counts.failed++;
    counts.errors.push({ key, message });
  };
  const storable: Doc[] = [];
  for (const doc of docs) {
    try {
      storable.push(JSON.parse(JSON.stringify(doc)));
    } catch (error) {
      fail(keyOf(doc, keyField) ?? null, `Cannot store document as JSON: ${(error as Error).message}`);
    }
  }
  const positions = new Map<string, number>();
  const stored = new Map<string, Doc>();
  state.documents.forEach((doc, position) => {
    const key = keyOf(doc, keyField);
    if (key === undefined) return;
    positions.set(keyString(key), position);
    stored.set(keyString(key), doc);
  });
  const uniqueIndexes = state.indexes.filter((spec) => spec.unique)
    .map((spec) => new UniqueIndex(spec, state.documents));

  const plan = planUpserts(storable, keyField, stored);
  counts.unchanged = plan.unchanged;
  for (const { key, message } of plan.failed) fail(key, message);
  for (const { key, doc } of plan.writes) {
    const mapKey = keyString(key);
    const position = positions.get(mapKey);
    const previous = position === undefined ? undefined : state.documents[position];
    const clash = uniqueIndexes.map((index) => ({ index, key: index.conflict(doc, previous) }))
      .find((found) => found.key !== undefined);
    if (clash) {
      fail(key, `Duplicate key in unique index "${clash.index.spec.name}" of "${name}": ${clash.key}`);
      continue;
    }
    for (const index of uniqueIndexes) {
      if (previous) index.remove(previous);
      index.add(doc);
    }
    if (position === undefined) {
      positions.set(mapKey, state.documents.length);
      state.documents.push(doc);
      counts.inserted++;
    } else {
      state.documents[position] = doc;
      counts.updated++;
    }
  }
  return counts;
}
