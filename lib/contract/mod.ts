/**
 * The data contract in code (docs/DATA_CONTRACT.md): header resolution, value normalisers, and the
 * validators that accept, coerce or reject each user, session and content document.
 *
 * @module
 */
export * from "./types.ts";
export * from "./normalize_header_name.ts";
export * from "./inputs.ts";
export * from "./missing_column_error.ts";
export * from "./resolve_header.ts";
export * from "./row_from_values.ts";
export * from "./clean_text.ts";
export * from "./parse_number.ts";
export * from "./round_to_2.ts";
export * from "./parse_date_time.ts";
export * from "./capitalize_words.ts";
export * from "./canonical_subscription.ts";
export * from "./canonical_quality.ts";
export * from "./validate_user.ts";
export * from "./validate_session.ts";
export * from "./validate_content.ts";
export * from "./read_content_documents.ts";
export * from "./record_schemas.ts";
