/**
 * The derived tables of a partitioned dataset, kept incrementally (see `partitions.ts`):
 *
 * - `user_metrics` is derived for the users in `etl_touched_users` only, from the per-user sums the load kept
 *   (`user_sums.ts`), and not at all when nothing changed;
 * - the statistics tables are rolled up from the session cube, whose cells of the touched months, countries
 *   and devices the load already updated, so no session is scanned;
 * - the cross-store statistics likewise from the content cube.
 *
 * Without the load's state in this run (`--from`, `--only`, `--resume`) they are recomputed in full.
 *
 * @module
 */
import { type InputSpec, USERS_INPUT } from "../../contract/mod.ts";
import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import { col, decimal, int, type SqlValue, syncFromSelect, syncRows, text } from "../../warehouse/mod.ts";
import type { PipelineServices } from "../services.ts";
import {
  CONTENT_DIM,
  CONTENT_GENRES,
  STATS_COUNTRY_GENRE,
  STATS_COUNTRY_TOP_CONTENT,
} from "../document/content_tables.ts";
import { CONTENT_COLLECTION } from "../document/load_content.ts";
import { TOP_CONTENT_PER_COUNTRY } from "../document/cross_store_stats.ts";
import { STATS_TABLES } from "./generate_stats.ts";
import { SESSION_CUBE_COLUMNS } from "../session_cubes.ts";
import { USER_METRICS_COLUMNS } from "./user_metrics.ts";
import { rebuildUserDeviceCube, userMetricsFromCubeSql } from "./user_sums.ts";
import { CONTENT_CUBE_TABLE, SESSION_CUBE_TABLE, TOUCHED_USERS_TABLE } from "./partition_tables.ts";
import {
  hashFile,
  markDerived,
  PARTITIONS_LEDGER_COLUMNS,
  readDerivedMarks,
  rebuildCubes,
} from "./partitions.ts";
import type { FileCounts } from "./load_keyed_csv.ts";
import { formatTimestamp } from "../run_store.ts";

/** `user_metrics`' query for the users listed in `table` (the same columns as `USER_METRICS_SQL`). */
export const userMetricsSqlFor = (table: string): string => `
SELECT u.user_id AS user_id,
       COALESCE(a.total_sessions, 0) AS total_sessions,
       COALESCE(a.total_minutes, 0) AS total_minutes,
       a.avg_minutes AS avg_minutes,
       a.avg_completion AS avg_completion,
       f.device_type AS favorite_device,
       a.first_activity AS first_activity,
       a.last_activity AS last_activity
FROM ${table} tu
CROSS JOIN users u ON u.user_id = tu.user_id
LEFT JOIN (
  SELECT s.user_id,
         COUNT(*) AS total_sessions,
         SUM(s.watch_duration_minutes) AS total_minutes,
         SUM(s.watch_duration_minutes) / COUNT(*) AS avg_minutes,
         AVG(s.completion_percentage) AS avg_completion,
         MIN(s.watch_date) AS first_activity,
         MAX(s.watch_date) AS last_activity
  FROM ${table} t CROSS JOIN viewing_sessions s ON s.user_id = t.user_id
  GROUP BY s.user_id
) a ON a.user_id = u.user_id
LEFT JOIN (
  SELECT user_id, device_type
  FROM (
    SELECT s.user_id, s.device_type,
           ROW_NUMBER() OVER (PARTITION BY s.user_id ORDER BY COUNT(*) DESC, s.device_type ASC) AS rn
    FROM ${table} t CROSS JOIN viewing_sessions s ON s.user_id = t.user_id
    GROUP BY s.user_id, s.device_type
  ) ranked
  WHERE rn = 1
) f ON f.user_id = u.user_id`;

/**
 * `create_aggregations` on a partitioned dataset: derives `user_metrics` from the per-user sums
 * (`user_sums.ts`) for the users listed in `etl_touched_users` (all users after a full load), then empties the
 * list; no session is read. A list left by a run whose aggregation failed is recomputed by the next run, even
 * one with no new file. Without the load's state in this run, the sums are first rebuilt from all sessions.
 */
