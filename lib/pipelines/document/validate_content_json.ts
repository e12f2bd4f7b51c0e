import { createHash } from "node:crypto";
import {
  type ContentDocument,
  type ContentType,
  readContentDocuments,
  type RejectReason,
  validateContent,
} from "../../contract/mod.ts";

/** A content document that was not loaded, as the run store keeps it. */
export interface ContentReject {
  /** The document's 1-based position in the file (movies first, then series). */
  position: number;
  reason: RejectReason;
  field: string | null;
  value: string | null;
  /** The document as JSON. */
  raw: string;
}

/** What a content file holds once validated: the documents to load and the counts to report. */
export interface ContentValidation {
  /** Accepted documents, one per `content_id` (the last one wins), in order of first appearance. */
  accepted: ContentDocument[];
  rejects: ContentReject[];
  /** Documents read from the file. */
  documents: number;
  /** Documents the contract accepted, repeated ids included. */
  valid: number;
  /** Accepted documents replaced by a later one with the same `content_id`. */
  duplicates: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Loaded documents by type. */
  byType: Record<ContentType, number>;
}

/**
 * Validates every document of a parsed `content.json` (data contract, section 6) and applies "the last
 * accepted document wins" to repeated `content_id`s. Pure, so `validate_content` and `load_content` (which
 * may run alone) derive the very same documents from the file.
 *
 * @throws {TypeError} when the root is neither `{ movies, series }` nor an array.
 * @example
 * ```ts
 * import { readContentFile } from "../../extract/mod.ts";
 * import { validateContentJson } from "./mod.ts";
 *
 * const result = validateContentJson(await readContentFile("data/content.json"));
 * result.accepted.length; // 300
 * ```
 */
export function validateContentJson(json: unknown): ContentValidation {
  const latest = new Map<string, ContentDocument>();
  const rejects: ContentReject[] = [];
  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  let documents = 0;
  let valid = 0;
  for (const { doc, type, position } of readContentDocuments(json)) {
    documents++;
    const result = validateContent(doc, type);
    if (result.ok) {
      valid++;
      latest.set(result.record.content_id, result.record);
      continue;
    }
    const { reason, field, value } = result.reject;
    rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
    rejects.push({ position, reason, field, value: capText(value), raw: capText(rawJson(doc))! });
  }
  const accepted = [...latest.values()];
  const byType: Record<ContentType, number> = { movie: 0, series: 0 };
  for (const doc of accepted) byType[doc.type]++;
  return {
    accepted,
    rejects,
    documents,
    valid,
    duplicates: valid - accepted.length,
    rejectedByReason,
    byType,
  };
}

/** Characters of a reject's raw document and value that are stored; the rest is cut, with its length. */
const REJECT_TEXT_CHARS = 4096;

function capText(text: string | null): string | null {
  if (text === null || text.length <= REJECT_TEXT_CHARS) return text;
  const sha256 = createHash("sha256").update(text).digest("hex");
  return `${text.slice(0, REJECT_TEXT_CHARS)}... [cut: ${text.length} characters in all, sha256 ${sha256}]`;
}

/** The document as JSON, or a note when it is too deep to serialise. */
function rawJson(doc: unknown): string {
  try {
    return JSON.stringify(doc) ?? String(doc);
  } catch (error) {
    return `(not serialisable: ${(error as Error).message})`;
  }
}
