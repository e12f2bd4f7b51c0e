import { type DagEvent, NodeStates, type NodeStatus } from "../dag/mod.ts";
import { type LiveRunState, parseTimestamp, type RunOrigin } from "../pipelines/mod.ts";
import { branchOf } from "./start_options.ts";

/** Status of the whole DAG as the dashboard shows it; `abandoned`: the run's process stopped its heartbeat. */
export type DagState = "idle" | "running" | "success" | "error" | "abandoned";

/** One node in `GET /api/etl/status`. */
export interface NodeView {
  id: string;
  name: string;
  description: string | null;
  /** The branch the node is drawn in. */
  branch: "relational" | "document";
  status: NodeStatus;
  dependencies: string[];
  startTime: string | null;
  endTime: string | null;
  /** The failure message, or why the node was skipped. */
  error: string | null;
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  /** Rows the node expects to read, when it knows. */
  totalRows?: number;
  /** rowsRead / totalRows in %, one decimal, when totalRows is known. */
  percent?: number;
  /** How long the node should take (its last successful run at the same scale), when known. */
  estimatedMs?: number;
  /** Rows read per second of the node's running time, rounded. */
  rowsPerSecond: number;
  /** Running time so far (running) or in all (finished); 0 before it starts. */
  durationMs: number;
  attempts: number;
}

/** The `dag` of `GET /api/etl/status`: the original project's shape, extended. */
export interface DagView {
  id: string;
  name: string;
  status: DagState;
  /** The run shown, null before the first run. */
  runId: string | null;
  /** Who started the run shown (`cli`, `notebook`, `dashboard`), on which host and pid. */
  startedBy: RunOrigin | null;
  /** Why the run ended in error or was abandoned, when it failed outside any node or its process stopped. */
  error: string | null;
  /**
   * Grows with every change of this state: a client that gets views by two paths (the event stream and a
   * request's answer) keeps the newest. Starts again from 0 in a new server process (see `instance`).
   */
  revision: number;
  /** Identifies the server process, so a client can tell a restart from an older view. */
  instance: string;
  nodes: NodeView[];
  startTime: string | null;
  endTime: string | null;
  /** The first running node, in DAG order. */
  currentNode: string | null;
  /** Since the run started, up to now or its end. */
  elapsedMs: number;
  stats: { totalNodes: number; completed: number; running: number; failed: number; skipped: number };
}

/** The part of a `Graph` the status needs: node names, dependencies and order. */
export interface GraphOutline {
  readonly nodes: ReadonlyMap<
    string,
    { name: string; dependencies: readonly string[]; description?: string }
  >;
  readonly order: readonly string[];
}

/**
 * The live state of a DAG, built from the runner's events: `apply` each {@linkcode DagEvent}, read a
 * {@linkcode DagView} with `view(now)`. Pure: the clock is passed in.
 */
export class LiveDag {
  readonly #graph: GraphOutline;
  readonly #id: string;
  readonly #name: string;
  #state: DagState = "idle";
  #runId: string | null = null;
  #startedBy: RunOrigin | null = null;
  #error: string | null = null;
  #startedAt: Date | null = null;
  #finishedAt: Date | null = null;
  #nodes: NodeStates;
  /** Nodes left out of the shown run: drawn skipped. */
  #notInRun = new Set<string>();
  #revision = 0;
  readonly #instance: string;

  constructor(graph: GraphOutline, options: { id?: string; name?: string; instance?: string } = {}) {
    const { id = "streaming_etl", name = "Streaming ETL workbench", instance = crypto.randomUUID() } =
      options;
    this.#instance = instance;
    this.#graph = graph;
    this.#id = id;
    this.#name = name;
    this.#nodes = new NodeStates(graph.order);
    this.reset();
  }

  get state(): DagState {
    return this.#state;
  }

  /** Back to idle: every node pending, no run shown. */
  reset(): void {
    this.#revision++;
    this.#state = "idle";
    this.#runId = null;
    this.#startedBy = null;
    this.#error = null;
    this.#startedAt = null;
    this.#finishedAt = null;
    this.#nodes.reset(this.#graph.order);
    this.#notInRun.clear();
  }

  /** Marks a run as started before its first event arrives (the run store writes first). */
  starting(at: Date, startedBy: RunOrigin | null = null): void {
    this.reset();
    this.#state = "running";
    this.#startedAt = at;
    this.#startedBy = startedBy;
  }

  /**
   * Marks a run that could not start at all (e.g. a bad option), or that failed outside any node, as ended
   * in error with its message.
   */
  failedToStart(at: Date, message: string | null = null): void {
    this.#revision++;
    this.#state = "error";
    this.#finishedAt = at;
    this.#error = message;
    for (const id of this.#graph.order) {
      const node = this.#nodes.get(id)!;
      if (node.status !== "running") continue;
      node.status = "failed";
      node.finishedAt = at;
      node.error = `the run ended in error${message ? `: ${message}` : ""}`;
    }
  }

