import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import type { Warehouse } from "../../warehouse/mod.ts";
import type { PipelineServices } from "../services.ts";
import type { WarehouseRunStore } from "../run_store.ts";
import { missingIndexes } from "../repair_indexes.ts";
import { DATA_TABLES } from "../schema.ts";
import { CSV_LOADS, type FileCounts } from "./load_keyed_csv.ts";
import {
  fullRefreshChecks,
  keptSessionTotals,
  partitionChecks,
  sessionPartitionsDirOf,
  touchedOrphansSql,
  touchedScope,
} from "./partition_checks.ts";

/** The outcome of one quality check, as the run store keeps it and the summary prints it. */
export interface CheckResult {
  name: string;
  status: "pass" | "warn" | "fail";
  observed: string;
  expected: string;
  message: string;
}

/** The share of sessions without a watch date above which `validate_data` warns. */
export const MISSING_WATCH_DATE_WARN = 0.01;

/**
 * Checks a load's rows against the file's physical lines, counted apart from the CSV reader: every line is
 * the first line of a row read (loaded, rejected or replaced), a line of the header, a blank line, or a
 * continuation line of a quoted field.
 */
export function reconcileLines(counts: FileCounts): CheckResult {
  const { header, blank, continuation, physical } = counts.lines!;
  const sum = counts.rowsRead + header + blank + continuation;
  const { lf, crlf, cr } = physical.endings;
  const endings = [[lf, "LF"], [crlf, "CRLF"], [cr, "bare CR"]].filter(([n]) => n).map(([n, name]) =>
    `${n} ${name}`
  );
  return {
    name: `lines_${counts.file}`,
    status: sum === physical.lines ? "pass" : "fail",
    observed: `${physical.lines} lines (${physical.bytes} bytes; line ends: ${endings.join(", ") || "none"})`,
    expected:
      `${counts.rowsRead} read + ${header} header + ${blank} blank + ${continuation} continuation = ${sum}`,
    message:
      `every physical line of ${counts.file} is a row read, the header, blank or inside a quoted field`,
  };
}

/** The sessions' count, minutes, missing dates and orphans, as `validate_data` reads them in one pass. */
export interface SessionTotals {
  sessions: number;
  minutes: number | null;
  missing: number | null;
  /** Sessions whose user is not in `users`. */
  orphans: number | null;
}

/** The name of `validate_data`'s scan of the sessions in the pipeline services' `readAhead`. */
export const SESSION_TOTALS_READ = "validate_data:session_totals";

/**
 * The one pass over the sessions behind `validate_data`'s counts: grouped per user in the order of the
 * covering index `ix_sessions_user_device` (streamed), so that the users are looked up once per user rather
 * than once per session (at scale 100, 22 million lookups took minutes once the sessions no longer fitted the
 * buffer pool). It needs only the loaded sessions and users, so the workbench starts it when they are loaded,
 * beside `create_aggregations`.
 */
export function readSessionTotals(wh: Warehouse): Promise<SessionTotals[]> {
  return wh.readQuery<SessionTotals>(
    `SELECT COALESCE(SUM(s.sessions), 0) AS sessions,
            SUM(s.minutes) AS minutes,
            SUM(s.missing) AS missing,
            SUM(CASE WHEN u.user_id IS NULL THEN s.sessions ELSE 0 END) AS orphans
     FROM (
       SELECT user_id, COUNT(*) AS sessions, SUM(watch_duration_minutes) AS minutes,
              SUM(CASE WHEN watch_date IS NULL THEN 1 ELSE 0 END) AS missing
       FROM viewing_sessions
       GROUP BY user_id
     ) s
     LEFT JOIN users u ON u.user_id = s.user_id`,
  );
}

const count = async (wh: Warehouse, sql: string, params: (string | number)[] = []) =>
  Number((await wh.query<{ n: number | null }>(sql, params))[0]?.n ?? 0);

/**
 * Runs the blocking quality checks, stores them with the run in the run store, and fails the node when any
 * check fails (warnings pass). Reconciliation uses the latest successful load of each file, so it also holds
 * for a run that only re-validates.
 */
