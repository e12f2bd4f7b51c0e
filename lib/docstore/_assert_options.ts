import type { BulkUpsertOptions, FindOptions } from "./types.ts";

/** Throws a `TypeError` unless keyField names a field. */
export function assertKeyField(keyField: string): void {
  if (typeof keyField !== "string" || keyField === "") {
    throw new TypeError(`Cannot upsert: keyField must name a field (found: ${JSON.stringify(keyField)})`);
  }
}

/** options with defaults filled in; throws a `TypeError` or `RangeError` for a bad one. */
export function assertBulkUpsertOptions(
  options: BulkUpsertOptions,
): Required<Pick<BulkUpsertOptions, "keyField" | "batchSize">> {
  const { keyField, batchSize = 100 } = options;
  assertKeyField(keyField);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Cannot upsert: batchSize must be a positive integer (found: ${batchSize})`);
  }
  return { keyField, batchSize };
}

/** Throws a `RangeError` unless limit and skip are non-negative integers. */
export function assertFindOptions({ limit = 0, skip = 0 }: FindOptions): void {
  for (const [option, value] of [["limit", limit], ["skip", skip]] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`Cannot query: ${option} must be a non-negative integer (found: ${value})`);
    }
  }
}
