import type { StoredCheck, StoredNodeRun, StoredRun, Workbench } from "../pipelines/mod.ts";

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
  checks: StoredCheck[];
}

const durationOf = (run: StoredRun): number | null =>
  run.finishedAt ? Date.parse(run.finishedAt + "Z") - Date.parse(run.startedAt + "Z") : null;

/** The latest runs, newest first, read with their node runs in one query. */
export async function listRunHistory(workbench: Workbench, limit = 20): Promise<RunSummary[]> {
  const runs = await workbench.runStore.listRunsWithNodes(limit);
  return runs.map(({ nodes, ...run }) => ({
    ...run,
    durationMs: durationOf(run),
    nodes: nodes.map((n) => ({
      nodeId: n.nodeId,
      status: n.status,
      durationMs: n.durationMs,
      rowsRead: n.rowsRead,
      rowsWritten: n.rowsWritten,
      rowsRejected: n.rowsRejected,
    })),
  }));
}

/** One run with its details, or undefined when no run has this id. */
export async function runDetails(workbench: Workbench, runId: string): Promise<RunDetails | undefined> {
  const store = workbench.runStore;
  const run = await store.getRun(runId);
  if (!run) return undefined;
  const [nodes, rejectsByReason, checks] = await Promise.all([
    store.nodeRuns(runId),
    store.rejectCounts(runId),
    store.checks(runId),
  ]);
  return { ...run, durationMs: durationOf(run), nodes, rejectsByReason, checks };
}
