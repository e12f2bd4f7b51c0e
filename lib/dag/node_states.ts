import { emptyResult } from "./run_dag.ts";
import type { DagEvent, NodeRunResult } from "./types.ts";

/** What is known of one node while a run goes, from its events: its result so far, and what it said. */
export interface NodeState extends Omit<NodeRunResult, "nodeId" | "details"> {
  /** The node's latest `log` line, unless a retry came after it. */
  message: string | null;
  /** The latest retry, unless a `log` line came after it. */
  retry: { attempt: number; delayMs: number; error: string } | null;
  /** Time of the latest event about this node. */
  updatedAt: Date | null;
}

const pending = (): NodeState => {
  const { nodeId: _, ...result } = emptyResult("");
  return { ...result, message: null, retry: null, updatedAt: null };
};

/**
 * The state of each node of a run, folded from the runner's events: one reading of the events for the
 * terminal's progress view, the notebooks' progress tables and the server's status.
 *
 * @example
 * ```ts
 * import { type Graph, NodeStates, runDag } from "./mod.ts";
 *
 * declare const graph: Graph, services: unknown;
 * declare function redraw(states: NodeStates): void;
 * const states = new NodeStates(graph.order);
 * await runDag(graph, { services, onEvent: (event) => states.apply(event) && redraw(states) });
 * states.get("process_sessions")?.rowsRead;
 * ```
 */
export class NodeStates {
  readonly #nodes = new Map<string, NodeState>();

  /** Starts with these nodes pending; others are added as their events arrive. */
  constructor(nodeIds: readonly string[] = []) {
    for (const id of nodeIds) this.#nodes.set(id, pending());
  }

  /** The state of a node, or undefined when nothing is known of it. */
  get(nodeId: string): NodeState | undefined {
    return this.#nodes.get(nodeId);
  }

  /** Node ids in the order they were first known. */
  ids(): string[] {
    return [...this.#nodes.keys()];
  }

  /** Every node back to pending (and only these nodes, when given). */
  reset(nodeIds: readonly string[] = this.ids()): void {
    this.#nodes.clear();
    for (const id of nodeIds) this.#nodes.set(id, pending());
  }

  /**
   * Applies an event; returns whether a node's state changed. `run-started` sets the run's nodes pending,
   * `run-finished` applies the final result of every node.
   */
  apply(event: DagEvent): boolean {
    switch (event.type) {
      case "run-started":
        for (const id of event.nodeIds) this.#nodes.set(id, { ...pending(), updatedAt: event.at });
        return event.nodeIds.length > 0;
      case "run-finished":
        for (const result of event.result.nodes) this.#finish(result, event.at);
        return event.result.nodes.length > 0;
      default:
        break;
    }
    const node = this.#nodes.get(event.nodeId) ?? this.#nodes.set(event.nodeId, pending()).get(event.nodeId)!;
    node.updatedAt = event.at;
    switch (event.type) {
      case "node-started":
        node.status = "running";
        node.attempts = event.attempt;
        node.startedAt ??= event.at;
        break;
      case "node-progress":
        node.rowsRead = event.metrics.rowsRead;
        node.rowsWritten = event.metrics.rowsWritten;
        node.rowsRejected = event.metrics.rowsRejected;
        if (event.metrics.totalRows !== undefined) node.totalRows = event.metrics.totalRows;
        if (event.metrics.estimatedMs !== undefined) node.estimatedMs = event.metrics.estimatedMs;
        break;
      case "node-log":
        node.message = event.message;
        node.retry = null;
        break;
      case "node-retry":
        node.retry = { attempt: event.attempt, delayMs: event.delayMs, error: event.error };
        node.message = null;
        break;
      case "node-finished":
        this.#finish(event.result, event.at);
        break;
    }
    return true;
  }

  #finish(result: NodeRunResult, at: Date): void {
    const node = this.#nodes.get(result.nodeId) ??
      this.#nodes.set(result.nodeId, pending()).get(result.nodeId)!;
    node.status = result.status;
    node.attempts = result.attempts;
    node.startedAt = result.startedAt ?? node.startedAt;
    node.finishedAt = result.finishedAt;
    node.durationMs = result.durationMs;
    node.error = result.error;
    node.rowsRead = result.rowsRead;
    node.rowsWritten = result.rowsWritten;
    node.rowsRejected = result.rowsRejected;
    if (result.totalRows !== undefined) node.totalRows = result.totalRows;
    if (result.estimatedMs !== undefined) node.estimatedMs = result.estimatedMs;
    node.updatedAt = at;
  }
}

/**
 * A running node's progress by time, when it has no row total but an estimate: elapsed against
 * `estimatedMs`, the fraction capped at 0.99 while it runs (it may take longer than last time).
 */
export function timeProgress(
  node: Pick<NodeState, "status" | "startedAt" | "estimatedMs" | "totalRows">,
  now: Date = new Date(),
): { elapsedMs: number; estimatedMs: number; fraction: number } | undefined {
  if (node.status !== "running" || node.totalRows || !node.estimatedMs || !node.startedAt) return undefined;
  const elapsedMs = Math.max(0, now.getTime() - node.startedAt.getTime());
  return { elapsedMs, estimatedMs: node.estimatedMs, fraction: Math.min(0.99, elapsedMs / node.estimatedMs) };
}
