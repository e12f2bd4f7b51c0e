/**
 * The command line's pure parts: option parsing, live progress and the summary table.
 * @module
 */
export { ETL_HELP, type EtlArgs, parseEtlArgs } from "./parse_etl_args.ts";
export { isLoopback, parseServeArgs, refuseToServe, SERVE_HELP, type ServeArgs } from "./parse_serve_args.ts";
export { formatSummary, ProgressView } from "./progress_view.ts";
export { abbreviateId, cellWidth, fitBlock, fitLine, type ScreenSize, wrapText } from "./fit_text.ts";
export { formatRunQuality, type FormatRunQualityOptions, wrapList } from "./run_quality_text.ts";
export {
  csvField,
  parseRejectsArgs,
  REJECTS_HELP,
  type RejectsArgs,
  rejectsCsv,
  rejectsText,
} from "./rejects_listing.ts";
export { formatPartitionSummary } from "./partition_summary.ts";
