import type { Doc, IndexSpec } from "../types.ts";

/**
 * The keys of one unique index, to refuse a document that would duplicate another's. As in MongoDB, a
 * missing field counts as `null` and an array field holds one key per element (a multikey index).
 */
export class UniqueIndex {
  readonly spec: Required<IndexSpec>;
  #owners = new Map<string, Doc>();

  /** An index over documents, which must not hold duplicate keys (see {@linkcode findDuplicate}). */
  constructor(spec: Required<IndexSpec>, documents: Iterable<Doc> = []) {
    this.spec = spec;
    for (const doc of documents) this.add(doc);
  }

  /** The first key of documents that two of them share, as `{"field":value}` text, or undefined. */
  static findDuplicate(spec: Required<IndexSpec>, documents: Iterable<Doc>): string | undefined {
    const index = new UniqueIndex(spec);
    for (const doc of documents) {
      const duplicate = index.conflict(doc);
      if (duplicate !== undefined) return duplicate;
      index.add(doc);
    }
    return undefined;
  }

  /** A key of doc that another document than `replacing` holds, as `{"field":value}` text, or undefined. */
  conflict(doc: Doc, replacing?: Doc): string | undefined {
    for (const key of this.#keysOf(doc)) {
      const owner = this.#owners.get(key);
      if (owner !== undefined && owner !== replacing) return this.#describe(key);
    }
    return undefined;
  }

  /** Records the keys of doc (call {@linkcode conflict} first). */
  add(doc: Doc): void {
    for (const key of this.#keysOf(doc)) this.#owners.set(key, doc);
  }

  /** Forgets the keys of doc. */
  remove(doc: Doc): void {
    for (const key of this.#keysOf(doc)) {
      if (this.#owners.get(key) === doc) this.#owners.delete(key);
    }
  }

  /** The index keys of doc: one JSON array of field values per combination of array elements. */
  #keysOf(doc: Doc): Set<string> {
    let tuples: unknown[][] = [[]];
    for (const field of Object.keys(this.spec.key)) {
      const values = valuesAt(doc, field.split("."));
      tuples = tuples.flatMap((tuple) => values.map((value) => [...tuple, value]));
    }
    return new Set(tuples.map((tuple) => JSON.stringify(tuple)));
  }

  #describe(key: string): string {
    const values = JSON.parse(key) as unknown[];
    const fields = Object.keys(this.spec.key).map((field, i) =>
      `${JSON.stringify(field)}:${JSON.stringify(values[i])}`
    );
    return `{${fields.join(",")}}`;
  }
}

/** The values a dotted path reaches in value, stepping into arrays; `null` when it reaches none. */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) {
    if (!Array.isArray(value)) return [value ?? null];
    // An empty array is a key of its own in MongoDB, distinct from null.
    return value.length === 0 ? [[]] : value;
  }
  if (Array.isArray(value)) {
    const reached = value.flatMap((item) =>
      typeof item === "object" && item !== null ? valuesAt(item, path) : []
    );
    return reached.length === 0 ? [null] : reached;
  }
  if (typeof value !== "object" || value === null) return [null];
  const [head, ...rest] = path;
  return valuesAt((value as Record<string, unknown>)[head], rest);
}
