import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import type { Warehouse } from "../../warehouse/mod.ts";
import type { PipelineServices } from "../services.ts";
import { CSV_LOADS, type FileCounts } from "./load_keyed_csv.ts";
import { fullRefreshChecks, partitionChecks, sessionPartitionsDirOf } from "./partition_checks.ts";

/** The outcome of one quality check, as stored in `etl_checks` and printed in the summary. */
export interface CheckResult {
  name: string;
  status: "pass" | "warn" | "fail";
  observed: string;
  expected: string;
  message: string;
}

/** The share of sessions without a watch date above which `validate_data` warns. */
export const MISSING_WATCH_DATE_WARN = 0.01;

const count = async (wh: Warehouse, sql: string, params: (string | number)[] = []) =>
  Number((await wh.query<{ n: number | null }>(sql, params))[0]?.n ?? 0);

/**
 * Runs the blocking quality checks, stores them in `etl_checks` under the run, and fails the node when any
 * check fails (warnings pass). Reconciliation uses the latest successful load of each file, so it also holds
 * for a run that only re-validates.
 */
export async function validateData(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const { warehouse: wh, runStore, missingWatchDateLimit } = ctx.services;
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
  const sessions = await count(wh, "SELECT COUNT(*) AS n FROM viewing_sessions");
  check("users_not_empty", users > 0, users, "> 0", "the users table has rows");
  check("sessions_not_empty", sessions > 0, sessions, "> 0", "the viewing_sessions table has rows");

  for (const { nodeId, input: { table, stage, key } } of CSV_LOADS) {
    const load = await runStore.latestSuccess(nodeId);
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
      checks.push(...await partitionChecks(wh, load.runId));
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
    const stored = await count(wh, "SELECT COUNT(*) AS n FROM etl_rejects WHERE run_id = ? AND file = ?", [
      rejectsRunId,
      counts.file,
    ]);
    check(
      `rejects_stored_${counts.file}`,
      stored === counts.rejected,
      stored,
      counts.rejected,
      `every reject of ${counts.file} is in etl_rejects`,
    );
    // A direct load filled an empty table with exactly its keys; a staged one left them in the stage.
    const present = await count(
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
  }

  const orphans = await count(
    wh,
    "SELECT COUNT(*) AS n FROM viewing_sessions s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = s.user_id)",
  );
  check("no_orphan_sessions", orphans === 0, orphans, 0, "every session belongs to a loaded user");

  const uncovered = await count(
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
  const [actual] = await wh.query<{ s: number; m: number | null }>(
    "SELECT COUNT(*) AS s, SUM(watch_duration_minutes) AS m FROM viewing_sessions",
  );
  const minutesGap = Math.abs(Number(totals.m ?? 0) - Number(actual.m ?? 0));
  check(
    "user_metrics_totals",
    Number(totals.s ?? 0) === Number(actual.s) && minutesGap <= 0.005,
    `${totals.s ?? 0} sessions, ${Number(totals.m ?? 0).toFixed(2)} minutes`,
    `${actual.s} sessions, ${Number(actual.m ?? 0).toFixed(2)} minutes`,
    "user_metrics totals equal the sessions' totals",
  );

  const missing = await count(wh, "SELECT COUNT(*) AS n FROM viewing_sessions WHERE watch_date IS NULL");
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
    checks.push(...await fullRefreshChecks(wh, sessions));
  }

  await wh.execute("DELETE FROM etl_checks WHERE run_id = ?", [ctx.runId]);
  await wh.upsert(
    "etl_checks",
    ["run_id", "check_name", "status", "observed", "expected", "message"],
    ["run_id", "check_name"],
    checks.map((c) => [ctx.runId, c.name, c.status, c.observed, c.expected, c.message]),
  );
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
