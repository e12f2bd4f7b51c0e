/**
 * `validate_data`'s checks of a partitioned dataset: every file reconciles (read = loaded + rejected +
 * replaced) with its rejects stored, every file's version is stored, and the incrementally kept tables
 * equal what a full refresh computes (whole at small scale; a sample of users and the whole cubes' totals
 * otherwise).
 *
 * What an incremental run judges (`touchedScope`): the sessions' totals come from the kept session cube
 * instead of a scan, orphans are looked for among the sessions this run loaded (the users did not change:
 * a changed users.csv is a full refresh), and the users compared with a full recomputation are a sample of
 * those whose metrics this run derived. A full refresh, or a run without the load's state (`--only
 * validate_data`), checks everything from the sessions.
 *
 * @module
 */
import { tableColumns, USERS_INPUT } from "../../contract/mod.ts";
import type { PartitionRunState } from "../partition_options.ts";
import { USER_METRICS_COLUMNS, USER_METRICS_SQL } from "./user_metrics.ts";
import type { Warehouse } from "../../warehouse/mod.ts";
import type { WarehouseRunStore } from "../run_store.ts";
import { CUBES } from "./partitions.ts";
import {
  PARTITIONS_TABLE,
  SESSION_CUBE_TABLE,
  SESSION_VERSIONS_TABLE,
  TOUCHED_SESSIONS_TABLE,
  USER_DEVICE_CUBE_TABLE,
} from "./partition_tables.ts";
import { userMetricsSqlFor } from "./incremental.ts";
import { USER_DEVICE_CUBE_COLUMNS, userDeviceCellsSql } from "./user_sums.ts";

/** One check, shaped as `validate_data`'s `CheckResult` (not imported: validate_data imports this). */
interface CheckResult {
  name: string;
  status: "pass" | "warn" | "fail";
  observed: string;
  expected: string;
  message: string;
}

/** Up to this many sessions, the derived tables are compared with a full refresh whole. */
export const WHOLE_COMPARISON_MAX_SESSIONS = 50_000;
/** Users compared with a full recomputation above that size. */
export const SAMPLED_USERS = 200;

/** What an incremental run's `validate_data` judges: the users whose metrics it derived. */
export interface TouchedScope {
  metricsUsers: readonly string[];
  /** Users without a `user_metrics` row, told by counts and by this run's users (see the module). */
  uncoveredMetricsUsers(wh: Warehouse): Promise<number>;
}

/** The scope of an incremental run, or `undefined` when everything is to be checked. */
export function touchedScope(state: PartitionRunState | undefined): TouchedScope | undefined {
  if (!state || state.mode === "full") return undefined;
  const metricsUsers = state.metricsUsers ?? [];
  return {
    metricsUsers,
    async uncoveredMetricsUsers(wh) {
      const [{ users, metrics }] = await wh.query<{ users: number; metrics: number }>(
        "SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM user_metrics) AS metrics",
      );
      let found = 0;
      for (let at = 0; at < metricsUsers.length; at += 500) {
        const chunk = metricsUsers.slice(at, at + 500);
        const [{ n }] = await wh.query<{ n: number }>(
          `SELECT COUNT(*) AS n FROM user_metrics WHERE user_id IN (${chunk.map(() => "?").join(", ")})`,
          chunk,
        );
        found += Number(n);
      }
      // Both ways count the same missing row once: the larger is a lower bound of the users missing.
      return Math.max(0, Number(users) - Number(metrics), metricsUsers.length - found);
    },
  };
}

/** The sessions' count, minutes and missing dates, from the session cube (kept exact, in cents). */
export async function keptSessionTotals(
  wh: Warehouse,
): Promise<{ sessions: number; minutes: number | null; missing: number | null }> {
  const [row] = await wh.query<{ sessions: number | null; cents: number | null; missing: number | null }>(
    `SELECT SUM(sessions) AS sessions, SUM(minutes_cents) AS cents,
            SUM(CASE WHEN month = '' THEN sessions ELSE 0 END) AS missing
     FROM ${SESSION_CUBE_TABLE}`,
  );
  return {
    sessions: Number(row?.sessions ?? 0),
    minutes: row?.cents == null ? null : Number(row.cents) / 100,
    missing: Number(row?.missing ?? 0),
  };
}

/** Sessions this run loaded (`etl_touched_sessions`) whose user is not loaded. */
export const touchedOrphansSql = `SELECT COUNT(*) AS n
FROM ${TOUCHED_SESSIONS_TABLE} t CROSS JOIN viewing_sessions s ON s.session_id = t.session_id
WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = s.user_id)`;

/** Whether the sessions path `.../viewing_sessions.csv` has a partition folder beside it. */
export function sessionPartitionsDirOf(sessionsPath: string): boolean {
  try {
    return Deno.statSync(sessionsPath.replace(/\.csv$/, "")).isDirectory;
  } catch {
    return false;
  }
}

