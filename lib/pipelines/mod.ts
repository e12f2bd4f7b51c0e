/**
 * The pipelines as DAG nodes over the warehouse (and, for content, the document store), plus the run store
 * that records every run.
 * @module
 */
export * from "./services.ts";
export * from "./schema.ts";
export * from "./run_store.ts";
export * from "./live_run.ts";
export * from "./relational/nodes.ts";
export * from "./relational/load_keyed_csv.ts";
export * from "./relational/user_metrics.ts";
export * from "./relational/generate_stats.ts";
export * from "./relational/validate_data.ts";
export * from "./relational/partitions.ts";
export * from "./relational/partition_tables.ts";
export * from "./relational/incremental.ts";
export * from "./partition_options.ts";
export * from "./workbench.ts";
export * from "./run_in_worker.ts";
export * from "./step_run.ts";
export * from "./document/mod.ts";
export * from "./relationships.ts";
export * from "./rejects_reader.ts";
export * from "./run_quality.ts";
export * from "./step_run_order.ts";
export * from "./reject_gate.ts";
