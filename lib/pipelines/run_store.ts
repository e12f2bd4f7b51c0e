import type { NodeRunResult, NodeStatus, RunRecorder, RunResult, RunStatus } from "../dag/mod.ts";
import type { RowBatches, SqlValue, Warehouse } from "../warehouse/mod.ts";
import { ensureTables, RUN_TABLES } from "./schema.ts";
import { previousSuccessfulLoad, type StoredLoad, successInRun } from "./_load_history.ts";
import { readRejectsPage, type RejectsPage, type RejectsQuery } from "./_rejects_page.ts";
import {
  type CoercionGroup,
  type CoercionsPage,
  type CoercionsQuery,
  readCoercions,
} from "./_coercions_page.ts";
import {
  type CoercionRow,
  type FileQuality,
  latestRunId,
  listCoercions,
  listRejects,
  type ListRunRowsOptions,
  readRunQuality,
  type ReadRunQualityOptions,
  type RejectRow,
} from "./_run_quality.ts";

export type {
  CoercionGroup,
  CoercionRow,
  CoercionsPage,
  CoercionsQuery,
  FileQuality,
  ListRunRowsOptions,
  ReadRunQualityOptions,
  RejectRow,
  RejectsPage,
  RejectsQuery,
  StoredLoad,
};

/** How a stored run ended, or that it is going: a run's own status, `error` or `abandoned`. */
export type StoredRunStatus = RunStatus | "error" | "abandoned";
/** A stored node run's status: a node's own, or `abandoned` when its run's process stopped. */
export type StoredNodeStatus = NodeStatus | "abandoned";

/** Who started a run: `cli`, `notebook`, `dashboard` (or a caller's own word), on which host, in which process. */
export interface RunOrigin {
  source: string;
  host: string | null;
  pid: number | null;
}

/** A stored run, as the CLI, notebooks and dashboard list them. */
export interface StoredRun {
  runId: string;
  /** A `running` run whose heartbeat stopped reads `abandoned`, even before anyone marked it so. */
  status: StoredRunStatus;
  startedAt: string;
  finishedAt: string | null;
  options: Record<string, unknown> | null;
  /** Who started it; null for runs recorded before the workbench stored it. */
  source: string | null;
  host: string | null;
  pid: number | null;
  /** Why a run ended `error` or `abandoned`. */
  message: string | null;
}

