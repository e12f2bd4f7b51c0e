import type { StoredNodeRun, StoredRun, Workbench } from "../pipelines/mod.ts";

/** A run in `GET /api/etl/runs`, with its node runs (for the durations chart). */
export interface RunSummary extends StoredRun {
  durationMs: number | null;
  nodes: Pick<
    StoredNodeRun,
    "nodeId" | "status" | "durationMs" | "rowsRead" | "rowsWritten" | "rowsRejected"
  >[];
}

/** A run in `GET /api/etl/runs/:id`: every node's record, rejects by reason and the quality checks. */
export interface RunDetails extends StoredRun {
  durationMs: number | null;
  nodes: StoredNodeRun[];
  rejectsByReason: { file: string; reason: string; count: number }[];
  checks: {
    name: string;
    status: string;
    observed: string | null;
    expected: string | null;
    message: string | null;
  }[];
}

const durationOf = (run: StoredRun): number | null =>
  run.finishedAt ? Date.parse(run.finishedAt + "Z") - Date.parse(run.startedAt + "Z") : null;

/** The latest runs, newest first. */
export async function listRunHistory(workbench: Workbench, limit = 20): Promise<RunSummary[]> {
  const runs = await workbench.runStore.listRuns(limit);
  return await Promise.all(runs.map(async (run) => ({
    ...run,
    durationMs: durationOf(run),
    nodes: (await workbench.runStore.nodeRuns(run.runId)).map((n) => ({
      nodeId: n.nodeId,
      status: n.status,
      durationMs: n.durationMs,
      rowsRead: n.rowsRead,
      rowsWritten: n.rowsWritten,
      rowsRejected: n.rowsRejected,
    })),
  })));
}

/** One run with its details, or undefined when no run has this id. */
export async function runDetails(workbench: Workbench, runId: string): Promise<RunDetails | undefined> {
  const wh = workbench.warehouse;
  const [row] = await wh.query<Record<string, string | null>>(
    "SELECT run_id, status, started_at, finished_at, options FROM etl_runs WHERE run_id = ?",
    [runId],
  );
  if (!row) return undefined;
  const run: StoredRun = {
    runId: row.run_id!,
    status: row.status as StoredRun["status"],
    startedAt: row.started_at!,
    finishedAt: row.finished_at,
    options: row.options ? JSON.parse(row.options) : null,
  };
  const [nodes, rejects, checks] = await Promise.all([
    workbench.runStore.nodeRuns(runId),
    wh.query<{ file: string; reason: string; n: number }>(
      `SELECT file, reason, COUNT(*) AS n FROM etl_rejects WHERE run_id = ?
       GROUP BY file, reason ORDER BY file, n DESC, reason`,
      [runId],
    ),
    wh.query<Record<string, string | null>>(
      "SELECT check_name, status, observed, expected, message FROM etl_checks WHERE run_id = ? ORDER BY check_name",
      [runId],
    ),
  ]);
  return {
    ...run,
    durationMs: durationOf(run),
    nodes,
    rejectsByReason: rejects.map((r) => ({ file: r.file, reason: r.reason, count: Number(r.n) })),
    checks: checks.map((c) => ({
      name: c.check_name!,
      status: c.status!,
      observed: c.observed,
      expected: c.expected,
      message: c.message,
    })),
  };
}