  /**
   * Shows a run from the run store's live channel (started by another process): its nodes as last written,
   * `abandoned` when its heartbeat stopped (its running nodes shown failed with that message).
   */
  show(run: LiveRunState): void {
    this.#revision++;
    const startedAt = run.startedAt ? parseTimestamp(run.startedAt) : null;
    this.#state = run.status === "running"
      ? "running"
      : run.status === "success"
      ? "success"
      : run.status === "abandoned"
      ? "abandoned"
      : "error";
    this.#runId = run.runId;
    this.#startedBy = run.origin;
    this.#error = run.message;
    this.#startedAt = startedAt;
    this.#finishedAt = run.finishedAt
      ? parseTimestamp(run.finishedAt)
      : run.status === "abandoned" && run.heartbeatAt
      ? parseTimestamp(run.heartbeatAt)
      : null;
    const nodeIds = run.nodeIds ?? this.#graph.order;
    this.#notInRun = new Set(this.#graph.order.filter((id) => !nodeIds.includes(id)));
    this.#nodes.reset(this.#graph.order);
    const at = startedAt ?? new Date(0);
    for (const n of run.nodes) {
      if (!this.#graph.nodes.has(n.nodeId)) continue;
      this.#notInRun.delete(n.nodeId);
      const nodeStarted = n.startedAt ? parseTimestamp(n.startedAt) : at;
      const metrics = {
        rowsRead: n.rowsRead,
        rowsWritten: n.rowsWritten,
        rowsRejected: n.rowsRejected,
        ...(n.totalRows === null ? {} : { totalRows: n.totalRows }),
      };
      const base = { runId: run.runId, nodeId: n.nodeId };
      if (n.status === "running" || n.status === "pending") {
        this.#nodes.apply({ type: "node-started", ...base, attempt: n.attempts || 1, at: nodeStarted });
        this.#nodes.apply({ type: "node-progress", ...base, metrics, at: nodeStarted });
        continue;
      }
      const finishedAt = n.finishedAt ? parseTimestamp(n.finishedAt) : this.#finishedAt;
      this.#nodes.apply({
        type: "node-finished",
        ...base,
        at: finishedAt ?? nodeStarted,
        result: {
          nodeId: n.nodeId,
          ...metrics,
          status: n.status === "abandoned" ? "failed" : n.status,
          attempts: n.attempts,
          startedAt: n.startedAt ? nodeStarted : null,
          finishedAt,
          durationMs: finishedAt && n.startedAt ? finishedAt.getTime() - nodeStarted.getTime() : null,
          error: n.error,
        },
      });
    }
  }

  apply(event: DagEvent): void {
    this.#revision++;
    switch (event.type) {
      case "run-started":
        this.#state = "running";
        this.#error = null;
        this.#runId = event.runId;
        this.#startedAt = event.at;
        this.#finishedAt = null;
        this.#nodes.reset(this.#graph.order);
        this.#notInRun = new Set(this.#graph.order.filter((id) => !event.nodeIds.includes(id)));
        break;
      case "run-finished":
        this.#state = event.result.status === "success" ? "success" : "error";
        this.#finishedAt = event.result.finishedAt;
        break;
      default:
        break;
    }
    this.#nodes.apply(event);
  }

  /** The state as `GET /api/etl/status` returns it, with durations measured up to `now`. */
  view(now: Date): DagView {
    const nodes = this.#graph.order.map((id) => this.#nodeView(id, now));
    const count = (status: NodeStatus) => nodes.filter((n) => n.status === status).length;
    const end = this.#finishedAt ?? now;
    return {
      id: this.#id,
      name: this.#name,
      status: this.#state,
      runId: this.#runId,
      startedBy: this.#startedBy,
      error: this.#error,
      revision: this.#revision,
      instance: this.#instance,
      nodes,
      startTime: this.#startedAt?.toISOString() ?? null,
      endTime: this.#finishedAt?.toISOString() ?? null,
      currentNode: nodes.find((n) => n.status === "running")?.id ?? null,
      elapsedMs: this.#startedAt ? Math.max(0, end.getTime() - this.#startedAt.getTime()) : 0,
      stats: {
        totalNodes: nodes.length,
        completed: count("success"),
        running: count("running"),
        failed: count("failed"),
        skipped: count("skipped"),
      },
    };
  }

  #nodeView(id: string, now: Date): NodeView {
    const spec = this.#graph.nodes.get(id)!;
    const node = this.#nodes.get(id)!;
    const notInRun = this.#notInRun.has(id);
    const end = node.finishedAt ?? (node.status === "running" ? now : null);
    const durationMs = node.startedAt && end ? Math.max(0, end.getTime() - node.startedAt.getTime()) : 0;
    const view: NodeView = {
      id,
      name: spec.name,
      description: spec.description ?? null,
      branch: branchOf(id),
      status: notInRun ? "skipped" : node.status,
      dependencies: [...spec.dependencies],
      startTime: node.startedAt?.toISOString() ?? null,
      endTime: node.finishedAt?.toISOString() ?? null,
      error: notInRun ? "Not part of this run" : node.error,
      rowsRead: node.rowsRead,
      rowsWritten: node.rowsWritten,
      rowsRejected: node.rowsRejected,
      rowsPerSecond: durationMs > 0 ? Math.round(node.rowsRead / (durationMs / 1000)) : 0,
      durationMs,
      attempts: node.attempts,
    };
    if (node.estimatedMs !== undefined) view.estimatedMs = node.estimatedMs;
    if (node.totalRows !== undefined) {
      view.totalRows = node.totalRows;
      const ratio = node.totalRows > 0 ? node.rowsRead / node.totalRows : node.status === "success" ? 1 : 0;
      view.percent = Math.round(Math.min(1, ratio) * 1000) / 10;
    }
    return view;
  }
}
