/**
 * The data contract in code (docs/DATA_CONTRACT.md): header resolution, value normalisers, and the
 * validators that accept, coerce or reject each user, session and content document.
 *
 * @module
 */
export {
  type ContentDocument,
  type Device,
  DEVICES,
  QUALITY_LEVELS,
  type QualityLevel,
  type RawRow,
  type Reject,
  REJECT_REASONS,
  type RejectReason,
  type RowResult,
  type SessionRecord,
  SUBSCRIPTION_TYPES,
  type SubscriptionType,
  type UserRecord,
} from "./types.ts";
export { normalizeHeaderName } from "./normalize_header_name.ts";
export {
  fieldsOf,
  type InputColumn,
  inputColumn,
  type InputKind,
  inputOf,
  INPUTS,
  type InputSpec,
  maxLength,
  rangeOf,
  SESSION_FIELDS,
  SESSIONS_INPUT,
  tableColumns,
  USER_FIELDS,
  USERS_INPUT,
} from "./inputs.ts";
export { MissingColumnError } from "./missing_column_error.ts";
export { type HeaderKind, type ResolvedHeader, resolveHeader } from "./resolve_header.ts";
export { rowFromValues } from "./row_from_values.ts";
export { cleanText } from "./clean_text.ts";
export { parseNumber } from "./parse_number.ts";
export { roundTo2 } from "./round_to_2.ts";
export { parseDate, parseDateTime } from "./parse_date_time.ts";
export { capitalizeWords } from "./capitalize_words.ts";
export { canonicalSubscription } from "./canonical_subscription.ts";
export { canonicalQuality } from "./canonical_quality.ts";
export { MAX_USER_ID_LENGTH, validateUser } from "./validate_user.ts";
export {
  MAX_SESSION_ID_LENGTH,
  MAX_WATCH_MINUTES,
  validateSession,
  type ValidateSessionOptions,
} from "./validate_session.ts";
export { type ContentType, validateContent } from "./validate_content.ts";
export { type ContentEntry, readContentDocuments } from "./read_content_documents.ts";
export { ContentDocumentSchema, SessionRecordSchema, UserRecordSchema } from "./record_schemas.ts";
