import type { Doc, IndexSpec } from "../types.ts";

/** What the embedded store keeps of one collection: its indexes and its documents in insertion order. */
export interface CollectionFile {
  indexes: Required<IndexSpec>[];
  documents: Doc[];
}

/** The `format` tag of collection files, bumped if the layout ever changes. */
const FORMAT = "workbench-docstore/1";

/** Reads a collection file; `undefined` when there is none (a collection never written). */
export async function readCollectionFile(path: string): Promise<CollectionFile | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`Cannot read collection file "${path}": ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Cannot read collection file "${path}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isCollectionFile(parsed)) {
    throw new SyntaxError(
      `Cannot read collection file "${path}": expected {"format": "${FORMAT}", "indexes": [...], "documents": [...]}`,
    );
  }
  return { indexes: parsed.indexes, documents: parsed.documents };
}

/**
 * Writes a collection file atomically: a temporary file renamed over the old one, so a crash leaves either
 * the old or the new content. One document per line keeps the file readable and diffable.
 */
export async function writeCollectionFile(path: string, content: CollectionFile): Promise<void> {
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    // Written in pieces: one string of a million documents would come near V8's limit on string length.
    using file = await Deno.open(temporary, { write: true, create: true, truncate: true });
    const encoder = new TextEncoder();
    const write = async (text: string) => {
      const bytes = encoder.encode(text);
      for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
    };
    await write(
      `{"format":${JSON.stringify(FORMAT)},"indexes":${JSON.stringify(content.indexes)},"documents":[\n`,
    );
    const { documents } = content;
    for (let start = 0; start < documents.length; start += 10_000) {
      const piece = documents.slice(start, start + 10_000).map((doc) => JSON.stringify(doc)).join(",\n");
      await write(start + 10_000 < documents.length ? piece + ",\n" : piece);
    }
    await write("\n]}\n");
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw new Error(`Cannot write collection file "${path}": ${(error as Error).message}`, { cause: error });
  }
}

function isCollectionFile(value: unknown): value is CollectionFile & { format: string } {
  if (typeof value !== "object" || value === null) return false;
  const { format, indexes, documents } = value as Record<string, unknown>;
  return format === FORMAT && Array.isArray(indexes) && Array.isArray(documents);
}
