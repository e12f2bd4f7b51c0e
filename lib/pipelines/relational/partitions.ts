/**
 * Partitioned sessions: a folder `viewing_sessions/` of daily files (`2024-09-01.csv`, ...; the contract of
 * `viewing_sessions.csv`) loaded incrementally, so a run costs what is new.
 *
 * What a partition owns. Every file's accepted rows are kept as that file's *version* of its sessions
 * (`session_versions`, the last row of a session within the file wins, as in a single file). A session
 * restated in several files belongs to the file whose name sorts last: **last file wins by file name**, so
 * `viewing_sessions` holds, per session, the row of the latest file that has it. That state depends only on
 * the files present and their contents, never on the order they arrived in. A run therefore
 *
 * - loads a file that is new, or whose content changed (size and mtime first, then its SHA-256), replacing
 *   that file's version wholesale (rows that vanished from it are deleted);
 * - drops the version of a file that is gone from the folder;
 * - skips an unchanged file, and says so;
 * - recomputes `viewing_sessions` only for the sessions those versions name (old and new), and keeps the
 *   sums the statistics are rolled up from (two cubes, in cents, so exact on both engines) by subtracting the
 *   touched sessions' old rows and adding their new ones; the users whose sessions changed go to
 *   `etl_touched_users`, for `user_metrics`.
 *
 * A full refresh (`--full-refresh`, `--fresh`, a first partitioned load, or a changed `users.csv`, since the
 * users decide which sessions are accepted) reloads every file and rebuilds all of it.
 *
 * @module
 */
import {
  type RejectReason,
  resolveHeader,
  rowFromValues,
  SESSION_FIELDS,
  type SessionRecord,
  SESSIONS_INPUT,
  validateSession,
} from "../../contract/mod.ts";
import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import { openCsv } from "../../extract/mod.ts";
import { type SqlValue, syncFromSelect, type Warehouse } from "../../warehouse/mod.ts";
import { formatTimestamp, type WarehouseRunStore } from "../run_store.ts";
import { DATA_TABLES, withoutSecondaryIndexes } from "../schema.ts";
import type { PartitionOptions, PartitionRunState } from "../partition_options.ts";
import type { InputFiles, PipelineServices } from "../services.ts";
import {
  CONTENT_CUBE_TABLE,
  DERIVED_MARKS_TABLE,
  PARTITIONS_TABLE,
  SESSION_CUBE_TABLE,
  SESSION_VERSIONS_TABLE,
  TOUCHED_SESSIONS_TABLE,
  TOUCHED_USERS_TABLE,
  USER_DEVICE_CUBE_TABLE,
} from "./partition_tables.ts";
import { rebuildUserDeviceCube, type UserDeltaCounts, UserDeviceDelta } from "./user_sums.ts";
import { RejectSpool } from "./reject_spool.ts";
import { capRejectText } from "./load_keyed_csv.ts";

/** How a file compares with the ledger. */
export type PartitionVerdict = "new" | "changed" | "unchanged" | "removed" | "outside";

/** One file of the folder (or of the ledger, when removed), with its verdict. */
export interface PartitionPlanEntry {
  /** The partition's name: the file name without `.csv` (`2024-09-01`). */
  name: string;
  /** The ledger's name, relative to the data folder (`viewing_sessions/2024-09-01.csv`). */
  file: string;
  path: string;
  verdict: PartitionVerdict;
  bytes: number;
  mtimeMs: number;
  hash: string | null;
  /** Loaded again although unchanged (in `--partitions`' range). */
  forced?: boolean;
}

/** A file's reconciliation: read = loaded + rejected + replaced (a duplicate within the file). */
export interface PartitionCounts {
  file: string;
  partition: string;
  verdict: PartitionVerdict;
  rowsRead: number;
  loaded: number;
  rejected: number;
  replaced: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
}

/** The details of a partitioned `process_sessions`, stored with its node run. */
export interface PartitionedDetails {
  mode: "partitioned";
  refresh: PartitionRunState["mode"];
  /** Why a full refresh, when it was one. */
  reason?: string;
  files: { new: number; changed: number; unchanged: number; removed: number; outside: number };
  partitions: PartitionCounts[];
  touchedSessions: number;
  touchedUsers: number;
  sessions: number;
  /** What the incremental load changed of the per-user sums (`user_sums.ts`). */
  userCells?: UserDeltaCounts;
  timings: Record<string, number>;
}

