import type { Doc } from "./types.ts";

/** A shallow copy of doc without MongoDB's `_id`, so both adapters return equal documents. */
export function withoutId(doc: Doc): Doc {
  if (!Object.hasOwn(doc, "_id")) return doc;
  const { _id: _ignored, ...rest } = doc;
  return rest;
}
