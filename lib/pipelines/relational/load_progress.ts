/**
 * What a chunked load of a CSV file has committed so far, one row per file in `etl_load_progress`, written
 * in the same transaction as each chunk: a run that is killed or fails mid-file leaves the line its next
 * chunk starts at, and `--resume` (or the DAG's retry of the node) continues from there instead of line 1.
 *
 * A table of its own (not one of the run store's): it belongs to the loader, is created on first use, and
 * holds at most one row per input file, deleted when the file's load ends.
 *
 * @module
 */
import { col, int, type TableSpec, text, type Warehouse } from "../../warehouse/mod.ts";
import { ensureTables } from "../schema.ts";

/** The table: one row per file whose chunked load has started and not ended. */
export const LOAD_PROGRESS_TABLE: TableSpec = {
  name: "etl_load_progress",
  columns: [
    col("file", text(255)),
    col("run_id", text(64)),
    // direct: into the empty target; staged: into the staging table, then upserted.
    col("mode", text(8)),
    // stage: rows are being written; upsert: every row is staged, the ranges of lines are being upserted.
    col("phase", text(8)),
    col("file_size", int),
    col("file_mtime_ms", int),
    // The staging table's name, and the server holding it when it is not replicated (node-local).
    col("stage_table", text(64)),
    col("stage_node", text(255), true),
    // The first line of the file not committed yet, and the accepted rows committed before it.
    col("next_line", int),
    col("rows_committed", int),
    // Upsert phase: the first staged line of the next range, and what the committed ranges did.
    col("upsert_from", int, true),
    col("inserted", int),
    col("updated", int),
    col("saved_at", text(32)),
  ],
  primaryKey: ["file"],
};

/** A file's committed progress, as stored. */
export interface LoadProgress {
  file: string;
  runId: string;
  mode: "direct" | "staged";
  phase: "stage" | "upsert";
  fileSize: number;
  fileMtimeMs: number;
  stageTable: string;
  stageNode: string | null;
  nextLine: number;
  rowsCommitted: number;
  upsertFrom: number | null;
  inserted: number;
  updated: number;
}

const COLUMNS = LOAD_PROGRESS_TABLE.columns.map((c) => c.name);

/** Warehouses whose progress table exists: created once per warehouse object, not before every load. */
const ensured = new WeakSet<Warehouse>();

/** Creates the progress table if it is missing. */
export async function ensureLoadProgressTable(wh: Warehouse): Promise<void> {
  if (ensured.has(wh)) return;
  await ensureTables(wh, [LOAD_PROGRESS_TABLE]);
  ensured.add(wh);
}

/** The progress stored for `file`, if a chunked load of it started and did not end. */
export async function readLoadProgress(wh: Warehouse, file: string): Promise<LoadProgress | undefined> {
  const [row] = await wh.query<Record<string, string | number | null>>(
    `SELECT ${COLUMNS.join(", ")} FROM etl_load_progress WHERE file = ?`,
    [file],
  );
  if (!row) return undefined;
  return {
    file: String(row.file),
    runId: String(row.run_id),
    mode: row.mode === "direct" ? "direct" : "staged",
    phase: row.phase === "upsert" ? "upsert" : "stage",
    fileSize: Number(row.file_size),
    fileMtimeMs: Number(row.file_mtime_ms),
    stageTable: String(row.stage_table),
    stageNode: row.stage_node === null ? null : String(row.stage_node),
    nextLine: Number(row.next_line),
    rowsCommitted: Number(row.rows_committed),
    upsertFrom: row.upsert_from === null ? null : Number(row.upsert_from),
    inserted: Number(row.inserted),
    updated: Number(row.updated),
  };
}

/**
 * Stores `progress` (call it in the transaction of the chunk it describes). One plain statement, not
 * `upsert()`: MySQL refuses a savepoint in a transaction that has touched a non-transactional table (the
 * node-local staging table read by the same transaction).
 */
export async function saveLoadProgress(wh: Warehouse, progress: LoadProgress): Promise<void> {
  const p = progress;
  const q = wh.sql.quote;
  const table = LOAD_PROGRESS_TABLE.name;
  const sql = `INSERT INTO ${q(table)} (${COLUMNS.map(q).join(", ")}) VALUES (${
    COLUMNS.map(() => "?").join(", ")
  }) ${wh.sql.upsertClause(table, COLUMNS, ["file"])}`;
  await wh.execute(sql, [
    p.file,
    p.runId,
    p.mode,
    p.phase,
    p.fileSize,
    p.fileMtimeMs,
    p.stageTable,
    p.stageNode,
    p.nextLine,
    p.rowsCommitted,
    p.upsertFrom,
    p.inserted,
    p.updated,
    new Date().toISOString(),
  ]);
}

/** Forgets `file`'s progress: its load ended (or starts over). */
export async function clearLoadProgress(wh: Warehouse, file: string): Promise<void> {
  await wh.execute("DELETE FROM etl_load_progress WHERE file = ?", [file]);
}

/** What identifies a file's content cheaply: its size and modification time. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
}

/** The file's size and modification time (0 when the file system does not keep one). */
export async function fileIdentity(path: string): Promise<FileIdentity> {
  const info = await Deno.stat(path);
  return { size: info.size, mtimeMs: info.mtime?.getTime() ?? 0 };
}

/**
 * Why stored progress cannot be continued on this file, or `undefined` when it can: the file changed (size
 * or modification time), or the staging table it filled is another (a node-local one on another server).
 */
export function whyNotResumable(
  progress: LoadProgress,
  file: FileIdentity,
  stage: { table: string; node: string | null },
): string | undefined {
  if (progress.fileSize !== file.size || progress.fileMtimeMs !== file.mtimeMs) {
    const was = `${progress.fileSize} bytes, modified ${new Date(progress.fileMtimeMs).toISOString()}`;
    const now = `${file.size} bytes, modified ${new Date(file.mtimeMs).toISOString()}`;
    return `the file changed since run ${progress.runId} stopped (${was}; now ${now})`;
  }
  if (progress.mode === "staged" && progress.stageTable !== stage.table) {
    return `run ${progress.runId} staged into ${progress.stageTable}, this run stages into ${stage.table}`;
  }
  if (progress.mode === "staged" && progress.stageNode !== stage.node) {
    return `its staged rows are on ${progress.stageNode ?? "the replicated staging table"}, ` +
      `this run is connected to ${stage.node ?? "a server without node-local staging"}`;
  }
  return undefined;
}
