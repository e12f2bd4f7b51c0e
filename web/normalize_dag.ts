/// <reference lib="dom" />
/**
 * Reads a status response into a {@linkcode DagView}, whatever shape the server wrapped it in: the
 * workbench's `{ success, dag }`, the original project's `{ data: { dag } }` or `{ result: { dag } }`, an
 * event-stream message `{ type, dag }`, or a bare DAG. Missing counters become 0 (the revision too), unknown
 * statuses `pending`.
 */
import type { DagState, DagView, NodeView } from "../lib/server/dag_status.ts";

export type { DagState, DagView, NodeView };

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const NODE_STATUSES = new Set(["pending", "running", "success", "failed", "skipped"]);
/** Words the original project and other runners use for the same states. */
const NODE_ALIASES: Record<string, NodeView["status"]> = {
  completed: "success",
  complete: "success",
  done: "success",
  succeeded: "success",
  error: "failed",
  cancelled: "skipped",
  queued: "pending",
  idle: "pending",
};
const DAG_ALIASES: Record<string, DagState> = {
  failed: "error",
  cancelled: "error",
  completed: "success",
  done: "success",
  pending: "idle",
};

/** The DAG object inside a response, or undefined when there is none. */
function findDag(response: unknown): Loose | undefined {
  if (!isObject(response)) return undefined;
  for (const candidate of [response.dag, (response.data as Loose)?.dag, (response.result as Loose)?.dag]) {
    if (isObject(candidate) && Array.isArray(candidate.nodes)) return candidate;
  }
  for (const wrapper of [response.data, response.result]) {
    if (isObject(wrapper) && Array.isArray(wrapper.nodes)) return wrapper;
  }
  return Array.isArray(response.nodes) ? response : undefined;
}

const count = (value: unknown): number => {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : 0;
};

const optionalCount = (value: unknown): number | undefined =>
  value === undefined || value === null ? undefined : count(value);

/** An ISO text from a Date, an epoch number or a date text; null for anything else. */
function isoTime(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function nodeStatus(value: unknown): NodeView["status"] {
  const text = String(value ?? "").toLowerCase();
  if (NODE_STATUSES.has(text)) return text as NodeView["status"];
  return NODE_ALIASES[text] ?? "pending";
}

function dagStatus(value: unknown, nodes: NodeView[]): DagState {
  const text = String(value ?? "").toLowerCase();
  if (["idle", "running", "success", "error", "abandoned"].includes(text)) return text as DagState;
  if (DAG_ALIASES[text]) return DAG_ALIASES[text];
  if (nodes.some((n) => n.status === "running")) return "running";
  if (nodes.some((n) => n.status === "failed")) return "error";
  if (nodes.length > 0 && nodes.every((n) => n.status === "success" || n.status === "skipped")) {
    return "success";
  }
  return "idle";
}

function normalizeNode(raw: unknown, index: number): NodeView {
  const n = isObject(raw) ? raw : {};
  const id = String(n.id ?? n.nodeId ?? `node_${index + 1}`);
  const startTime = isoTime(n.startTime ?? n.startedAt);
  const endTime = isoTime(n.endTime ?? n.finishedAt);
  const measured = startTime && endTime ? Date.parse(endTime) - Date.parse(startTime) : 0;
  const node: NodeView = {
    id,
    name: String(n.name ?? id),
    description: typeof n.description === "string" ? n.description : null,
    branch: n.branch === "document" ? "document" : "relational",
    status: nodeStatus(n.status),
    dependencies: Array.isArray(n.dependencies) ? n.dependencies.map(String) : [],
    startTime,
    endTime,
    error: typeof n.error === "string" && n.error !== "" ? n.error : null,
    rowsRead: count(n.rowsRead ?? n.recordsProcessed),
    rowsWritten: count(n.rowsWritten),
    rowsRejected: count(n.rowsRejected),
    rowsPerSecond: count(n.rowsPerSecond),
    durationMs: n.durationMs === undefined || n.durationMs === null ? measured : count(n.durationMs),
    attempts: count(n.attempts),
  };
  const totalRows = optionalCount(n.totalRows);
  if (totalRows !== undefined) node.totalRows = totalRows;
  const percent = optionalCount(n.percent) ??
    (totalRows ? Math.round(Math.min(1, node.rowsRead / totalRows) * 1000) / 10 : undefined);
  if (percent !== undefined) node.percent = percent;
  const estimatedMs = optionalCount(n.estimatedMs);
  if (estimatedMs) node.estimatedMs = estimatedMs;
  return node;
}

/** Who started the run (`{ source, host, pid }`), or null. */
function startedBy(value: unknown): DagView["startedBy"] {
  if (!isObject(value) || typeof value.source !== "string") return null;
  return {
    source: value.source,
    host: typeof value.host === "string" ? value.host : null,
    pid: typeof value.pid === "number" ? value.pid : null,
  };
}

/**
 * The DAG of a status response, normalised; null when the response holds none.
 *
 * @example
 * ```ts
 * normalizeDag({ data: { dag: { id: "etl", status: "running", nodes: [{ id: "a", status: "completed" }] } } });
 * // { id: "etl", status: "running", nodes: [{ id: "a", status: "success", rowsRead: 0, ... }], ... }
 * ```
 */
export function normalizeDag(response: unknown): DagView | null {
  const raw = findDag(response);
  if (!raw) return null;
  const nodes = (raw.nodes as unknown[]).map(normalizeNode);
  const status = dagStatus(raw.status, nodes);
  const by = (s: NodeView["status"]) => nodes.filter((n) => n.status === s).length;
  const startTime = isoTime(raw.startTime ?? raw.startedAt);
  const endTime = isoTime(raw.endTime ?? raw.finishedAt);
  const stats = isObject(raw.stats) ? raw.stats : {};
  return {
    id: String(raw.id ?? "dag"),
    name: String(raw.name ?? raw.id ?? "DAG"),
    status,
    runId: typeof raw.runId === "string" ? raw.runId : null,
    startedBy: startedBy(raw.startedBy),
    error: typeof raw.error === "string" && raw.error !== "" ? raw.error : null,
    revision: count(raw.revision),
    instance: typeof raw.instance === "string" ? raw.instance : "",
    nodes,
    startTime,
    endTime,
    currentNode: typeof raw.currentNode === "string" && raw.currentNode !== ""
      ? raw.currentNode
      : nodes.find((n) => n.status === "running")?.id ?? null,
    elapsedMs: raw.elapsedMs !== undefined
      ? count(raw.elapsedMs)
      : startTime && endTime
      ? Date.parse(endTime) - Date.parse(startTime)
      : 0,
    stats: {
      totalNodes: optionalCount(stats.totalNodes) ?? nodes.length,
      completed: optionalCount(stats.completed) ?? by("success"),
      running: optionalCount(stats.running) ?? by("running"),
      failed: optionalCount(stats.failed) ?? by("failed"),
      skipped: optionalCount(stats.skipped) ?? by("skipped"),
    },
  };
}

/**
 * Whether `next` should replace `current`: views of one server process arrive by two paths (the event stream
 * and the answers to requests), and an older one must not undo a newer one.
 */
export function isNewerDag(current: DagView | null, next: DagView): boolean {
  if (!current || current.instance !== next.instance) return true;
  return next.revision >= current.revision;
}
