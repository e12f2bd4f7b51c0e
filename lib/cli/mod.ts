/**
 * The command line's pure parts: option parsing, live progress and the summary table.
 * @module
 */
export * from "./parse_etl_args.ts";
export * from "./progress_view.ts";
export * from "./fit_text.ts";
export * from "./run_quality_text.ts";
export * from "./rejects_listing.ts";
export * from "./partition_summary.ts";
