/**
 * The DAG runner: typed nodes, graph validation, bounded parallel runs with retries, selection for
 * `--resume` / `--from` / `--only`, and throttled progress events that the CLI, notebooks and dashboard follow.
 * @module
 */
export * from "./types.ts";
export * from "./build_graph.ts";
export * from "./run_dag.ts";
export * from "./select_nodes.ts";
export * from "./is_transient_error.ts";
export * from "./retry.ts";
export * from "./node_states.ts";
