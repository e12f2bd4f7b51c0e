/**
 * The DAG runner: typed nodes, graph validation, bounded parallel runs with retries, selection for
 * `--resume` / `--from` / `--only`, and throttled progress events that the CLI, notebooks and dashboard follow.
 * @module
 */
export {
  type DagEvent,
  type DagNode,
  type NodeContext,
  type NodeMetrics,
  type NodeOutcome,
  type NodeRunResult,
  type NodeStatus,
  type NodeTable,
  type RetryOptions,
  type RunResult,
  type RunStatus,
} from "./types.ts";
export { buildGraph, type Graph } from "./build_graph.ts";
export { describeError, emptyResult, runDag, type RunDagOptions, type RunRecorder } from "./run_dag.ts";
export { selectNodes, type SelectOptions } from "./select_nodes.ts";
export { isTransientError } from "./is_transient_error.ts";
export { abortableSleep, retry, type RetryCallOptions } from "./retry.ts";
export { type NodeState, NodeStates, timeProgress } from "./node_states.ts";
