/**
 * What the notebooks and `deno task report` share, as plain functions: parameters from the environment, the
 * dataset, a progress table fed by DAG events, a node's report (rejects by reason, timings, a preview), the
 * statistics the charts draw, and the report page. Nothing here calls `Deno.jupyter`: notebooks pass in a
 * {@linkcode LiveDisplay} that does.
 * @module
 */
export * from "./notebook_params.ts";
export * from "./ensure_dataset.ts";
export * from "./html_block.ts";
export * from "./html_table.ts";
export * from "./progress_table.ts";
export * from "./run_node_live.ts";
export * from "./node_report.ts";
export * from "./read_stats.ts";
export * from "./build_report.ts";
export * from "./nodes_to_catch_up.ts";
export * from "./inspect_notebook.ts";
export * from "./notebook_session.ts";
export * from "./step_run_summary.ts";
export * from "./coercions_summary.ts";
export * from "./notebook_failure.ts";
export * from "./clean_notebook.ts";
