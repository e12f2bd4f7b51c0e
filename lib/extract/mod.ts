/**
 * Reading the input files: CSV in batches with line numbers (never losing a line), and the content JSON.
 * @module
 */
export { type CsvRecord, CsvRecordSplitter, type CsvRecordSplitterOptions } from "./csv_record_splitter.ts";
export { type CsvBatch, type CsvLineUse, type CsvSource, openCsv, type OpenCsvOptions } from "./open_csv.ts";
export { readContentFile } from "./read_content_file.ts";
export {
  type BadLine,
  countLines,
  CSV_ENCODINGS,
  type CsvEncoding,
  type LineCount,
  type PhysicalLine,
  RAW_PREFIX_BYTES,
  readLines,
  type ReadLinesOptions,
} from "./read_lines.ts";