const result = (
  name: string,
  ok: boolean,
  observed: unknown,
  expected: unknown,
  message: string,
): CheckResult => ({
  name,
  status: ok ? "pass" : "fail",
  observed: String(observed),
  expected: String(expected),
  message,
});

/** Per file of the ledger: read = loaded + rejected + replaced, its rejects stored, its versions stored. */
export async function partitionChecks(
  wh: Warehouse,
  runStore: WarehouseRunStore,
  runId: string,
): Promise<CheckResult[]> {
  const ledger = await wh.query<{
    file: string;
    rows_read: number;
    rows_loaded: number;
    rows_rejected: number;
    rows_replaced: number;
    run_id: string;
  }>(
    `SELECT file, rows_read, rows_loaded, rows_rejected, rows_replaced, run_id
     FROM ${PARTITIONS_TABLE} WHERE kind = 'sessions'`,
  );
  // The rejects each file's loading run stored (the run store's table), matched to the ledger.
  const rejectsByRun = await runStore.rejectsPerFile([...new Set(ledger.map((f) => f.run_id))]);
  const files = ledger.map((f) => ({ ...f, stored: rejectsByRun.get(f.run_id)?.get(f.file) ?? 0 }));
  const unbalanced = files.filter((f) =>
    Number(f.rows_read) !== Number(f.rows_loaded) + Number(f.rows_rejected) + Number(f.rows_replaced)
  );
  const missingRejects = files.filter((f) => Number(f.stored) !== Number(f.rows_rejected));
  const sum = (key: "rows_read" | "rows_loaded" | "rows_rejected" | "rows_replaced") =>
    files.reduce((n, f) => n + Number(f[key]), 0);
  // The files this run loaded: each has as many versions as it loaded sessions (the others were checked
  // by the run that loaded them), counted by the table's key prefix.
  const loadedNow = files.filter((f) => f.run_id === runId);
  const stored = new Map<string, number>();
  for (let at = 0; at < loadedNow.length; at += 200) {
    const chunk = loadedNow.slice(at, at + 200).map((f) => f.file);
    const rows = await wh.query<{ file: string; n: number }>(
      `SELECT file, COUNT(*) AS n FROM ${SESSION_VERSIONS_TABLE} WHERE file IN (${
        chunk.map(() => "?").join(", ")
      }) GROUP BY file`,
      chunk,
    );
    for (const row of rows) stored.set(row.file, Number(row.n));
  }
  const versionsMissing = loadedNow.filter((f) => (stored.get(f.file) ?? 0) !== Number(f.rows_loaded));
  return [
    result(
      "reconcile_partitions",
      files.length > 0 && unbalanced.length === 0,
      `${files.length} files, ${unbalanced.length} unbalanced${
        unbalanced.length ? ` (${unbalanced.slice(0, 3).map((f) => f.file).join(", ")})` : ""
      }; ${sum("rows_read")} read`,
      `${sum("rows_loaded")} loaded + ${sum("rows_rejected")} rejected + ${sum("rows_replaced")} replaced`,
      "every row of every partition file is loaded, rejected or replaced by a later duplicate in its file",
    ),
    result(
      "rejects_stored_partitions",
      missingRejects.length === 0,
      `${missingRejects.length} files with missing rejects`,
      "0",
      "every reject of every partition file is in etl_rejects (under the run that loaded the file)",
    ),
    result(
      "partition_versions_stored",
      versionsMissing.length === 0,
      `${versionsMissing.length} of ${loadedNow.length} files loaded in this run differ`,
      "0",
      "every loaded session of every file loaded in this run is in session_versions",
    ),
  ];
}

type Row = Record<string, unknown>;
/**
 * Rows of `a` and `b` that differ, matched by their first `keys` columns. Numbers may differ by half a cent:
 * a stored DECIMAL(…, 2) is the query's value rounded (half away from zero of the exact decimal).
 */
function differing(a: Row[], b: Row[], columns: readonly string[], keys: number): number {
  const id = (r: Row) => JSON.stringify(columns.slice(0, keys).map((c) => String(r[c])));
  const same = (x: unknown, y: unknown) =>
    x === y || (x == null && y == null) ||
    (x != null && y != null && (typeof x === "number" || typeof y === "number")
      ? Math.abs(Number(x) - Number(y)) <= 0.0051
      : String(x) === String(y));
  const byKey = new Map(b.map((r) => [id(r), r]));
  let diff = 0;
  for (const row of a) {
    const other = byKey.get(id(row));
    byKey.delete(id(row));
    if (!other || !columns.every((c) => same(row[c], other[c]))) diff++;
  }
  return diff + byKey.size;
}

/**
 * The incrementally kept tables against a full recomputation: `user_metrics` (whole at small scale, else
 * a sample of users: of those this run derived, in an incremental run) and the cubes (whole at small scale,
 * else their totals: against the sessions' count, or in an incremental run against each other's).
 */