/** One row of the ledger, as read back. */
export interface LedgerRow {
  file: string;
  kind: string;
  partition_name: string;
  bytes: number;
  mtime_ms: number;
  content_hash: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_replaced: number;
  run_id: string;
  loaded_at: string;
}

/** The ledger's columns, in table order. */
export const PARTITIONS_LEDGER_COLUMNS = [
  "file",
  "kind",
  "partition_name",
  "bytes",
  "mtime_ms",
  "content_hash",
  "rows_read",
  "rows_loaded",
  "rows_rejected",
  "rows_replaced",
  "run_id",
  "loaded_at",
];
const VERSION_COLUMNS = ["file", "line", ...SESSION_FIELDS];
const FOLDER = SESSIONS_INPUT.file.replace(/\.csv$/, "");

/** The folder of daily session files beside `viewing_sessions.csv`, when there is one. */
export function sessionPartitionsDir(files: InputFiles): string | null {
  const dir = files.sessions.replace(/\.csv$/, "");
  try {
    return Deno.statSync(dir).isDirectory ? dir : null;
  } catch {
    return null;
  }
}

/** The daily files of a partition folder, sorted by name (the order "last file wins" follows). */
export async function listPartitionFiles(dir: string): Promise<{ name: string; path: string }[]> {
  const found: { name: string; path: string }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".csv")) {
      found.push({ name: entry.name.slice(0, -4), path: `${dir}/${entry.name}` });
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The paths of the files that the ledger has with the same size and mtime (so loaded, their header checked,
 * and skipped by the load), for `validate_files`; none on `--fresh` or `--full-refresh`, or before the
 * ledger exists.
 */
export async function unchangedPartitionFiles(
  services: PipelineServices,
  files: readonly { name: string; path: string }[],
): Promise<Set<string>> {
  const unchanged = new Set<string>();
  if (services.fresh || services.partitions?.fullRefresh) return unchanged;
  let ledger: LedgerRow[];
  try {
    ledger = await readLedger(services.warehouse);
  } catch (error) {
    if (services.warehouse.sql.isMissingTable(error)) return unchanged;
    throw error;
  }
  const known = new Map(ledger.map((row) => [row.file, row]));
  for (const { name, path } of files) {
    const row = known.get(`${FOLDER}/${name}.csv`);
    if (!row) continue;
    const stat = await Deno.stat(path);
    if (Number(row.bytes) === stat.size && Number(row.mtime_ms) === Math.round(stat.mtime?.getTime() ?? 0)) {
      unchanged.add(path);
    }
  }
  return unchanged;
}

/** SHA-256 of a file's bytes, in hex. */
export async function hashFile(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Compares the folder with the ledger. A file whose size and mtime match its ledger row is unchanged without
 * reading it; otherwise its hash decides. Outside `range`, files are left as they are (`outside`).
 */
export async function planPartitions(
  files: readonly { name: string; path: string }[],
  ledger: readonly LedgerRow[],
  options: PartitionOptions = {},
): Promise<PartitionPlanEntry[]> {
  const { range, fullRefresh = false } = options;
  const inRange = (name: string) => !range || (name >= range[0] && name <= range[1]);
  const known = new Map(ledger.map((row) => [row.file, row]));
  const plan: PartitionPlanEntry[] = [];
  for (const { name, path } of files) {
    const file = `${FOLDER}/${name}.csv`;
    const stat = await Deno.stat(path);
    const bytes = stat.size;
    const mtimeMs = Math.round(stat.mtime?.getTime() ?? 0);
    const before = known.get(file);
    known.delete(file);
    const entry = { name, file, path, bytes, mtimeMs };
    if (!inRange(name)) {
      plan.push({ ...entry, verdict: before ? "unchanged" : "outside", hash: before?.content_hash ?? null });
      continue;
    }
    if (before && !fullRefresh && Number(before.bytes) === bytes && Number(before.mtime_ms) === mtimeMs) {
      plan.push({ ...entry, verdict: "unchanged", hash: before.content_hash, forced: range !== undefined });
      continue;
    }
    const hash = await hashFile(path);
    const verdict = !before ? "new" : before.content_hash === hash ? "unchanged" : "changed";
    plan.push({
      ...entry,
      verdict,
      hash,
      forced: verdict === "unchanged" && (range !== undefined || fullRefresh),
    });
  }
  for (const row of known.values()) {
    if (row.kind !== "sessions") continue;
    const verdict = inRange(row.partition_name) ? "removed" : "unchanged";
    plan.push({
      name: row.partition_name,
      file: row.file,
      path: "",
      verdict,
      bytes: Number(row.bytes),
      mtimeMs: Number(row.mtime_ms),
      hash: row.content_hash,
    });
  }
  return plan.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The ledger's rows (all kinds), by file name. */
export async function readLedger(wh: Warehouse): Promise<LedgerRow[]> {
  return await wh.query<LedgerRow>(`SELECT * FROM ${PARTITIONS_TABLE} ORDER BY file`);
}

/** Cube SQL over the sessions in `from` (aliased `s`): one group per cell, sums in cents. */
const sessionCubeSql = (from: string) => `
SELECT COALESCE(u.country, 'Unknown') AS country,
       COALESCE(u.subscription_type, 'Unknown') AS subscription_type,
       s.device_type AS device_type,
       COALESCE(SUBSTR(s.watch_date, 1, 7), '') AS month,
       COUNT(*) AS sessions,
       SUM(ROUND(s.watch_duration_minutes * 100)) AS minutes_cents,
       SUM(ROUND(s.completion_percentage * 100)) AS completion_cents,
       COUNT(s.completion_percentage) AS completion_count
FROM ${from} LEFT JOIN users u ON u.user_id = s.user_id
GROUP BY COALESCE(u.country, 'Unknown'), COALESCE(u.subscription_type, 'Unknown'), s.device_type,
         COALESCE(SUBSTR(s.watch_date, 1, 7), '')`;
const contentCubeSql = (from: string) => `
SELECT COALESCE(u.country, 'Unknown') AS country, s.content_id AS content_id,
       COUNT(*) AS sessions, SUM(ROUND(s.watch_duration_minutes * 100)) AS minutes_cents
FROM ${from} JOIN users u ON u.user_id = s.user_id
GROUP BY COALESCE(u.country, 'Unknown'), s.content_id`;

interface Cube {
  table: string;
  keys: string[];
  sums: string[];
  sql: (from: string) => string;
}
/** The two cubes kept in step with `viewing_sessions`. */
export const CUBES: readonly Cube[] = [
  {
    table: SESSION_CUBE_TABLE,
    keys: ["country", "subscription_type", "device_type", "month"],
    sums: ["sessions", "minutes_cents", "completion_cents", "completion_count"],
    sql: sessionCubeSql,
  },
  {
    table: CONTENT_CUBE_TABLE,
    keys: ["country", "content_id"],
    sums: ["sessions", "minutes_cents"],
    sql: contentCubeSql,
  },
];

// CROSS JOIN: SQLite then loops over the few touched sessions and looks each up (it would otherwise scan all
// sessions); MySQL reads it as an inner join.
const TOUCHED_FROM =
  `${TOUCHED_SESSIONS_TABLE} t CROSS JOIN viewing_sessions s ON s.session_id = t.session_id`;

/** Rebuilds both cubes from all sessions. */
export async function rebuildCubes(wh: Warehouse): Promise<void> {
  for (const cube of CUBES) {
    await wh.execute(`DELETE FROM ${cube.table}`);
    const columns = [...cube.keys, ...cube.sums].join(", ");
    await wh.execute(`INSERT INTO ${cube.table} (${columns}) ${cube.sql("viewing_sessions s")}`);
  }
}

type CellDelta = Map<string, { key: SqlValue[]; sums: number[] }>;

async function addCells(wh: Warehouse, cube: Cube, into: CellDelta, sign: 1 | -1): Promise<void> {
  const rows = await wh.query<Record<string, SqlValue>>(cube.sql(TOUCHED_FROM));
  for (const row of rows) {
    const key = cube.keys.map((k) => row[k]);
    const id = JSON.stringify(key);
    const cell = into.get(id) ?? { key, sums: cube.sums.map(() => 0) };
    cube.sums.forEach((s, i) => (cell.sums[i] += sign * Number(row[s] ?? 0)));
    into.set(id, cell);
  }
}

/** Adds the cells' deltas to a cube: upserts the changed cells, deletes those left without sessions. */
async function applyCells(wh: Warehouse, cube: Cube, delta: CellDelta): Promise<void> {
  const stored = await wh.query<Record<string, SqlValue>>(`SELECT * FROM ${cube.table}`);
  const current = new Map(stored.map((row) => [JSON.stringify(cube.keys.map((k) => row[k])), row]));
  const upserts: SqlValue[][] = [];
  const where = cube.keys.map((k) => `${k} = ?`).join(" AND ");
  for (const [id, { key, sums }] of delta) {
    if (sums.every((n) => n === 0)) continue;
    const row = current.get(id);
    const next = cube.sums.map((s, i) => Number(row?.[s] ?? 0) + sums[i]);
    if (next[0] === 0) await wh.execute(`DELETE FROM ${cube.table} WHERE ${where}`, key);
    else upserts.push([...key, ...next]);
  }
  if (upserts.length > 0) await wh.upsert(cube.table, [...cube.keys, ...cube.sums], cube.keys, upserts);
}

/** Adds the distinct ids of a SELECT (one column named like `column`) to a keyed table, once each. */
function addIds(wh: Warehouse, table: string, column: string, select: string, params: SqlValue[] = []) {
  return syncFromSelect(wh, table, [column], [column], select, { params });
}

/** Reads, validates and stores one file as its version of its sessions; its rejects go to `etl_rejects`. */
async function loadVersion(
  wh: Warehouse,
  ctx: NodeContext<PipelineServices>,
  entry: PartitionPlanEntry,
  isKnownUser: (id: string) => boolean,
  progress: (rows: number) => void,
  countLater = false,
): Promise<PartitionCounts> {
  // The same reader rules as a single file: strict UTF-8 unless told, and the line length limit.
  const { batchSize, encoding, maxLineBytes } = ctx.services;
  await using csv = await openCsv(entry.path, { batchSize, signal: ctx.signal, encoding, maxLineBytes });
  const header = resolveHeader(SESSIONS_INPUT, csv.header, entry.file);
  await using rejects = new RejectSpool();
  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  const reject = (
    line: number,
    reason: RejectReason,
    field: string | null,
    value: string | null,
    raw: string,
  ) => {
    rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
    rejects.add([ctx.runId, entry.file, line, reason, field, capRejectText(value), capRejectText(raw)]);
  };
  let rowsRead = 0;
  let accepted = 0;
  async function* rows(): AsyncGenerator<SqlValue[][]> {
    for await (const batch of csv.batches()) {
      const out: SqlValue[][] = [];
      for (const bad of batch.malformed) reject(bad.line, "malformed", null, null, bad.raw);
      for (const record of batch.records) {
        const result = validateSession(rowFromValues(header, record.values), { isKnownUser });
        if (!result.ok) {
          reject(record.line, result.reject.reason, result.reject.field, result.reject.value, record.raw);
          continue;
        }
        const row: SqlValue[] = [entry.file, record.line];
        for (const column of SESSION_FIELDS) {
          row.push(result.record[column as keyof SessionRecord] as SqlValue);
        }
        out.push(row);
      }
      rowsRead += batch.records.length + batch.malformed.length;
      accepted += out.length;
      progress(batch.records.length + batch.malformed.length);
      await rejects.spillIfFull();
      yield out;
    }
  }
  if (countLater) {
    // A full load, files in name order: each file's rows also go straight into the sessions, replacing an
    // earlier file's row of the same session, so the last file wins without a join afterwards. A day's rows
    // are held in memory for the two inserts.
    const all: SqlValue[][] = [];
    for await (const batch of rows()) for (const row of batch) all.push(row);
    await wh.bulkInsert(SESSION_VERSIONS_TABLE, VERSION_COLUMNS, [all], { replace: true });
    await wh.bulkInsert(SESSIONS_INPUT.table, SESSION_FIELDS, [all.map((row) => row.slice(2))], {
      replace: true,
    });
  } else await wh.bulkInsert(SESSION_VERSIONS_TABLE, VERSION_COLUMNS, rows(), { replace: true });
  // A full load counts every file's sessions at once afterwards (its index on file is dropped meanwhile).
  const [{ n: loaded }] = countLater ? [{ n: accepted }] : await wh.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM ${SESSION_VERSIONS_TABLE} WHERE file = ?`,
    [entry.file],
  );
  // Through the run store, on this load's connection (a transaction on an incremental load).
  const runStore = ctx.services.runStore.within(wh);
  await runStore.clearRejects(ctx.runId, entry.file);
  await runStore.insertRejects(rejects.batches());
  return {
    file: entry.file,
    partition: entry.name,
    verdict: entry.verdict,
    rowsRead,
    loaded: Number(loaded),
    rejected: rejects.count,
    replaced: accepted - Number(loaded),
    rejectedByReason,
  };
}

const ledgerRow = (runId: string, entry: PartitionPlanEntry, counts: PartitionCounts): SqlValue[] => [
  entry.file,
  "sessions",
  entry.name,
  entry.bytes,
  entry.mtimeMs,
  entry.hash ?? "",
  counts.rowsRead,
  counts.loaded,
  counts.rejected,
  counts.replaced,
  runId,
  formatTimestamp(new Date()),
];

/** A file's counts in the run store, through `wh` (the load's transaction on an incremental load). */
async function recordFileStats(
  runStore: WarehouseRunStore,
  wh: Warehouse,
  runId: string,
  counts: PartitionCounts,
): Promise<void> {
  await runStore.within(wh).writeFileStats(runId, {
    file: counts.file,
    rowsRead: counts.rowsRead,
    loaded: counts.loaded,
    rejected: counts.rejected,
    duplicates: counts.replaced,
    details: counts,
  });
}

const tally = (plan: readonly PartitionPlanEntry[]) => {
  const files = { new: 0, changed: 0, unchanged: 0, removed: 0, outside: 0 };
  for (const entry of plan) files[entry.verdict]++;
  return files;
};

/**
 * `process_sessions` on a partition folder: plans what to load from the ledger, then loads incrementally
 * or, when it must, fully (see the module's comment).
 */
export async function loadSessionPartitions(
  ctx: NodeContext<PipelineServices>,
  dir: string,
): Promise<NodeOutcome & { details: PartitionedDetails }> {
  const { warehouse: wh, fresh } = ctx.services;
  const options = ctx.services.partitions ?? {};
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  const ledger = await readLedger(wh);
  const sessionsKnown = ledger.some((row) => row.kind === "sessions");
  const reason = options.fullRefresh
    ? "--full-refresh"
    : fresh
    ? "--fresh"
    : !sessionsKnown
    ? "first partitioned load"
    : options.usersChanged
    ? "users.csv changed"
    : await userSumsMissing(wh)
    ? "no per-user sums yet"
    : undefined;
  const full = reason !== undefined;
  const files = await listPartitionFiles(dir);
  const plan = await planPartitions(files, ledger, {
    range: full ? undefined : options.range,
    fullRefresh: full,
  });
  lap("planMs");
  const toLoad = plan.filter((e) => e.verdict === "new" || e.verdict === "changed" || e.forced);
  const removed = plan.filter((e) => e.verdict === "removed");
  const skipped = full ? [] : plan.filter((e) => e.verdict === "unchanged" && !e.forced);
  if (skipped.length > 0 && skipped.length <= 10) {
    for (const entry of skipped) ctx.log(`${entry.file}: unchanged, skipped`);
  } else if (skipped.length > 10) {
    ctx.log(`${skipped.length} files unchanged, skipped (${skipped[0].name} .. ${skipped.at(-1)!.name})`);
  }
  const totalBytes = toLoad.reduce((n, e) => n + e.bytes, 0);
  let rowsSeen = 0;
  const progress = (rows: number) => {
    rowsSeen += rows;
    ctx.progress({ rowsRead: rowsSeen, totalRows: totalBytes > 0 ? undefined : 0 });
  };

  if (!full && toLoad.length === 0 && removed.length === 0) {
    const state: PartitionRunState = { mode: "unchanged", touchedSessions: 0, touchedUsers: 0 };
    if (ctx.services.partitions) ctx.services.partitions.state = state;
    const [{ n }] = await wh.query<{ n: number }>(`SELECT SUM(sessions) AS n FROM ${SESSION_CUBE_TABLE}`);
    return {
      rowsRead: 0,
      rowsWritten: 0,
      rowsRejected: 0,
      details: {
        mode: "partitioned",
        refresh: "unchanged",
        files: tally(plan),
        partitions: [],
        touchedSessions: 0,
        touchedUsers: 0,
        sessions: Number(n ?? 0),
        timings,
      },
    };
  }

  // Before anything changes: a load that fails half way still leaves the statistics due.
  await markDerived(wh, "cubes", ctx.runId);
  const users = new Set(
    (await wh.query<{ user_id: string }>("SELECT user_id FROM users")).map((u) => u.user_id),
  );
  const isKnownUser = (id: string) => users.has(id);
  const partitions: PartitionCounts[] = [];
  let state: PartitionRunState;
  let userCells: UserDeltaCounts | undefined;
  if (full) {
    ctx.log(`full refresh (${reason}): loading ${toLoad.length} files`);
    await wh.execute(`DELETE FROM ${PARTITIONS_TABLE} WHERE kind = 'sessions'`);
    for (const table of [SESSION_VERSIONS_TABLE, TOUCHED_SESSIONS_TABLE, TOUCHED_USERS_TABLE]) {
      await wh.execute(wh.sql.truncate(table));
    }
    // Every user's metrics are due, until create_aggregations has recomputed them (it empties the list).
    await wh.execute(`INSERT INTO ${TOUCHED_USERS_TABLE} (user_id) SELECT user_id FROM users`);
    await wh.execute(wh.sql.truncate(SESSIONS_INPUT.table));
    const versions = DATA_TABLES.find((t) => t.name === SESSION_VERSIONS_TABLE)!;
    const target = DATA_TABLES.find((t) => t.name === SESSIONS_INPUT.table)!;
    await withoutSecondaryIndexes(wh, target, () =>
      withoutSecondaryIndexes(wh, versions, async () => {
        for (const entry of toLoad) {
          partitions.push(await loadVersion(wh, ctx, entry, isKnownUser, progress, true));
        }
      }));
    lap("loadMs");
    const distinct = new Map(
      (await wh.query<{ file: string; n: number }>(
        `SELECT file, COUNT(*) AS n FROM ${SESSION_VERSIONS_TABLE} GROUP BY file`,
      )).map((r) => [r.file, Number(r.n)]),
    );
    for (const counts of partitions) {
      const accepted = counts.loaded;
      counts.loaded = distinct.get(counts.file) ?? 0;
      counts.replaced = accepted - counts.loaded;
    }
    lap("sessionsMs");
    await rebuildCubes(wh);
    await rebuildUserDeviceCube(wh);
    lap("cubesMs");
    const rows = toLoad.map((e, i) => ledgerRow(ctx.runId, e, partitions[i]));
    if (rows.length > 0) await wh.upsert(PARTITIONS_TABLE, PARTITIONS_LEDGER_COLUMNS, ["file"], rows);
    for (const counts of partitions) await recordFileStats(ctx.services.runStore, wh, ctx.runId, counts);
    state = { mode: "full", touchedSessions: 0, touchedUsers: 0 };
  } else {
    state = await wh.transaction(async (tx) => {
      // Users already listed stay: their metrics are still due (create_aggregations empties the list).
      await tx.execute(`DELETE FROM ${TOUCHED_SESSIONS_TABLE}`);
      const versionIds = `SELECT session_id FROM ${SESSION_VERSIONS_TABLE} WHERE file = ?`;
      for (const entry of [...removed, ...toLoad]) {
        await addIds(tx, TOUCHED_SESSIONS_TABLE, "session_id", versionIds, [entry.file]);
        await tx.execute(`DELETE FROM ${SESSION_VERSIONS_TABLE} WHERE file = ?`, [entry.file]);
        if (entry.verdict === "removed") {
          await tx.execute(`DELETE FROM ${PARTITIONS_TABLE} WHERE file = ?`, [entry.file]);
          continue;
        }
        const counts = await loadVersion(tx, ctx, entry, isKnownUser, progress);
        partitions.push(counts);
        await addIds(tx, TOUCHED_SESSIONS_TABLE, "session_id", versionIds, [entry.file]);
        await tx.upsert(PARTITIONS_TABLE, PARTITIONS_LEDGER_COLUMNS, ["file"], [
          ledgerRow(ctx.runId, entry, counts),
        ]);
        await recordFileStats(ctx.services.runStore, tx, ctx.runId, counts);
      }
      lap("loadMs");
      const usersOf = `SELECT DISTINCT s.user_id AS user_id FROM ${TOUCHED_FROM}`;
      const deltas = CUBES.map(() => new Map() as CellDelta);
      for (const [i, cube] of CUBES.entries()) await addCells(tx, cube, deltas[i], -1);
      const perUser = new UserDeviceDelta();
      await perUser.add(tx, TOUCHED_FROM, -1);
      await addIds(tx, TOUCHED_USERS_TABLE, "user_id", usersOf);
      // By key lists: MariaDB runs a single-table DELETE ... IN (SELECT ...) as a scan of every session.
      const ids = (await tx.query<{ session_id: string }>(`SELECT session_id FROM ${TOUCHED_SESSIONS_TABLE}`))
        .map((r) => r.session_id);
      for (let at = 0; at < ids.length; at += 500) {
        const chunk = ids.slice(at, at + 500);
        await tx.execute(
          `DELETE FROM ${SESSIONS_INPUT.table} WHERE session_id IN (${chunk.map(() => "?").join(", ")})`,
          chunk,
        );
      }
      await tx.execute(
        `INSERT INTO ${SESSIONS_INPUT.table} (${SESSION_FIELDS.join(", ")})
         SELECT ${SESSION_FIELDS.map((c) => `v.${c}`).join(", ")}
         FROM ${TOUCHED_SESSIONS_TABLE} t CROSS JOIN ${SESSION_VERSIONS_TABLE} v ON v.session_id = t.session_id
         WHERE v.file = (SELECT MAX(w.file) FROM ${SESSION_VERSIONS_TABLE} w WHERE w.session_id = v.session_id)`,
      );
      lap("sessionsMs");
      for (const [i, cube] of CUBES.entries()) await addCells(tx, cube, deltas[i], 1);
      await perUser.add(tx, TOUCHED_FROM, 1);
      await addIds(tx, TOUCHED_USERS_TABLE, "user_id", usersOf);
      for (const [i, cube] of CUBES.entries()) await applyCells(tx, cube, deltas[i]);
      lap("cubesMs");
      userCells = await perUser.apply(tx);
      lap("userSumsMs");
      const [{ n: touchedSessions }] = await tx.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${TOUCHED_SESSIONS_TABLE}`,
      );
      const [{ n: touchedUsers }] = await tx.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${TOUCHED_USERS_TABLE}`,
      );
      return {
        mode: "incremental" as const,
        touchedSessions: Number(touchedSessions),
        touchedUsers: Number(touchedUsers),
      };
    });
  }
  if (ctx.services.partitions) ctx.services.partitions.state = state;
  const [{ n: sessions }] = await wh.query<{ n: number }>(
    `SELECT SUM(sessions) AS n FROM ${SESSION_CUBE_TABLE}`,
  );
  const rowsRead = partitions.reduce((n, p) => n + p.rowsRead, 0);
  const rowsRejected = partitions.reduce((n, p) => n + p.rejected, 0);
  const loaded = partitions.reduce((n, p) => n + p.loaded, 0);
  return {
    rowsRead,
    rowsWritten: loaded,
    rowsRejected,
    totalRows: rowsRead,
    details: {
      mode: "partitioned",
      refresh: state.mode,
      ...(reason ? { reason } : {}),
      files: tally(plan),
      partitions,
      touchedSessions: state.touchedSessions,
      touchedUsers: state.touchedUsers,
      sessions: Number(sessions ?? 0),
      ...(userCells ? { userCells } : {}),
      timings,
    },
  };
}

/** The marks of `part_derived_marks` (see `partition_tables.ts`), by name. */
export async function readDerivedMarks(wh: Warehouse): Promise<Map<string, string>> {
  const rows = await wh.query<{ name: string; run_id: string }>(
    `SELECT name, run_id FROM ${DERIVED_MARKS_TABLE}`,
  );
  return new Map(rows.map((r) => [r.name, r.run_id]));
}

/** Records that `name` (`cubes`, `stats`, `cross_store`) was computed from the cubes of run `runId`. */
export async function markDerived(wh: Warehouse, name: string, runId: string): Promise<void> {
  await wh.upsert(DERIVED_MARKS_TABLE, ["name", "run_id"], ["name"], [[name, runId]]);
}

/**
 * Whether sessions are loaded but the per-user sums are not (a warehouse from before they were kept): the
 * incremental load would add to nothing, so it is a full refresh.
 */
async function userSumsMissing(wh: Warehouse): Promise<boolean> {
  const [cell] = await wh.query(`SELECT 1 AS one FROM ${USER_DEVICE_CUBE_TABLE} LIMIT 1`);
  if (cell) return false;
  const [session] = await wh.query(`SELECT 1 AS one FROM ${SESSIONS_INPUT.table} LIMIT 1`);
  return session !== undefined;
}
