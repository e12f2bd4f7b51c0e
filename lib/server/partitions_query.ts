import type { Workbench } from "../pipelines/mod.ts";

/** One partition of the sessions, as the dashboard's strip of days shows it. */
export interface PartitionView {
  name: string;
  file: string;
  /** `new`, `changed` or `reloaded` in the latest load; `skipped` when that load left it as it was. */
  state: "new" | "changed" | "reloaded" | "skipped";
  bytes: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsReplaced: number;
  runId: string;
  loadedAt: string;
}

/** What `GET /api/etl/partitions` answers. */
export interface PartitionsAnswer {
  /** False for a single `viewing_sessions.csv` (or before the first partitioned load). */
  partitioned: boolean;
  partitions: PartitionView[];
  /** The latest load of the sessions: its run, and how many files were new, changed, skipped, removed. */
  latest: { runId: string; refresh: string; files: Record<string, number> } | null;
}

/**
 * The ledger of loaded session files, each with its state in the latest `process_sessions` (from its node
 * run's details). Reads a few hundred rows.
 */
export async function readPartitions(workbench: Workbench): Promise<PartitionsAnswer> {
  const wh = workbench.warehouse;
  let rows: Record<string, string | number>[];
  try {
    rows = await wh.query(
      "SELECT * FROM etl_partitions WHERE kind = 'sessions' ORDER BY partition_name",
    );
  } catch (error) {
    if (wh.sql.isMissingTable(error)) return { partitioned: false, partitions: [], latest: null };
    throw error;
  }
  const load = await workbench.runStore.latestSuccess("process_sessions");
  const details = load?.details as
    | {
      mode?: string;
      refresh?: string;
      files?: Record<string, number>;
      partitions?: { file: string; verdict: string }[];
    }
    | undefined;
  const partitioned = rows.length > 0 && details?.mode === "partitioned";
  const verdicts = new Map((details?.partitions ?? []).map((p) => [p.file, p.verdict]));
  const partitions = rows.map((r): PartitionView => {
    const verdict = load && r.run_id === load.runId ? verdicts.get(String(r.file)) : undefined;
    return {
      name: String(r.partition_name),
      file: String(r.file),
      state: verdict === "new" ? "new" : verdict === "changed" ? "changed" : verdict ? "reloaded" : "skipped",
      bytes: Number(r.bytes),
      rowsRead: Number(r.rows_read),
      rowsLoaded: Number(r.rows_loaded),
      rowsRejected: Number(r.rows_rejected),
      rowsReplaced: Number(r.rows_replaced),
      runId: String(r.run_id),
      loadedAt: String(r.loaded_at),
    };
  });
  return {
    partitioned,
    partitions: partitioned ? partitions : [],
    latest: partitioned && load
      ? { runId: load.runId, refresh: String(details?.refresh), files: details?.files ?? {} }
      : null,
  };
}