export async function validateData(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const { warehouse: wh, runStore, missingWatchDateLimit, maxVolumeDrop = 0.5 } = ctx.services;
  const checks: CheckResult[] = [];
  const check = (name: string, ok: boolean, observed: unknown, expected: unknown, message: string) =>
    checks.push({
      name,
      status: ok ? "pass" : "fail",
      observed: String(observed),
      expected: String(expected),
      message,
    });

  const users = await count(wh, "SELECT COUNT(*) AS n FROM users");
  // An incremental run of a partitioned dataset judges what it touched (see partition_checks.ts); a full
  // refresh, or a run without the load's state, scans every session.
  const partitioned = ctx.services.partitions !== undefined &&
    sessionPartitionsDirOf(ctx.services.files.sessions);
  const scope = partitioned ? touchedScope(ctx.services.partitions?.state) : undefined;
  // The sessions' count, minutes and missing dates from one pass over them, read ahead by the workbench
  // when this run loaded them, beside create_aggregations.
  const [scan] = scope
    ? [await keptSessionTotals(wh)]
    : await (ctx.services.readAhead?.take<SessionTotals[]>(SESSION_TOTALS_READ) ?? readSessionTotals(wh));
  const sessions = Number(scan.sessions);
  check("users_not_empty", users > 0, users, "> 0", "the users table has rows");
  check("sessions_not_empty", sessions > 0, sessions, "> 0", "the viewing_sessions table has rows");

  for (const { nodeId, input: { table, stage, key } } of CSV_LOADS) {
    // This run's load when it loaded the file; otherwise (a run that only re-validates) the latest one.
    const load = await runStore.successInRun(ctx.runId, nodeId) ?? await runStore.latestSuccess(nodeId);
    const counts = load?.details as FileCounts | undefined;
    if (!load || !counts) {
      check(
        `reconcile_${table}`,
        false,
        "no load",
        "a successful load",
        `no successful ${nodeId} to reconcile`,
      );
      continue;
    }
    if ((counts as { mode: string }).mode === "partitioned") {
      checks.push(...await partitionChecks(wh, runStore, load.runId));
      continue;
    }
    // A skipped users.csv (partitioned dataset, file unchanged): its rejects are those of the load it kept.
    const rejectsRunId = (counts as { loadRunId?: string }).loadRunId ?? load.runId;
    const sum = counts.loaded + counts.rejected + counts.duplicates;
    check(
      `reconcile_${counts.file}`,
      counts.rowsRead === sum,
      `${counts.rowsRead} read`,
      `${counts.loaded} loaded + ${counts.rejected} rejected + ${counts.duplicates} replaced = ${sum}`,
      `every row of ${counts.file} is loaded, rejected or replaced by a later duplicate`,
    );
    if (counts.lines) checks.push(reconcileLines(counts));
    const stored = await runStore.countRejects(rejectsRunId, counts.file);
    check(
      `rejects_stored_${counts.file}`,
      stored === counts.rejected,
      stored,
      counts.rejected,
      `every reject of ${counts.file} is stored with its run`,
    );
    // A direct load filled an empty table with exactly its keys; a staged one left them in the stage.
    // A node-local staging table (a cluster's) is on one server only: the load counted it there.
    const present = counts.presentAtLoad ?? await count(
      wh,
      counts.mode === "direct"
        ? `SELECT COUNT(*) AS n FROM ${table}`
        // Stage first, then the target's primary key: MariaDB took seconds with the derived table the other way.
        : `SELECT COUNT(DISTINCT s.${key}) AS n FROM ${stage} s JOIN ${table} t ON t.${key} = s.${key}`,
    );
    check(
      `loaded_present_${counts.file}`,
      present === counts.loaded,
      present,
      counts.loaded,
      `every loaded key of ${counts.file} is in ${table}`,
    );
    await judgeLoad(wh, runStore, checks, {
      nodeId,
      table,
      present,
      counts,
      runId: load.runId,
      maxVolumeDrop,
    });
  }

  const noIndex = await missingIndexes(wh, DATA_TABLES);
  check(
    "indexes_present",
    noIndex.length === 0,
    noIndex.length === 0
      ? "all present"
      : `missing: ${noIndex.map((m) => `${m.table}.${m.index}`).join(", ")}`,
    "every secondary index of the schema",
    "the tables have every index of the schema (a load interrupted before its rebuild leaves one missing)",
  );

  const orphans = scope
    ? Number((await wh.readQuery<{ n: number }>(touchedOrphansSql))[0].n)
    : Number((scan as SessionTotals).orphans ?? 0);
  check(
    "no_orphan_sessions",
    orphans === 0,
    orphans,
    0,
    scope
      ? "every session this run loaded belongs to a loaded user (the users did not change)"
      : "every session belongs to a loaded user",
  );

  // With the users unchanged and user_metrics only upserted for users, its count tells what the scan would.
  const uncovered = scope ? await scope.uncoveredMetricsUsers(wh) : await count(
    wh,
    "SELECT COUNT(*) AS n FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_metrics m WHERE m.user_id = u.user_id)",
  );
  const metricsRows = await count(wh, "SELECT COUNT(*) AS n FROM user_metrics");
  check(
    "user_metrics_covers_users",
    uncovered === 0 && metricsRows === users,
    `${metricsRows} rows, ${uncovered} users missing`,
    `${users} rows, 0 missing`,
    "user_metrics has exactly one row per user",
  );

  const [totals] = await wh.query<{ s: number | null; m: number | null }>(
    "SELECT SUM(total_sessions) AS s, SUM(total_minutes) AS m FROM user_metrics",
  );
  const actual = { s: sessions, m: scan.minutes };
  const minutesGap = Math.abs(Number(totals.m ?? 0) - Number(actual.m ?? 0));
  check(
    "user_metrics_totals",
    Number(totals.s ?? 0) === Number(actual.s) && minutesGap <= 0.005,
    `${totals.s ?? 0} sessions, ${Number(totals.m ?? 0).toFixed(2)} minutes`,
    `${actual.s} sessions, ${Number(actual.m ?? 0).toFixed(2)} minutes`,
    "user_metrics totals equal the sessions' totals",
  );

  const missing = Number(scan.missing ?? 0);
  const rate = sessions > 0 ? missing / sessions : 0;
  checks.push({
    name: "missing_watch_date_rate",
    status: rate > missingWatchDateLimit ? "fail" : rate > MISSING_WATCH_DATE_WARN ? "warn" : "pass",
    observed: `${(rate * 100).toFixed(2)} % (${missing})`,
    expected: `<= ${(MISSING_WATCH_DATE_WARN * 100).toFixed(0)} % (fails above ${
      (missingWatchDateLimit * 100).toFixed(1)
    } %)`,
    message: "sessions without a watch date",
  });

  if (ctx.services.partitions && sessionPartitionsDirOf(ctx.services.files.sessions)) {
    checks.push(...await fullRefreshChecks(wh, sessions, scope));
  }

  await runStore.replaceChecks(ctx.runId, checks);
  for (const c of checks.filter((c) => c.status !== "pass")) {
    ctx.log(
      `${c.status === "warn" ? "warning" : "failed"}: ${c.name}: ${c.observed} (expected ${c.expected})`,
    );
  }
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length > 0) {
    throw new Error(
      `Data checks failed: ${
        failed.map((c) => `${c.name} (${c.observed}; expected ${c.expected})`).join("; ")
      }`,
    );
  }
  return {
    rowsRead: users + sessions,
    rowsWritten: checks.length,
    rowsRejected: 0,
    details: { checks },
  };
}

