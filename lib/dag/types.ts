/** Status of one node in a run. */
export type NodeStatus = "pending" | "running" | "success" | "failed" | "skipped";
/** Status of a whole run. */
export type RunStatus = "running" | "success" | "failed" | "cancelled";

/** Row counts a node reports while it runs and when it ends. */
export interface NodeMetrics {
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  /** Rows the node expects to read in all, when it knows (drives percentages). */
  totalRows?: number;
  /**
   * How long the node is expected to take in all, when known (its last successful run at the same scale):
   * drives a percentage by elapsed time for a node that runs one long statement and counts no rows meanwhile.
   */
  estimatedMs?: number;
}

/** What a node returns: its final counts and anything worth showing (stored as JSON with the node run). */
export interface NodeOutcome extends NodeMetrics {
  details?: Record<string, unknown>;
}

/** Passed to a node's `run`. `services` holds what the pipeline shares: stores, options, paths. */
export interface NodeContext<S> {
  readonly services: S;
  readonly runId: string;
  readonly nodeId: string;
  /** 1 on the first try, 2 on the first retry, and so on. */
  readonly attempt: number;
  /** Aborted when the run is cancelled. */
  readonly signal: AbortSignal;
  /** Reports counts so far; cheap to call often, since events are throttled. */
  progress(metrics: Partial<NodeMetrics>): void;
  /** A line worth showing the person following the run. */
  log(message: string): void;
}

/** Retry settings of a node for transient errors (connection lost, deadlock, lock wait timeout). */
export interface RetryOptions {
  /**
   * Retries after the first attempt (the budget usually ends them first).
   * @default 100
   */
  retries?: number;
  /**
   * Delay before the first retry; doubles on each retry.
   * @default 250
   */
  baseDelayMs?: number;
  /**
   * Longest delay between attempts.
   * @default 5000
   */
  maxDelayMs?: number;
  /**
   * Share of each delay drawn at random, so that parallel retries spread out.
   * @default 0.5
   */
  jitter?: number;
  /**
   * Wall-clock time from the first attempt after which no retry starts, so that retries bridge a database
   * that restarts (about 5 to 30 s) without hiding one that is gone.
   * @default 60_000
   */
  budgetMs?: number;
}

/** The table a node fills (or checks), and how a preview of it is ordered and cut. */
export interface NodeTable {
  name: string;
  orderBy: string;
  /** The columns a preview shows. @default every column */
  columns?: string;
  /** Rows a preview shows. @default 5 */
  rows?: number;
}

/** One step of a pipeline. */
export interface DagNode<S = unknown> {
  id: string;
  name: string;
  /** Ids of the nodes that must succeed first. */
  dependencies: readonly string[];
  /** One line on what the node does, shown by the CLI, notebooks and dashboard. */
  description?: string;
  /** The branch of the DAG the node belongs to (the dashboard draws each apart, the API starts one). */
  pipeline?: string;
  /** The table it fills, which a notebook previews after it ran. */
  table?: NodeTable;
  /** The input file it reads rows from and records the rejects of. */
  input?: string;
  retry?: RetryOptions;
  run(ctx: NodeContext<S>): Promise<NodeOutcome>;
}

/** Progress and lifecycle events of a run, in the order they happen. */
export type DagEvent =
  | { type: "run-started"; runId: string; nodeIds: string[]; at: Date }
  | { type: "node-started"; runId: string; nodeId: string; attempt: number; at: Date }
  | { type: "node-progress"; runId: string; nodeId: string; metrics: NodeMetrics; at: Date }
  | { type: "node-log"; runId: string; nodeId: string; message: string; at: Date }
  | {
    type: "node-retry";
    runId: string;
    nodeId: string;
    attempt: number;
    delayMs: number;
    error: string;
    at: Date;
  }
  | { type: "node-finished"; runId: string; nodeId: string; result: NodeRunResult; at: Date }
  | { type: "run-finished"; runId: string; result: RunResult; at: Date };

/** The record of one node in a run. */
export interface NodeRunResult extends NodeMetrics {
  nodeId: string;
  status: NodeStatus;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  /** The failure message, or why the node was skipped. */
  error: string | null;
  details?: Record<string, unknown>;
}

/** The record of a run. */
export interface RunResult {
  runId: string;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date;
  nodes: NodeRunResult[];
  /**
   * Why part of the run could not be recorded in the run store (e.g. the database stayed down past the
   * retry budget); absent when everything was recorded.
   */
  unrecorded?: string;
}