export async function fullRefreshChecks(
  wh: Warehouse,
  sessions: number,
  scope?: TouchedScope,
): Promise<CheckResult[]> {
  const whole = Number(sessions) <= WHOLE_COMPARISON_MAX_SESSIONS;
  const checks: CheckResult[] = [];
  const cols = USER_METRICS_COLUMNS;
  const metrics = await wh.transaction(async (tx) => {
    if (whole) {
      return [
        await tx.query<Row>(`SELECT * FROM user_metrics`),
        await tx.query<Row>(USER_METRICS_SQL),
      ] as const;
    }
    const sample = "tmp_sampled_users";
    await tx.execute(tx.sql.dropTempTable(sample));
    // Every n-th user by id (of this run's, in an incremental run): stable, spread over the whole range.
    const candidates = scope
      ? scope.metricsUsers
      : (await tx.query<{ user_id: string }>("SELECT user_id FROM users ORDER BY user_id")).map((r) =>
        r.user_id
      );
    const step = Math.max(1, Math.floor(candidates.length / SAMPLED_USERS));
    const ids = candidates.filter((_, i) => i % step === 0);
    for (
      const statement of tx.sql.createTempTableAs(
        sample,
        ["user_id"],
        "SELECT user_id FROM users WHERE 1 = 0",
        [tableColumns(USERS_INPUT).find((c) => c.name === "user_id")!],
      ).statements
    ) {
      await tx.execute(statement);
    }
    await tx.bulkInsert(sample, ["user_id"], [ids.map((id) => [id])]);
    const stored = await tx.query<Row>(
      `SELECT m.* FROM user_metrics m JOIN ${sample} t ON t.user_id = m.user_id`,
    );
    const recomputed = await tx.query<Row>(userMetricsSqlFor(sample));
    await tx.execute(tx.sql.dropTempTable(sample));
    return [stored, recomputed] as const;
  });
  const diff = differing(metrics[0], metrics[1], cols, 1);
  checks.push(result(
    "user_metrics_equals_full_refresh",
    diff === 0,
    `${diff} rows differ of ${metrics[1].length}${
      whole
        ? ""
        : scope
        ? ` sampled users of the ${scope.metricsUsers.length} this run derived`
        : " sampled users"
    }`,
    "0 rows differ",
    "user_metrics, kept incrementally, equals a full recomputation from all sessions",
  ));
  const kept = [
    ...CUBES,
    {
      table: USER_DEVICE_CUBE_TABLE,
      keys: ["user_id", "device_type"],
      sums: USER_DEVICE_CUBE_COLUMNS.slice(2),
      sql: userDeviceCellsSql,
    },
  ];
  const totals = new Map<string, number>();
  const totalOf = async (table: string) => {
    if (!totals.has(table)) {
      const [{ n }] = await wh.query<{ n: number | null }>(`SELECT SUM(sessions) AS n FROM ${table}`);
      totals.set(table, Number(n ?? 0));
    }
    return totals.get(table)!;
  };
  for (const cube of kept) {
    const columns = [...cube.keys, ...cube.sums];
    const name = `${cube.table}_equals_full_refresh`;
    if (whole) {
      const stored = await wh.query<Row>(`SELECT * FROM ${cube.table}`);
      const recomputed = await wh.query<Row>(cube.sql("viewing_sessions s"));
      const d = differing(stored, recomputed, columns, cube.keys.length);
      checks.push(result(
        name,
        d === 0,
        `${d} cells differ of ${recomputed.length}`,
        "0 cells differ",
        `${cube.table} (what the ${
          cube.table === USER_DEVICE_CUBE_TABLE ? "user metrics are" : "statistics are rolled up"
        } from), kept incrementally, equals a full recomputation`,
      ));
    } else if (scope) {
      // The session cube gave the sessions' count; the others must count as many (and it as the per-user sums).
      const other = cube.table === SESSION_CUBE_TABLE ? USER_DEVICE_CUBE_TABLE : SESSION_CUBE_TABLE;
      const [total, expected] = [await totalOf(cube.table), await totalOf(other)];
      checks.push(result(
        name,
        total === expected,
        `${total} sessions`,
        `${expected} sessions (in ${other})`,
        `${cube.table}, kept incrementally, counts the sessions ${other} counts (a full refresh, or a run of validate_data alone, compares it with the sessions)`,
      ));
    } else {
      // Every session has its user (no_orphan_sessions), so every cube counts every session.
      const total = await totalOf(cube.table);
      const expected = Number(sessions);
      checks.push(result(
        name,
        total === expected,
        `${total} sessions`,
        `${expected} sessions`,
        `${cube.table} counts every session (its cells are compared whole up to ${WHOLE_COMPARISON_MAX_SESSIONS} sessions)`,
      ));
    }
  }
  return checks;
}