/**
 * The warnings about one file's load: fewer rows read than at the file's previous successful load (a
 * partial copy), and rows of the table that this load's file did not have (left from earlier loads).
 */
async function judgeLoad(
  wh: Warehouse,
  runStore: WarehouseRunStore,
  checks: CheckResult[],
  load: {
    nodeId: string;
    table: string;
    present: number;
    counts: FileCounts;
    runId: string;
    maxVolumeDrop: number;
  },
): Promise<void> {
  const { nodeId, table, present, counts, runId, maxVolumeDrop } = load;
  const previous = await runStore.previousSuccessfulLoad(nodeId, counts.file, runId);
  const before = Number((previous?.details as Partial<FileCounts> | undefined)?.rowsRead ?? 0);
  const floor = Math.ceil(before * (1 - maxVolumeDrop));
  const n = (x: number) => x.toLocaleString("en-US");
  checks.push({
    name: `volume_${counts.file}`,
    status: previous && counts.rowsRead < floor ? "warn" : "pass",
    observed: `${n(counts.rowsRead)} rows read`,
    expected: previous
      ? `>= ${n(floor)} (${n(before)} at the previous successful load, run ${previous.runId})`
      : "no previous successful load",
    message: `${counts.file} has at most ${Math.round(maxVolumeDrop * 100)} % fewer rows than last time`,
  });
  // A direct load filled an empty table: `present` is its count already.
  const total = counts.mode === "direct" ? present : await count(wh, `SELECT COUNT(*) AS n FROM ${table}`);
  checks.push({
    name: `leftover_${table}`,
    status: total > present ? "warn" : "pass",
    observed: `${n(total - present)} rows not in ${counts.file}`,
    expected: "0",
    message:
      `every row of ${table} comes from this load of ${counts.file} (others are left from earlier loads)`,
  });
}
