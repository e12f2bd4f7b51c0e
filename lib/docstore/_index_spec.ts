import type { IndexSpec } from "./types.ts";

/**
 * spec with its name (MongoDB's default, e.g. `release_year_-1`) and `unique` filled in; throws a
 * `TypeError` for a key that is empty or has a direction other than 1 or -1.
 */
export function normalizeIndexSpec(spec: IndexSpec): Required<IndexSpec> {
  const entries = Object.entries(spec.key ?? {});
  if (entries.length === 0) {
    throw new TypeError(`Cannot create index ${JSON.stringify(spec.name ?? "")}: its key names no field`);
  }
  if (entries.some(([field]) => field === "")) {
    throw new TypeError(
      `Cannot create index ${JSON.stringify(spec.name ?? "")}: its key has an empty field name`,
    );
  }
  const bad = entries.find(([, direction]) => direction !== 1 && direction !== -1);
  if (bad) {
    throw new TypeError(
      `Cannot create index on ${JSON.stringify(bad[0])}: direction must be 1 or -1 (found: ${
        JSON.stringify(bad[1])
      })`,
    );
  }
  const name = spec.name ?? entries.map(([field, direction]) => `${field}_${direction}`).join("_");
  return { name, key: { ...spec.key }, unique: spec.unique === true };
}

/** Whether two normalized specs describe the same index. */
export function sameIndex(a: Required<IndexSpec>, b: Required<IndexSpec>): boolean {
  return a.name === b.name && a.unique === b.unique && sameKey(a.key, b.key);
}

/** Whether two index keys have the same fields, in the same order, with the same directions. */
export function sameKey(a: IndexSpec["key"], b: IndexSpec["key"]): boolean {
  return JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
}