/** A stored node run. */
export interface StoredNodeRun {
  runId: string;
  nodeId: string;
  status: StoredNodeStatus;
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

/** A run with its node runs, as the history lists them. */
export interface StoredRunWithNodes extends StoredRun {
  nodes: StoredNodeRun[];
}

/** Rejected rows of one file and reason in a run. */
export interface RejectCount {
  file: string;
  reason: string;
  count: number;
}

/** One stored reject: the input line, the field and value at fault, the raw text. */
export interface RejectExample {
  line: number;
  field: string | null;
  value: string | null;
  raw: string | null;
}

/** A quality check of `validate_data`, as stored with its run. */
export interface StoredCheck {
  name: string;
  status: string;
  observed: string | null;
  expected: string | null;
  message: string | null;
}

/** The holder of a warehouse's run lease. */
export interface LeaseHolder extends RunOrigin {
  runId: string;
  acquiredAt: string;
  heartbeatAt: string;
  /** Milliseconds since the last heartbeat, by this process's clock. */
  ageMs: number;
  /** Whether the heartbeat is younger than the lease timeout: a stale holder's lease can be taken. */
  fresh: boolean;
}

/** A node run as the live channel shows it: counters at most an interval old. */
export interface LiveNode {
  nodeId: string;
  status: StoredNodeStatus;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  totalRows: number | null;
  error: string | null;
}

/** The live state of a run, from any process: what `readLive` returns. */
export interface LiveRunState {
  runId: string;
  /** `running` here while the lease is held with a fresh heartbeat; `abandoned` once the heartbeat stops. */
  status: StoredRunStatus;
  startedAt: string | null;
  finishedAt: string | null;
  origin: RunOrigin;
  /** The nodes in the run, when known up front (a step run's grow as cells run). */
  nodeIds: string[] | null;
  /** Why it ended `error` or `abandoned`. */
  message: string | null;
  nodes: LiveNode[];
  /** The heartbeat of the run's lease, while it holds it. */
  heartbeatAt: string | null;
}

/** Options of {@linkcode WarehouseRunStore.open}. */
export interface RunStoreOptions {
  /**
   * Where the lease and the live state go. @default the warehouse itself (a SQLite warehouse is given a
   * sidecar database by `openWorkbench`, since a load's write transaction would hold back its heartbeats)
   */
  live?: Warehouse;
  /** A heartbeat older than this marks its run `abandoned` and frees its lease. @default 15000 */
  leaseTimeoutMs?: number;
  /**
   * The URL of the live channel's database (and the state folder it is relative to), so that a run's
   * heartbeat can go from a thread of its own. @default none: the heartbeat goes from the run's thread
   */
  liveUrl?: { url: string; stateDir?: string };
}

/** A second run was refused because one is live on the warehouse. */
export class LeaseBusyError extends Error {
  override name = "LeaseBusyError";
  /** The live run, when known. */
  readonly holder?: LeaseHolder;
  constructor(message: string, holder?: LeaseHolder) {
    super(message);
    this.holder = holder;
  }
}

/** The default lease timeout: a run with no heartbeat for this long is abandoned. */
export const DEFAULT_LEASE_TIMEOUT_MS = 15_000;

/** The name of the table of quality checks, for previews. */
export const CHECKS_TABLE = "etl_checks";

const LEASE = "run";
const LIVE_TABLE_NAMES = new Set(["etl_lease", "etl_live"]);
const REJECT_COLUMNS = ["run_id", "file", "line", "reason", "field", "value", "raw"];
/** Columns of `etl_coercions`, in the order a coercion row gives them. */
const COERCION_COLUMNS = ["run_id", "file", "line", "field", "value", "stored"];
const NODE_COLUMNS = [
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
const LIVE_COLUMNS = [
  "run_id",
  "node_id",
  "status",
  "started_at",
  "finished_at",
  "attempts",
  "rows_read",
  "rows_written",
  "rows_rejected",
  "total_rows",
  "error",
  "info",
];
/** Columns added to `etl_runs` after its first release: added to older warehouses on open. */
const ADDED_RUN_COLUMNS: [string, string][] = [
  ["source", "TEXT"],
  ["host", "TEXT"],
  ["pid", "BIGINT"],
  ["message", "TEXT"],
];

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: sorts as text and reads back the same on both engines. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** The Date of a {@linkcode formatTimestamp} text. */
export function parseTimestamp(text: string): Date {
  return new Date(text.replace(" ", "T") + "Z");
}

/** This process: its host name (when allowed to read it) and pid. */
export function thisProcess(source: string): RunOrigin {
  let host: string | null = null;
  try {
    host = Deno.hostname();
  } catch {
    // Without --allow-sys the host stays unknown.
  }
  return { source, host, pid: Deno.pid };
}

/** "cli (pid 4242 on host box)". */
export function describeOrigin(origin: RunOrigin): string {
  const where = [
    origin.pid !== null ? `pid ${origin.pid}` : null,
    origin.host ? `on host ${origin.host}` : null,
  ].filter(Boolean).join(" ");
  return where ? `${origin.source} (${where})` : origin.source;
}

/** One sentence naming the live run that keeps another from starting. */
export function describeLiveRun(holder: LeaseHolder): string {
  return `run ${holder.runId} is live on this warehouse, started by ${describeOrigin(holder)} at ${
    holder.acquiredAt.slice(0, 19)
  } UTC (last heartbeat ${(holder.ageMs / 1000).toFixed(1)} s ago)`;
}

/**
 * Owns the run tables: `etl_runs`, `etl_node_runs`, `etl_rejects`, `etl_file_stats`, `etl_checks`, and the
 * live channel (`etl_lease`, `etl_live`). It records every run and node run so that any run can be
 * inspected and resumed, holds the one-run-per-warehouse lease, and gives every process the live state of
 * the current run in one small query.
 */
export class WarehouseRunStore implements RunRecorder {
  readonly #wh: Warehouse;
  readonly #live: Warehouse;
  readonly #options: Record<string, unknown>;
  readonly #origin: RunOrigin;
  readonly #timeoutMs: number;
  readonly #liveUrl: { url: string; stateDir?: string } | undefined;

  private constructor(
    wh: Warehouse,
    live: Warehouse,
    options: Record<string, unknown>,
    origin: RunOrigin,
    timeoutMs: number,
    liveUrl: { url: string; stateDir?: string } | undefined,
    retiring: Set<Promise<void>> = new Set(),
  ) {
    this.#wh = wh;
    this.#live = live;
    this.#options = options;
    this.#origin = origin;
    this.#timeoutMs = timeoutMs;
    this.#liveUrl = liveUrl;
    this.#retiring = retiring;
  }

  /** Heartbeat threads still stopping; shared by the copies `withOptions` and `within` make. */
  readonly #retiring: Set<Promise<void>>;

  /** Keeps `stopping` (a heartbeat thread a finished run no longer waits for) for {@linkcode close}. */
  retire(stopping: Promise<void>): void {
    const tracked = stopping.catch(() => {}).finally(() => this.#retiring.delete(tracked));
    this.#retiring.add(tracked);
  }

  /**
   * Waits for the heartbeat threads of finished runs to close their connections: after this, nothing of
   * the store's writes into the warehouse or its folder. The warehouse itself stays open (its owner closes it).
   */
  async close(): Promise<void> {
    while (this.#retiring.size > 0) await Promise.all([...this.#retiring]);
  }

  /** Where a heartbeat thread may open the live channel, when known. */
  get liveUrl(): { url: string; stateDir?: string } | undefined {
    return this.#liveUrl;
  }

  /** Creates the bookkeeping tables if needed (and the columns newer releases added). */
  static async open(wh: Warehouse, options: RunStoreOptions = {}): Promise<WarehouseRunStore> {
    const { live = wh, leaseTimeoutMs = DEFAULT_LEASE_TIMEOUT_MS, liveUrl } = options;
    if (!(leaseTimeoutMs > 0)) {
      throw new RangeError(`The lease timeout must be a positive number of ms (got ${leaseTimeoutMs})`);
    }
    await ensureTables(wh, RUN_TABLES.filter((t) => live === wh || !LIVE_TABLE_NAMES.has(t.name)));
    if (live !== wh) await ensureTables(live, RUN_TABLES.filter((t) => LIVE_TABLE_NAMES.has(t.name)));
    for (const [column, type] of ADDED_RUN_COLUMNS) {
      try {
        await wh.query(`SELECT ${column} FROM etl_runs WHERE 1 = 0`);
      } catch {
        await wh.execute(`ALTER TABLE etl_runs ADD COLUMN ${column} ${type}`);
      }
    }
    try {
      await live.execute("INSERT INTO etl_lease (name) VALUES (?)", [LEASE]);
    } catch {
      // Another process created it first, or it was there: either way the row exists.
    }
    return new WarehouseRunStore(wh, live, {}, thisProcess("library"), leaseTimeoutMs, liveUrl);
  }

  /** A heartbeat older than this marks its run abandoned. */
  get leaseTimeoutMs(): number {
    return this.#timeoutMs;
  }

  /** The same store, storing these options (and who started the run) with the runs it starts. */
  withOptions(options: Record<string, unknown>, origin: RunOrigin = this.#origin): WarehouseRunStore {
    return new WarehouseRunStore(
      this.#wh,
      this.#live,
      options,
      origin,
      this.#timeoutMs,
      this.#liveUrl,
      this.#retiring,
    );
  }

  /**
   * The same store writing through `tx`, a transaction of its warehouse, so that a load's rejects and file
   * statistics commit (or roll back) with its rows. The live channel stays outside the transaction.
   */
  within(tx: Warehouse): WarehouseRunStore {
    return new WarehouseRunStore(
      tx,
      this.#live,
      this.#options,
      this.#origin,
      this.#timeoutMs,
      this.#liveUrl,
      this.#retiring,
    );
  }

  /** Who this store says starts its runs. */
  get origin(): RunOrigin {
    return this.#origin;
  }

  // ---- the record of runs and node runs ----

  async runStarted(runId: string, startedAt: Date): Promise<void> {
    const { source, host, pid } = this.#origin;
    await this.#wh.upsert(
      "etl_runs",
      ["run_id", "status", "started_at", "finished_at", "options", "source", "host", "pid", "message"],
      ["run_id"],
      [[
        runId,
        "running",
        formatTimestamp(startedAt),
        null,
        JSON.stringify(this.#options),
        source,
        host,
        pid,
        null,
      ]],
    );
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

  /**
   * Records a run that failed outside any node (a store error after it started): `error` with its message,
   * and its running node runs `failed`.
   */
  async runFailed(runId: string, message: string, at = new Date()): Promise<void> {
    await this.#wh.execute(
      "UPDATE etl_node_runs SET status = 'failed', error = ? WHERE run_id = ? AND status = 'running'",
      [`the run ended in error: ${message}`, runId],
    );
    await this.#wh.execute(
      "UPDATE etl_runs SET status = 'error', finished_at = ?, message = ? WHERE run_id = ? AND status = 'running'",
      [formatTimestamp(at), message, runId],
    );
  }

  /**
   * Marks runs whose process stopped: `abandoned` in `etl_runs`, their running node runs too. With a run id,
   * that run; without, every `running` run but `exceptRunId` (called by the holder of the lease, so no other
   * run can be live). The live channel needs no mark: it reads a run without a fresh lease as abandoned (and
   * a run that was only late, not dead, reads running again and records its own end).
   */
  async markAbandoned(
    which: { runId: string } | { exceptRunId: string },
    message = "abandoned: its process stopped sending heartbeats",
  ): Promise<number> {
    const [filter, id] = "runId" in which ? ["run_id = ?", which.runId] : ["run_id <> ?", which.exceptRunId];
    const runs = await this.#wh.query<{ run_id: string; started_at: string }>(
      `SELECT run_id, started_at FROM etl_runs WHERE status = 'running' AND ${filter}`,
      [id],
    );
    for (const run of runs) {
      await this.#wh.execute(
        "UPDATE etl_node_runs SET status = 'abandoned', error = ? WHERE run_id = ? AND status = 'running'",
        [message, run.run_id],
      );
      await this.#wh.execute(
        "UPDATE etl_runs SET status = 'abandoned', message = ? WHERE run_id = ? AND status = 'running'",
        [message, run.run_id],
      );
    }
    return runs.length;
  }

