/**
 * The command line's pure parts: option parsing, live progress and the summary table.
 * @module
 */
export * from "./parse_etl_args.ts";
export * from "./progress_view.ts";
export * from "./partition_summary.ts";
