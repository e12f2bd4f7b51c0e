/**
 * Reading the input files: CSV in batches with line numbers (never losing a line), and the content JSON.
 * @module
 */
export * from "./csv_record_splitter.ts";
export * from "./open_csv.ts";
export * from "./read_content_file.ts";
export * from "./read_lines.ts";