  async #writeNode(runId: string, r: NodeRunResult): Promise<void> {
    await this.#wh.upsert("etl_node_runs", NODE_COLUMNS, ["run_id", "node_id"], [[
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

  // ---- reading the record ----

  /** Runs, newest first. */
  async listRuns(limit = 20): Promise<StoredRun[]> {
    const [rows, holder] = await Promise.all([
      this.#wh.query<Record<string, string | number | null>>(
        `SELECT run_id, status, started_at, finished_at, options, source, host, pid, message FROM etl_runs
         ORDER BY started_at DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
      ),
      this.leaseHolder(),
    ]);
    return rows.map((r) => this.#toRun(r, holder));
  }

  /** One run, or undefined when no run has this id. */
  async getRun(runId: string): Promise<StoredRun | undefined> {
    const [rows, holder] = await Promise.all([
      this.#wh.query<Record<string, string | number | null>>(
        "SELECT run_id, status, started_at, finished_at, options, source, host, pid, message FROM etl_runs WHERE run_id = ?",
        [runId],
      ),
      this.leaseHolder(),
    ]);
    return rows.length ? this.#toRun(rows[0], holder) : undefined;
  }

  /** The latest runs, newest first, each with its node runs: one query for all of them. */
  async listRunsWithNodes(limit = 20): Promise<StoredRunWithNodes[]> {
    const [rows, holder] = await Promise.all([
      this.#wh.query<Record<string, string | number | null>>(
        `SELECT r.run_id, r.status, r.started_at, r.finished_at, r.options, r.source, r.host, r.pid, r.message,
           n.node_id AS n_node_id, n.status AS n_status, n.started_at AS n_started_at,
           n.finished_at AS n_finished_at, n.duration_ms AS n_duration_ms, n.attempts AS n_attempts,
           n.rows_read AS n_rows_read, n.rows_written AS n_rows_written, n.rows_rejected AS n_rows_rejected,
           n.error AS n_error, n.details AS n_details
         FROM (SELECT * FROM etl_runs ORDER BY started_at DESC LIMIT ${Math.max(1, Math.floor(limit))}) r
         LEFT JOIN etl_node_runs n ON n.run_id = r.run_id
         ORDER BY r.started_at DESC, r.run_id, n.started_at, n.node_id`,
      ),
      this.leaseHolder(),
    ]);
    const runs = new Map<string, StoredRunWithNodes>();
    for (const row of rows) {
      const id = String(row.run_id);
      let run = runs.get(id);
      if (!run) runs.set(id, run = { ...this.#toRun(row, holder), nodes: [] });
      if (row.n_node_id === null) continue;
      run.nodes.push(toNodeRun({
        run_id: id,
        node_id: row.n_node_id,
        status: row.n_status,
        started_at: row.n_started_at,
        finished_at: row.n_finished_at,
        duration_ms: row.n_duration_ms,
        attempts: row.n_attempts,
        rows_read: row.n_rows_read,
        rows_written: row.n_rows_written,
        rows_rejected: row.n_rows_rejected,
        error: row.n_error,
        details: row.n_details,
      }));
    }
    return [...runs.values()];
  }

  #toRun(r: Record<string, string | number | null>, holder: LeaseHolder | null): StoredRun {
    const runId = String(r.run_id);
    const live = holder !== null && holder.runId === runId && holder.fresh;
    const abandoned = r.status === "running" && !live;
    return {
      runId,
      status: abandoned ? "abandoned" : r.status as StoredRunStatus,
      startedAt: String(r.started_at),
      finishedAt: r.finished_at === null ? null : String(r.finished_at),
      options: r.options ? JSON.parse(String(r.options)) : null,
      source: r.source === null || r.source === undefined ? null : String(r.source),
      host: r.host === null || r.host === undefined ? null : String(r.host),
      pid: r.pid === null || r.pid === undefined ? null : Number(r.pid),
      message: abandoned && !r.message
        ? "abandoned: its process stopped sending heartbeats"
        : r.message === null || r.message === undefined
        ? null
        : String(r.message),
    };
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

  // ---- rejects, file statistics and checks ----

  /** Removes the rejects of one file in a run (before it is loaded again under the same run). */
  async clearRejects(runId: string, file: string): Promise<void> {
    await this.#wh.execute("DELETE FROM etl_rejects WHERE run_id = ? AND file = ?", [runId, file]);
  }

  /** Stores reject rows `[run_id, file, line, reason, field, value, raw]`; resolves to how many. */
  async insertRejects(batches: RowBatches): Promise<number> {
    return await this.#wh.bulkInsert("etl_rejects", REJECT_COLUMNS, batches);
  }

  /** How many rejects a run stored (of one file, when given). */
  async countRejects(runId: string, file?: string): Promise<number> {
    const [{ n }] = await this.#wh.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM etl_rejects WHERE run_id = ?${file === undefined ? "" : " AND file = ?"}`,
      file === undefined ? [runId] : [runId, file],
    );
    return Number(n);
  }

  /** Rejects per file and reason in a run (of the files given), by file, then most frequent first. */
  async rejectCounts(runId: string, files?: readonly string[]): Promise<RejectCount[]> {
    if (files?.length === 0) return [];
    const onlyFiles = files ? ` AND file IN (${files.map(() => "?").join(", ")})` : "";
    const rows = await this.#wh.query<{ file: string; reason: string; n: number }>(
      `SELECT file, reason, COUNT(*) AS n FROM etl_rejects WHERE run_id = ?${onlyFiles}
       GROUP BY file, reason ORDER BY file, n DESC, reason`,
      [runId, ...(files ?? [])],
    );
    return rows.map((r) => ({ file: r.file, reason: r.reason, count: Number(r.n) }));
  }