export async function updateUserMetrics(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const state = ctx.services.partitions?.state;
  const wh = ctx.services.warehouse;
  const [{ n }] = await wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${TOUCHED_USERS_TABLE}`);
  const due = Number(n);
  if (!state || state.mode === "full") {
    if (!state) await rebuildUserDeviceCube(wh);
    const counts = await syncFromSelect(
      wh,
      "user_metrics",
      USER_METRICS_COLUMNS,
      ["user_id"],
      userMetricsFromCubeSql("users"),
      { deleteMissing: true },
    );
    await wh.execute(`DELETE FROM ${TOUCHED_USERS_TABLE}`);
    return {
      rowsRead: counts.inserted + counts.updated + counts.unchanged,
      rowsWritten: counts.inserted + counts.updated + counts.deleted,
      rowsRejected: 0,
      details: { ...counts, refresh: "full" },
    };
  }
  if (due === 0) {
    ctx.log("no session changed: user_metrics is up to date");
    return { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, details: { refresh: "unchanged", users: 0 } };
  }
  // The users recomputed, kept for validate_data's comparison with a full recomputation in this run.
  const sample = await wh.query<{ user_id: string }>(
    `SELECT user_id FROM ${TOUCHED_USERS_TABLE} ORDER BY user_id`,
  );
  const counts = await syncFromSelect(
    wh,
    "user_metrics",
    USER_METRICS_COLUMNS,
    ["user_id"],
    userMetricsFromCubeSql(TOUCHED_USERS_TABLE),
  );
  await wh.execute(`DELETE FROM ${TOUCHED_USERS_TABLE}`);
  state.metricsUsers = sample.map((r) => r.user_id);
  ctx.log(`user_metrics recomputed for ${due} users whose sessions changed`);
  return {
    rowsRead: counts.inserted + counts.updated + counts.unchanged,
    rowsWritten: counts.inserted + counts.updated,
    rowsRejected: 0,
    details: { ...counts, refresh: "incremental", users: due },
  };
}

const CUBE = "tmp_session_cube";
/** The content cube's columns as the cross-store roll-ups read them. */
const CONTENT_CUBE_COLUMNS = [
  col("country", text(100), true),
  col("content_id", text(64), true),
  col("sessions", int, true),
  col("minutes", decimal(29, 2), true),
];

/**
 * `generate_stats` on a partitioned dataset: the statistics tables of `generate_stats.ts`, rolled up from
 * the session cube (a few thousand rows) instead of a scan of the sessions.
 */
export async function generateStatsFromCube(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const state = ctx.services.partitions?.state;
  const marks = state ? await readDerivedMarks(ctx.services.warehouse) : new Map<string, string>();
  const cubes = marks.get("cubes");
  if (state?.mode === "unchanged" && cubes !== undefined && marks.get("stats") === cubes) {
    ctx.log("no session changed: the statistics are up to date");
    return {
      rowsRead: 0,
      rowsWritten: 0,
      rowsRejected: 0,
      details: { refresh: "unchanged", skipped: true, from: cubes },
    };
  }
  return await ctx.services.warehouse.transaction(async (tx) => {
    if (!state) await rebuildCubes(tx);
    await tx.execute(tx.sql.dropTempTable(CUBE));
    // Ordered, so that the roll-ups add the same numbers in the same order however the cube was kept.
    const cube = `SELECT country, subscription_type, device_type, NULLIF(month, '') AS ${
      tx.sql.quote("month")
    },
       sessions, minutes_cents / 100 AS minutes, completion_cents / 100 AS completion_sum, completion_count
FROM ${SESSION_CUBE_TABLE} ORDER BY country, subscription_type, device_type, month`;
    const keys = ["country", "subscription_type", "device_type", "month"];
    for (const statement of tx.sql.createTempTableAs(CUBE, keys, cube, SESSION_CUBE_COLUMNS).statements) {
      await tx.execute(statement);
    }
    const details: Record<string, unknown> = { refresh: state?.mode ?? "full" };
    let rowsRead = 0;
    let rowsWritten = 0;
    for (const stats of STATS_TABLES) {
      const counts = await syncFromSelect(tx, stats.table, stats.columns, stats.keys, stats.sql(tx.sql), {
        deleteMissing: true,
      });
      rowsRead += counts.inserted + counts.updated + counts.unchanged;
      rowsWritten += counts.inserted + counts.updated + counts.deleted;
      details[stats.table] = counts;
    }
    await tx.execute(tx.sql.dropTempTable(CUBE));
    if (cubes !== undefined) await markDerived(tx, "stats", cubes);
    return { rowsRead, rowsWritten, rowsRejected: 0, details };
  });
}

const CONTENT = "tmp_content_cube";

/** `cross_store_stats` on a partitioned dataset: the same two tables, rolled up from the content cube. */
export async function crossStoreStatsFromCube(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const { docstore, warehouse: wh } = ctx.services;
  const state = ctx.services.partitions?.state;
  const documents = await docstore.collection(CONTENT_COLLECTION).find({}, {
    projection: { content_id: 1, title: 1, type: 1, rating: 1, genre: 1 },
  });
  const dimRows: SqlValue[][] = [];
  const genreRows: SqlValue[][] = [];
  for (const doc of documents) {
    const id = String(doc.content_id);
    dimRows.push([
      id,
      String(doc.title),
      String(doc.type),
      typeof doc.rating === "number" ? doc.rating : null,
    ]);
    const genres = Array.isArray(doc.genre) ? doc.genre : [];
    for (const genre of new Set(genres.map(String))) genreRows.push([id, genre]);
  }
  const details: Record<string, unknown> = { documents: documents.length, refresh: state?.mode ?? "full" };
  let rowsWritten = 0;
  for (const [spec, rows] of [[CONTENT_DIM, dimRows], [CONTENT_GENRES, genreRows]] as const) {
    const counts = await syncRows(wh, spec.name, spec.columns.map((c) => c.name), spec.primaryKey, rows);
    rowsWritten += counts.inserted + counts.updated + counts.deleted;
    details[spec.name] = { rows: rows.length, ...counts };
  }
  // Nothing to roll up again when neither the sessions nor the content changed since the last roll-up.
  const marks = state ? await readDerivedMarks(wh) : new Map<string, string>();
  const cubes = marks.get("cubes");
  if (
    state?.mode === "unchanged" && rowsWritten === 0 && cubes !== undefined &&
    marks.get("cross_store") === cubes
  ) {
    ctx.log("neither sessions nor content changed: the cross-store statistics are up to date");
    return {
      rowsRead: documents.length,
      rowsWritten: 0,
      rowsRejected: 0,
      details: { ...details, skipped: true, from: cubes },
    };
  }
  return await wh.transaction(async (tx) => {
    if (!state) await rebuildCubes(tx);
    const [{ sessions, unmatched }] = await tx.query<{ sessions: number | null; unmatched: number | null }>(
      `SELECT SUM(c.sessions) AS sessions, SUM(CASE WHEN d.content_id IS NULL THEN c.sessions ELSE 0 END) AS unmatched
       FROM ${CONTENT_CUBE_TABLE} c LEFT JOIN content_dim d ON d.content_id = c.content_id`,
    );
    details.sessions = Number(sessions ?? 0);
    details.unmatchedSessions = Number(unmatched ?? 0);
    if (details.unmatchedSessions) {
      ctx.log(
        `${details.unmatchedSessions} sessions name a content_id that is not in "${CONTENT_COLLECTION}"`,
      );
    }
    await tx.execute(tx.sql.dropTempTable(CONTENT));
    const cube = `SELECT country, content_id, sessions, minutes_cents / 100 AS minutes
FROM ${CONTENT_CUBE_TABLE} ORDER BY country, content_id`;
    const { statements } = tx.sql.createTempTableAs(
      CONTENT,
      ["country", "content_id"],
      cube,
      CONTENT_CUBE_COLUMNS,
    );
    for (const statement of statements) {
      await tx.execute(statement);
    }
    const d = tx.sql;
    const tables = [
      {
        spec: STATS_COUNTRY_GENRE,
        sql: `
SELECT c.country AS country, g.genre AS genre,
       SUM(c.sessions) AS sessions,
       SUM(c.minutes) AS minutes,
       ${d.real("SUM(c.sessions)")} / SUM(SUM(c.sessions)) OVER (PARTITION BY c.country) AS share_sessions,
       ${
          d.real("SUM(c.minutes)")
        } / NULLIF(SUM(SUM(c.minutes)) OVER (PARTITION BY c.country), 0) AS share_minutes
FROM ${CONTENT} c
JOIN content_genres g ON g.content_id = c.content_id
GROUP BY c.country, g.genre`,
      },
      {
        spec: STATS_COUNTRY_TOP_CONTENT,
        sql: `
SELECT r.country AS country, r.place AS place, r.content_id AS content_id, k.title AS title, k.type AS type,
       r.sessions AS sessions, r.minutes AS minutes
FROM (
  SELECT c.country AS country, c.content_id AS content_id, c.sessions AS sessions, c.minutes AS minutes,
         ROW_NUMBER() OVER (PARTITION BY c.country ORDER BY c.sessions DESC, c.content_id) AS place
  FROM ${CONTENT} c
  JOIN content_dim known ON known.content_id = c.content_id
) r
JOIN content_dim k ON k.content_id = r.content_id
WHERE r.place <= ${TOP_CONTENT_PER_COUNTRY}`,
      },
    ];
    for (const { spec, sql } of tables) {
      const columns = spec.columns.map((c) => c.name);
      const counts = await syncFromSelect(tx, spec.name, columns, spec.primaryKey, sql, {
        deleteMissing: true,
      });
      rowsWritten += counts.inserted + counts.updated + counts.deleted;
      details[spec.name] = { rows: counts.inserted + counts.updated + counts.unchanged, ...counts };
    }
    await tx.execute(tx.sql.dropTempTable(CONTENT));
    if (cubes !== undefined) await markDerived(tx, "cross_store", cubes);
    return { rowsRead: documents.length + Number(sessions ?? 0), rowsWritten, rowsRejected: 0, details };
  });
}

/** `users.csv`'s details when it is skipped: the counts of the load that is still current. */
export type SkippedUsers = FileCounts & { skipped: true; loadRunId: string };

/**
 * `process_users` on a partitioned dataset: skips `users.csv` when its size, mtime or hash show that it is
 * the file already loaded (and says so); otherwise loads it and records it in the ledger. Tells the
 * sessions' load whether any user changed.
 */
export async function loadUsersUnlessUnchanged(
  ctx: NodeContext<PipelineServices>,
  load: () => Promise<NodeOutcome & { details: FileCounts }>,
): Promise<NodeOutcome> {
  const wh = ctx.services.warehouse;
  const input: InputSpec = USERS_INPUT;
  const path = ctx.services.files.users;
  const options = ctx.services.partitions ?? {};
  const stat = await Deno.stat(path);
  const mtimeMs = Math.round(stat.mtime?.getTime() ?? 0);
  const [before] = await wh.query<{ bytes: number; mtime_ms: number; content_hash: string; run_id: string }>(
    "SELECT bytes, mtime_ms, content_hash, run_id FROM etl_partitions WHERE file = ?",
    [input.file],
  );
  const [anyUser] = await wh.query("SELECT 1 AS one FROM users LIMIT 1");
  const sameStat = before && Number(before.bytes) === stat.size && Number(before.mtime_ms) === mtimeMs;
  const hash = sameStat ? before.content_hash : await hashFile(path);
  if (before && anyUser && !options.fullRefresh && !ctx.services.fresh && before.content_hash === hash) {
    const stored = await ctx.services.runStore.fileStatsDetails(before.run_id, input.file);
    if (stored) {
      ctx.log(`${input.file}: unchanged, skipped`);
      const counts = stored as unknown as FileCounts;
      options.usersChanged = false;
      const details: SkippedUsers = { ...counts, skipped: true, loadRunId: before.run_id };
      return { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, details };
    }
  }
  const outcome = await load();
  const counts = outcome.details;
  options.usersChanged = counts.mode === "direct" || counts.inserted + counts.updated > 0;
  await wh.upsert("etl_partitions", PARTITIONS_LEDGER_COLUMNS, ["file"], [[
    input.file,
    "users",
    "users",
    stat.size,
    mtimeMs,
    hash,
    counts.rowsRead,
    counts.loaded,
    counts.rejected,
    counts.duplicates,
    ctx.runId,
    formatTimestamp(new Date()),
  ]]);
  return outcome;
}
