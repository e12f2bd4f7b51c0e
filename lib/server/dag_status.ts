import { type DagEvent, NodeStates, type NodeStatus } from "../dag/mod.ts";
import { branchOf } from "./start_options.ts";

/** Status of the whole DAG as the dashboard shows it. */
export type DagState = "idle" | "running" | "success" | "error";

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
    this.#startedAt = null;
    this.#finishedAt = null;
    this.#nodes.reset(this.#graph.order);
    this.#notInRun.clear();
  }

  /** Marks a run as started before its first event arrives (the run store writes first). */
  starting(at: Date): void {
    this.reset();
    this.#state = "running";
    this.#startedAt = at;
  }

  /** Marks a run that could not start at all (e.g. a bad option) as ended in error. */
  failedToStart(at: Date): void {
    this.#revision++;
    this.#state = "error";
    this.#finishedAt = at;
  }

  apply(event: DagEvent): void {
    this.#revision++;
    switch (event.type) {
      case "run-started":
        this.#state = "running";
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