  /** The first `limit` rejects of a file for a reason, by line. */
  async rejectExamples(runId: string, file: string, reason: string, limit = 3): Promise<RejectExample[]> {
    const rows = await this.#wh.query<RejectExample>(
      `SELECT line, field, value, raw FROM etl_rejects WHERE run_id = ? AND file = ? AND reason = ?
       ORDER BY line LIMIT ${Math.max(0, Math.floor(limit))}`,
      [runId, file, reason],
    );
    return rows.map((r) => ({ ...r, line: Number(r.line) }));
  }

  /** Stores a file's reconciliation counts for a run. */
  async writeFileStats(
    runId: string,
    stats: {
      file: string;
      rowsRead: number;
      loaded: number;
      rejected: number;
      duplicates: number;
      details: unknown;
    },
  ): Promise<void> {
    await this.#wh.upsert(
      "etl_file_stats",
      ["run_id", "file", "rows_read", "rows_loaded", "rows_rejected", "rows_duplicate", "details"],
      ["run_id", "file"],
      [[
        runId,
        stats.file,
        stats.rowsRead,
        stats.loaded,
        stats.rejected,
        stats.duplicates,
        JSON.stringify(stats.details),
      ]],
    );
  }

  /** The details a run stored with a file's statistics (its counts), or undefined when it has none. */
  async fileStatsDetails(runId: string, file: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.#wh.query<{ details: string | null }>(
      "SELECT details FROM etl_file_stats WHERE run_id = ? AND file = ?",
      [runId, file],
    );
    return row?.details ? JSON.parse(row.details) : undefined;
  }

  /** Rejects stored per file by each of the runs given: `runId -> file -> rows`. */
  async rejectsPerFile(runIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const perRun = new Map<string, Map<string, number>>();
    for (let at = 0; at < runIds.length; at += 200) {
      const chunk = runIds.slice(at, at + 200);
      const rows = await this.#wh.query<{ run_id: string; file: string; n: number }>(
        `SELECT run_id, file, COUNT(*) AS n FROM etl_rejects WHERE run_id IN (${
          chunk.map(() => "?").join(", ")
        })
         GROUP BY run_id, file`,
        chunk,
      );
      for (const r of rows) {
        const files = perRun.get(r.run_id) ?? new Map<string, number>();
        files.set(r.file, Number(r.n));
        perRun.set(r.run_id, files);
      }
    }
    return perRun;
  }

  /** Replaces the quality checks of a run. */
  async replaceChecks(runId: string, checks: readonly StoredCheck[]): Promise<void> {
    await this.#wh.execute("DELETE FROM etl_checks WHERE run_id = ?", [runId]);
    if (checks.length === 0) return;
    await this.#wh.upsert(
      "etl_checks",
      ["run_id", "check_name", "status", "observed", "expected", "message"],
      ["run_id", "check_name"],
      checks.map((c) => [runId, c.name, c.status, c.observed, c.expected, c.message]),
    );
  }

  /** The quality checks of a run, by name. */
  async checks(runId: string): Promise<StoredCheck[]> {
    const rows = await this.#wh.query<Record<string, string | null>>(
      "SELECT check_name, status, observed, expected, message FROM etl_checks WHERE run_id = ? ORDER BY check_name",
      [runId],
    );
    return rows.map((c) => ({
      name: c.check_name!,
      status: c.status!,
      observed: c.observed,
      expected: c.expected,
      message: c.message,
    }));
  }

  /**
   * One page of a run's rejected rows, by file then line, optionally of one file and one reason, with the
   * counts per file and reason for filters: the dashboard's Rejects page.
   */
  rejectsPage(query: RejectsQuery): Promise<RejectsPage> {
    return readRejectsPage(this.#wh, query);
  }

  /** A run's rejects in file and line order, optionally of one file and reason (`deno task rejects`). */
  listRejects(runId: string, options: ListRunRowsOptions = {}): Promise<RejectRow[]> {
    return listRejects(this.#wh, runId, options);
  }

  /** Removes the coercions of one file in a run (before it is loaded again under the same run). */
  async clearCoercions(runId: string, file: string): Promise<void> {
    await this.#wh.execute("DELETE FROM etl_coercions WHERE run_id = ? AND file = ?", [runId, file]);
  }

  /** Stores coercion rows `[run_id, file, line, field, value, stored]`; resolves to how many. */
  async insertCoercions(batches: RowBatches): Promise<number> {
    return await this.#wh.bulkInsert("etl_coercions", COERCION_COLUMNS, batches);
  }

  /**
   * One page of a run's coercions by file, line and field, optionally of one file and one field, with every
   * file's and field's count: all values coerced and how many are recorded line by line (the first ones per
   * field): the dashboard's Rejects page.
   *
   * @example
   * ```ts
   * import { openWorkbench } from "./mod.ts";
   *
   * await using wb = await openWorkbench();
   * const [{ runId }] = await wb.runStore.listRuns(1);
   * const page = await wb.runStore.coercionsPage({ runId, file: "users.csv", field: "age" });
   * page.coercions; // [{ file: "users.csv", line: 17, field: "age", value: "abc", stored: null }, ...]
   * ```
   */
  coercionsPage(query: CoercionsQuery): Promise<CoercionsPage> {
    return readCoercions(this.#wh, query);
  }

  /** A run's recorded coercions in file and line order, optionally of one file and field. */
  listCoercions(
    runId: string,
    options: ListRunRowsOptions & { field?: string } = {},
  ): Promise<CoercionRow[]> {
    return listCoercions(this.#wh, runId, options);
  }

  /**
   * Per input file of a run: the rejects by reason and the coerced values by field with a few example lines
   * each, and the duplicates replaced; what the summary of `deno task etl`, `deno task rejects` and a
   * notebook's node report show under the counts.
   *
   * @example
   * ```ts
   * import { openWorkbench } from "./mod.ts";
   *
   * await using wb = await openWorkbench();
   * const [{ runId }] = await wb.runStore.listRuns(1);
   * const [users] = await wb.runStore.fileQuality(runId, { file: "users.csv" });
   * users.coercions; // [{ field: "age", values: 14, examples: [{ line: 17, value: "abc", stored: null }, ...] }]
   * ```
   */
  fileQuality(runId: string, options: ReadRunQualityOptions = {}): Promise<FileQuality[]> {
    return readRunQuality(this.#wh, runId, options);
  }

  /** The id of the newest run, or undefined when none is recorded. */
  latestRunId(): Promise<string | undefined> {
    return latestRunId(this.#wh);
  }

  /** The successful run of `nodeId` in run `runId` with its details, if it ran and succeeded there. */
  successInRun(runId: string, nodeId: string): Promise<StoredLoad | undefined> {
    return successInRun(this.#wh, runId, nodeId);
  }

  /**
   * The latest successful run of `nodeId` that loaded `file`, in a run started before run `runId`: what a
   * volume check compares this run's rows with.
   */
  previousSuccessfulLoad(nodeId: string, file: string, runId: string): Promise<StoredLoad | undefined> {
    return previousSuccessfulLoad(this.#wh, nodeId, file, runId);
  }

  // ---- the lease: one run at a time per warehouse ----

  /** Who holds the lease, fresh or stale; null when it is free. */
  async leaseHolder(now = new Date()): Promise<LeaseHolder | null> {
    const rows = await this.#live.query<Record<string, string | number | null>>(
      "SELECT run_id, source, host, pid, acquired_at, heartbeat_at FROM etl_lease WHERE name = ?",
      [LEASE],
    );
    return rows.length ? this.#toHolder(rows[0], now) : null;
  }

  #toHolder(r: Record<string, string | number | null>, now: Date): LeaseHolder | null {
    if (r.run_id === null || r.run_id === undefined || r.heartbeat_at === null) return null;
    const heartbeatAt = String(r.heartbeat_at);
    const ageMs = Math.max(0, now.getTime() - parseTimestamp(heartbeatAt).getTime());
    return {
      runId: String(r.run_id),
      source: String(r.source ?? "unknown"),
      host: r.host === null ? null : String(r.host),
      pid: r.pid === null ? null : Number(r.pid),
      acquiredAt: String(r.acquired_at),
      heartbeatAt,
      ageMs,
      fresh: ageMs < this.#timeoutMs,
    };
  }

  /**
   * Takes the lease for `runId` when it is free or its holder's heartbeat is older than the timeout, in one
   * transaction (a conditional UPDATE of the one lease row: on a Galera cluster two nodes taking it at once
   * conflict at commit, and the loser sees the winner). Resolves to `{ acquired: true, previous }` (the
   * stale holder it replaced, if any) or `{ acquired: false, holder }`.
   */
  async acquireLease(
    runId: string,
    origin: RunOrigin,
    now = new Date(),
    attempt = 1,
  ): Promise<{ acquired: true; previous: LeaseHolder | null } | { acquired: false; holder: LeaseHolder }> {
    const at = formatTimestamp(now);
    const cutoff = formatTimestamp(new Date(now.getTime() - this.#timeoutMs));
    let before: LeaseHolder | null = null;
    try {
      await this.#live.transaction(async (tx) => {
        const rows = await tx.query<Record<string, string | number | null>>(
          "SELECT run_id, source, host, pid, acquired_at, heartbeat_at FROM etl_lease WHERE name = ?",
          [LEASE],
        );
        before = rows.length ? this.#toHolder(rows[0], now) : null;
        await tx.execute(
          `UPDATE etl_lease SET run_id = ?, source = ?, host = ?, pid = ?, acquired_at = ?, heartbeat_at = ?
           WHERE name = ? AND (run_id IS NULL OR heartbeat_at IS NULL OR heartbeat_at < ?)`,
          [runId, origin.source, origin.host, origin.pid, at, at, LEASE, cutoff],
        );
      });
    } catch (error) {
      // A conflicting commit (another node of a cluster took it at the same time): see who holds it now.
      if (attempt >= 3) throw error;
    }
    const holder = await this.leaseHolder(now);
    if (holder?.runId === runId) {
      const previous = before as LeaseHolder | null;
      return { acquired: true, previous: previous && previous.runId !== runId ? previous : null };
    }
    if (holder === null) {
      if (attempt >= 3) throw new Error(`Cannot take the warehouse's run lease for run ${runId}`);
      return await this.acquireLease(runId, origin, new Date(), attempt + 1);
    }
    return { acquired: false, holder };
  }

  /** Renews the lease of `runId`; resolves to false when the run no longer holds it. */
  async heartbeat(runId: string, now = new Date()): Promise<boolean> {
    const changed = await this.#live.execute(
      "UPDATE etl_lease SET heartbeat_at = ? WHERE name = ? AND run_id = ?",
      [formatTimestamp(now), LEASE, runId],
    );
    return changed > 0;
  }

  /** Gives the lease back, if `runId` holds it. */
  async releaseLease(runId: string): Promise<void> {
    await this.#live.execute(
      "UPDATE etl_lease SET run_id = NULL, heartbeat_at = NULL WHERE name = ? AND run_id = ?",
      [LEASE, runId],
    );
  }

  // ---- the live state ----

  /** Starts the live state of a run, dropping that of earlier runs (their record stays in `etl_runs`). */
  async writeLiveRun(
    runId: string,
    state: {
      status: StoredRunStatus;
      startedAt: Date | null;
      finishedAt?: Date | null;
      origin: RunOrigin;
      nodeIds?: readonly string[] | null;
      message?: string | null;
    },
    options: { clearOthers?: boolean } = {},
  ): Promise<void> {
    if (options.clearOthers) await this.#live.execute("DELETE FROM etl_live WHERE run_id <> ?", [runId]);
    const info = { ...state.origin, nodeIds: state.nodeIds ?? null, message: state.message ?? null };
    await this.#live.upsert("etl_live", LIVE_COLUMNS, ["run_id", "node_id"], [[
      runId,
      "",
      state.status,
      state.startedAt ? formatTimestamp(state.startedAt) : null,
      state.finishedAt ? formatTimestamp(state.finishedAt) : null,
      0,
      0,
      0,
      0,
      null,
      null,
      JSON.stringify(info),
    ]]);
  }

  /** Writes a node run's live row whole (when it starts or ends). */
  async writeLiveNode(runId: string, r: NodeRunResult): Promise<void> {
    await this.#live.upsert("etl_live", LIVE_COLUMNS, ["run_id", "node_id"], [[
      runId,
      r.nodeId,
      r.status,
      r.startedAt ? formatTimestamp(r.startedAt) : null,
      r.finishedAt ? formatTimestamp(r.finishedAt) : null,
      r.attempts,
      r.rowsRead,
      r.rowsWritten,
      r.rowsRejected,
      r.totalRows ?? null,
      r.error,
      null,
    ]]);
  }

  /** Updates a running node run's live counters. */
  async writeLiveCounters(
    runId: string,
    nodeId: string,
    c: { attempts: number; rowsRead: number; rowsWritten: number; rowsRejected: number; totalRows?: number },
  ): Promise<void> {
    await this.#live.execute(
      `UPDATE etl_live SET attempts = ?, rows_read = ?, rows_written = ?, rows_rejected = ?, total_rows = ?
       WHERE run_id = ? AND node_id = ? AND status = 'running'`,
      [c.attempts, c.rowsRead, c.rowsWritten, c.rowsRejected, c.totalRows ?? null, runId, nodeId],
    );
  }

  /**
   * The live state of a run from any process, in one small query (the lease row joined with the run's
   * live rows): of `runId`, or of the run holding the lease. Undefined when there is no such run.
   */
  async readLive(runId?: string, now = new Date()): Promise<LiveRunState | undefined> {
    const rows = await this.#live.query<Record<string, string | number | null>>(
      `SELECT l.run_id AS lease_run_id, l.source AS lease_source, l.host AS lease_host, l.pid AS lease_pid,
         l.acquired_at AS lease_acquired_at, l.heartbeat_at AS lease_heartbeat_at, e.*
       FROM etl_lease l LEFT JOIN etl_live e ON e.run_id = COALESCE(?, l.run_id)
       WHERE l.name = ? ORDER BY e.node_id`,
      [runId ?? null, LEASE],
    );
    const runRow = rows.find((r) => r.node_id === "");
    if (!runRow) return undefined;
    const id = String(runRow.run_id);
    const holder = this.#toHolder({
      run_id: runRow.lease_run_id,
      source: runRow.lease_source,
      host: runRow.lease_host,
      pid: runRow.lease_pid,
      acquired_at: runRow.lease_acquired_at,
      heartbeat_at: runRow.lease_heartbeat_at,
    }, now);
    const holds = holder?.runId === id;
    const info = runRow.info ? JSON.parse(String(runRow.info)) : {};
    let status = runRow.status as StoredRunStatus;
    let message: string | null = info.message ?? (runRow.error === null ? null : String(runRow.error));
    const stale = status === "running" && !(holds && holder!.fresh);
    if (stale) {
      status = "abandoned";
      message = holds
        ? `abandoned: no heartbeat for ${(holder!.ageMs / 1000).toFixed(1)} s (since ${
          holder!.heartbeatAt.slice(0, 19)
        } UTC)`
        : "abandoned: its process stopped sending heartbeats";
    }
    const nodes = rows.filter((r) => r.node_id !== null && r.node_id !== "").map((r): LiveNode => {
      const nodeStale = stale && r.status === "running";
      return {
        nodeId: String(r.node_id),
        status: nodeStale ? "abandoned" : r.status as StoredNodeStatus,
        startedAt: r.started_at === null ? null : String(r.started_at),
        finishedAt: r.finished_at === null ? null : String(r.finished_at),
        attempts: Number(r.attempts),
        rowsRead: Number(r.rows_read),
        rowsWritten: Number(r.rows_written),
        rowsRejected: Number(r.rows_rejected),
        totalRows: r.total_rows === null ? null : Number(r.total_rows),
        error: nodeStale ? message : r.error === null ? null : String(r.error),
      };
    });
    return {
      runId: id,
      status,
      startedAt: runRow.started_at === null ? null : String(runRow.started_at),
      finishedAt: runRow.finished_at === null ? null : String(runRow.finished_at),
      origin: { source: info.source ?? "unknown", host: info.host ?? null, pid: info.pid ?? null },
      nodeIds: info.nodeIds ?? null,
      message,
      nodes,
      heartbeatAt: holds ? holder!.heartbeatAt : null,
    };
  }
}

function toNodeRun(r: Record<string, string | number | null>): StoredNodeRun {
  return {
    runId: String(r.run_id),
    nodeId: String(r.node_id),
    status: r.status as StoredNodeStatus,
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

/** Values of one reject row, in the order {@linkcode WarehouseRunStore.insertRejects} takes them. */
export type RejectValues = [string, string, number, string, SqlValue, SqlValue, SqlValue];
