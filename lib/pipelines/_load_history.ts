/** Earlier loads of a file, private to the run store (`WarehouseRunStore`). @module */
import type { Warehouse } from "../warehouse/mod.ts";

/** A successful load of a file, as `validate_data` compares them. */
export interface StoredLoad {
  runId: string;
  startedAt: string;
  details: Record<string, unknown>;
}

const toLoad = (r: { run_id: string; started_at: string; details: string | null }): StoredLoad => ({
  runId: r.run_id,
  startedAt: r.started_at,
  details: r.details ? JSON.parse(r.details) : {},
});

/** The successful run of `nodeId` in run `runId`, if it ran and succeeded there. */
export async function successInRun(
  wh: Warehouse,
  runId: string,
  nodeId: string,
): Promise<StoredLoad | undefined> {
  const rows = await wh.query<{ run_id: string; started_at: string; details: string | null }>(
    `SELECT n.run_id, r.started_at, n.details FROM etl_node_runs n JOIN etl_runs r ON r.run_id = n.run_id
     WHERE n.run_id = ? AND n.node_id = ? AND n.status = 'success'`,
    [runId, nodeId],
  );
  return rows.map(toLoad)[0];
}

/**
 * The latest successful run of `nodeId` that loaded `file`, in a run started before run `runId`: what a
 * volume check compares this run's rows with.
 */
export async function previousSuccessfulLoad(
  wh: Warehouse,
  nodeId: string,
  file: string,
  runId: string,
): Promise<StoredLoad | undefined> {
  const rows = await wh.query<{ run_id: string; started_at: string; details: string | null }>(
    `SELECT n.run_id, r.started_at, n.details FROM etl_node_runs n JOIN etl_runs r ON r.run_id = n.run_id
     WHERE n.node_id = ? AND n.status = 'success' AND n.run_id <> ?
       AND r.started_at <= (SELECT started_at FROM etl_runs WHERE run_id = ?)
     ORDER BY r.started_at DESC LIMIT 20`,
    [nodeId, runId, runId],
  );
  return rows.map(toLoad).find((load) => load.details.file === file);
}
