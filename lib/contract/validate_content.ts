import { z } from "zod";
import { checkDocumentShape } from "./_document_shape.ts";
import { rejectRow } from "./_reject.ts";
import { cleanText } from "./clean_text.ts";
import { parseNumber } from "./parse_number.ts";
import type { ContentDocument, RejectReason, RowResult } from "./types.ts";

/** The kinds of content document: the sections of `content.json`. */
export type ContentType = "movie" | "series";

const ContentIdInput = z.union([z.string(), z.number()]).transform((id) => cleanText(String(id)));
const TitleInput = z.string().transform(cleanText);
const GenreInput = z.union([z.string().transform((genre) => [genre]), z.array(z.string())])
  .transform((genres) => genres.map(cleanText));
const RatingInput = z.union([z.number(), z.string().transform(parseNumber)]);

/** Required fields in the order they are checked; the first failure is the reject reason. */
const REQUIRED_FIELDS = [
  { field: "content_id", reason: "missing_key", schema: ContentIdInput.pipe(z.string()) },
  { field: "title", reason: "missing_field", schema: TitleInput.pipe(z.string()) },
  { field: "genre", reason: "bad_genre", schema: GenreInput.pipe(z.array(z.string()).min(1)) },
  { field: "rating", reason: "bad_rating", schema: RatingInput.pipe(z.number().min(0).max(5)) },
] as const satisfies readonly { field: string; reason: RejectReason; schema: z.ZodType }[];

/** The raw text of a source value for a reject: strings as they are, anything else as JSON. */
function rawText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The type of a document read from a bare array: its own `type`, or guessed from series-only fields. */
function inferType(doc: Record<string, unknown>): ContentType {
  if (doc.type === "movie" || doc.type === "series") return doc.type;
  return Object.hasOwn(doc, "seasons") || Object.hasOwn(doc, "total_views") ? "series" : "movie";
}

/**
 * Validates one content document (data contract, section 6).
 *
 * Rejects: not an object (`malformed`); what no document store can hold, the same on every store: an
 * `_id` from the file (`supplied_id`), a key starting with `$` or containing `.` (`bad_key`), more than
 * 100 levels of nesting (`too_deep`), over 16 MiB (`too_large`); no `content_id` (`missing_key`), no text
 * `title` (`missing_field`),
 * `genre` not a non-empty list of texts (`bad_genre`), `rating` not a number in 0..5 (`bad_rating`).
 * The record keeps every source field, normalised `content_id`, `title`, `genre` and `rating`, and gains
 * `type` (from `type`, else inferred for a bare array) and `views` (`views_count` for a movie,
 * `total_views` for a series; NULL when absent or not a number).
 *
 * @example
 * ```ts
 * validateContent({ content_id: "M001", title: "Lost Data", genre: "Horror", rating: 4.7, views_count: 9 }, "movie");
 * // { ok: true, coerced: [], record: { ..., genre: ["Horror"], type: "movie", views: 9 } }
 * ```
 */
export function validateContent(doc: unknown, type?: ContentType): RowResult<ContentDocument> {
  if (!isPlainObject(doc)) return rejectRow("malformed", null, rawText(doc));
  const unfit = checkDocumentShape(doc);
  if (unfit) return { ok: false, reject: unfit };
  const normalised: Record<string, unknown> = {};
  for (const { field, reason, schema } of REQUIRED_FIELDS) {
    const result = schema.safeParse(doc[field]);
    if (!result.success) return rejectRow(reason, field, rawText(doc[field]));
    normalised[field] = result.data;
  }
  const contentType = type ?? inferType(doc);
  const views = doc[contentType === "movie" ? "views_count" : "total_views"];
  const record = {
    ...doc,
    ...normalised,
    type: contentType,
    views: typeof views === "number" && Number.isFinite(views) ? views : null,
  } as ContentDocument;
  return { ok: true, record, coerced: [] };
}
