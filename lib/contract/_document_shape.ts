import type { Reject } from "./types.ts";

/** Nesting MongoDB accepts in a document (its limit is 100 levels, the document itself counted). */
export const MAX_DOCUMENT_DEPTH = 100;
/** Largest document a MongoDB server stores (16 MiB of BSON); measured here as UTF-8 JSON. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * Checks what a document store can hold, the same for every store, before any store sees the document:
 * no `_id` from the file (the store assigns it), no key starting with `$` or containing `.` (MongoDB
 * takes them for operators and paths), at most {@linkcode MAX_DOCUMENT_DEPTH} levels, at most
 * {@linkcode MAX_DOCUMENT_BYTES}. Walks the document without recursion, so a 10,000-deep one cannot
 * overflow the stack. Returns the reject, or `undefined` when the document fits.
 */
export function checkDocumentShape(doc: Record<string, unknown>): Reject | undefined {
  if (Object.hasOwn(doc, "_id")) {
    return { reason: "supplied_id", field: "_id", value: preview(doc._id) };
  }
  const stack: [value: unknown, depth: number, path: string][] = [[doc, 1, ""]];
  /** An upper bound of the JSON text's length (every character escaped), to skip measuring small documents. */
  let bound = 0;
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop()!;
    if (typeof value === "string") bound += value.length * 6 + 3;
    else if (typeof value !== "object" || value === null) bound += 25;
    if (typeof value !== "object" || value === null) continue;
    bound += 3;
    if (depth > MAX_DOCUMENT_DEPTH) {
      const top = /^[^.[]*/.exec(path)![0];
      return { reason: "too_deep", field: fieldName(top), value: `more than ${MAX_DOCUMENT_DEPTH} levels` };
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push([value[i], depth + 1, `${path}[${i}]`]);
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (key.startsWith("$") || key.includes(".")) {
        return { reason: "bad_key", field: fieldName(at), value: key };
      }
      bound += key.length * 6 + 4;
      stack.push([child, depth + 1, at]);
    }
  }
  // A UTF-16 unit is at most 3 UTF-8 bytes: a document whose bound is under a third of the limit fits.
  if (bound * 3 <= MAX_DOCUMENT_BYTES) return undefined;
  const json = JSON.stringify(doc);
  if (json.length * 3 > MAX_DOCUMENT_BYTES) {
    const bytes = new TextEncoder().encode(json).length;
    if (bytes > MAX_DOCUMENT_BYTES) {
      return {
        reason: "too_large",
        field: null,
        value: `${bytes} bytes of JSON (limit ${MAX_DOCUMENT_BYTES})`,
      };
    }
  }
  return undefined;
}

/** A field path as a reject stores it (`etl_rejects.field` holds 64 characters). */
function fieldName(path: string): string {
  return path.length <= 64 ? path : `${path.slice(0, 61)}...`;
}

function preview(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
