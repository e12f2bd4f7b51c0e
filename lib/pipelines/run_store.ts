import type { NodeRunResult, NodeStatus, RunRecorder, RunResult, RunStatus } from "../dag/mod.ts";
import type { Warehouse } from "../warehouse/mod.ts";
import { ensureTables, RUN_TABLES } from "./schema.ts";

/** A stored run, as the CLI, notebooks and dashboard list them. */
export interface StoredRun {
  runId: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  options: Record<string, unknown> | null;
}

/** A stored node run. */
export interface StoredNodeRun {
  runId: string;
  nodeId: string;
  status: NodeStatus;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  attempts: number;
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  error: string | null;
  details: Record<string, unknown> | null;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: sorts as text and reads back the same on both engines. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** Keeps `etl_runs` and `etl_node_runs` in the warehouse, so any run can be inspected and resumed. */
export class WarehouseRunStore implements RunRecorder {
  readonly #wh: Warehouse;
  readonly #options: Record<string, unknown>;

  private constructor(wh: Warehouse, options: Record<string, unknown>) {
    this.#wh = wh;
    this.#options = options;
  }

  /** Creates the bookkeeping tables if needed. */
  static async open(wh: Warehouse): Promise<WarehouseRunStore> {
    await ensureTables(wh, RUN_TABLES);
    return new WarehouseRunStore(wh, {});
  }

  /** The same store, storing these options with the runs it starts. */
  withOptions(options: Record<string, unknown>): WarehouseRunStore {
    return new WarehouseRunStore(this.#wh, options);
  }

  async runStarted(runId: string, startedAt: Date): Promise<void> {
    await this.#wh.upsert("etl_runs", ["run_id", "status", "started_at", "finished_at", "options"], [
      "run_id",
    ], [
      [runId, "running", formatTimestamp(startedAt), null, JSON.stringify(this.#options)],
    ]);
  }

  async nodeStarted(runId: string, nodeId: string, startedAt: Date): Promise<void> {
    await this.#writeNode(runId, {
      nodeId,
      status: "running",
      attempts: 1,
      startedAt,
      finishedAt: null,
      durationMs: null,
      error: null,
      rowsRead: 0,
      rowsWritten: 0,
      rowsRejected: 0,
    });
  }

  async nodeFinished(runId: string, result: NodeRunResult): Promise<void> {
    await this.#writeNode(runId, result);
  }

  async runFinished(result: RunResult): Promise<void> {
    await this.#wh.execute("UPDATE etl_runs SET status = ?, finished_at = ? WHERE run_id = ?", [
      result.status,
      formatTimestamp(result.finishedAt),
      result.runId,
    ]);
  }

  async #writeNode(runId: string, r: NodeRunResult): Promise<void> {
    const columns = [
      "run_id",
      "node_id",
      "status",
      "started_at",
      "finished_at",
      "duration_ms",
      "attempts",
      "rows_read",
      "rows_written",
      "rows_rejected",
      "error",
      "details",
    ];
    await this.#wh.upsert("etl_node_runs", columns, ["run_id", "node_id"], [[
      runId,
      r.nodeId,
      r.status,
      r.startedAt ? formatTimestamp(r.startedAt) : null,
      r.finishedAt ? formatTimestamp(r.finishedAt) : null,
      r.durationMs,
      r.attempts,
      r.rowsRead,
      r.rowsWritten,
      r.rowsRejected,
      r.error,
      r.details ? JSON.stringify(r.details) : null,
    ]]);
  }

  /** Runs, newest first. */
  async listRuns(limit = 20): Promise<StoredRun[]> {
    const rows = await this.#wh.query<Record<string, string | null>>(
      `SELECT run_id, status, started_at, finished_at, options FROM etl_runs ORDER BY started_at DESC LIMIT ${
        Math.max(1, Math.floor(limit))
      }`,
    );
    return rows.map((r) => ({
      runId: r.run_id!,
      status: r.status as RunStatus,
      startedAt: r.started_at!,
      finishedAt: r.finished_at,
      options: r.options ? JSON.parse(r.options) : null,
    }));
  }

  /** The node runs of one run, in the order they started. */
  async nodeRuns(runId: string): Promise<StoredNodeRun[]> {
    const rows = await this.#wh.query<Record<string, string | number | null>>(
      "SELECT * FROM etl_node_runs WHERE run_id = ? ORDER BY started_at, node_id",
      [runId],
    );
    return rows.map(toNodeRun);
  }

  /** Each node's latest status over all runs (what `--resume` starts from). */
  async latestNodeStatuses(): Promise<Map<string, NodeStatus>> {
    const rows = await this.#wh.query<{ node_id: string; status: NodeStatus }>(
      `SELECT n.node_id, n.status FROM etl_node_runs n JOIN etl_runs r ON r.run_id = n.run_id
       ORDER BY r.started_at, n.started_at`,
    );
    const latest = new Map<string, NodeStatus>();
    for (const row of rows) latest.set(row.node_id, row.status);
    return latest;
  }

  /** The latest successful run of a node, with its details (e.g. a file's counts for `validate_data`). */
  async latestSuccess(nodeId: string): Promise<StoredNodeRun | undefined> {
    const rows = await this.#wh.query<Record<string, string | number | null>>(
      `SELECT n.* FROM etl_node_runs n JOIN etl_runs r ON r.run_id = n.run_id
       WHERE n.node_id = ? AND n.status = 'success' ORDER BY r.started_at DESC LIMIT 1`,
      [nodeId],
    );
    return rows.map(toNodeRun)[0];
  }
}

function toNodeRun(r: Record<string, string | number | null>): StoredNodeRun {
  return {
    runId: String(r.run_id),
    nodeId: String(r.node_id),
    status: r.status as NodeStatus,
    startedAt: r.started_at as string | null,
    finishedAt: r.finished_at as string | null,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    attempts: Number(r.attempts),
    rowsRead: Number(r.rows_read),
    rowsWritten: Number(r.rows_written),
    rowsRejected: Number(r.rows_rejected),
    error: r.error as string | null,
    details: r.details ? JSON.parse(String(r.details)) : null,
  };
}
