import { analyzeTables } from "../analyze_tables.ts";
import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import type { SqlDialect, SqlValue } from "../../warehouse/mod.ts";
import type { PipelineServices } from "../services.ts";
import { syncFromSelect, syncRows } from "../../warehouse/mod.ts";
import {
  CONTENT_DIM,
  CONTENT_GENRES,
  STATS_COUNTRY_GENRE,
  STATS_COUNTRY_TOP_CONTENT,
} from "./content_tables.ts";
import { CONTENT_COLLECTION } from "./load_content.ts";

/** Titles kept per country in `stats_country_top_content`. */
export const TOP_CONTENT_PER_COUNTRY = 5;

const country = "COALESCE(u.country, 'Unknown')";

/**
 * Sessions and minutes per country and title, aggregated before any join with the content tables: a
 * grouped derived table is materialised, so however wrong the optimizer's statistics (after a restart
 * InnoDB took freshly loaded `content_dim` and `content_genres` for empty and joined genres x users x
 * sessions for over 13 minutes), the content tables only ever meet one row per country and title.
 */
const SESSIONS_BY_COUNTRY_CONTENT = `
  SELECT ${country} AS country, s.content_id AS content_id,
         COUNT(*) AS sessions, SUM(s.watch_duration_minutes) AS minutes
  FROM viewing_sessions s
  JOIN users u ON u.user_id = s.user_id
  GROUP BY ${country}, s.content_id`;

/** The cross-store statistics tables and the SQL that fills each from sessions, users and the content tables. */
export const CROSS_STORE_TABLES = [
  {
    spec: STATS_COUNTRY_GENRE,
    // A session of a title with three genres counts once in each; shares are of the country's
    // genre-sessions (genre-minutes), so they add up to 1 within a country.
    sql: (d: SqlDialect) => `
SELECT a.country AS country, g.genre AS genre,
       SUM(a.sessions) AS sessions,
       SUM(a.minutes) AS minutes,
       ${d.real("SUM(a.sessions)")} / SUM(SUM(a.sessions)) OVER (PARTITION BY a.country) AS share_sessions,
       ${d.real("SUM(a.minutes)")}
         / NULLIF(SUM(SUM(a.minutes)) OVER (PARTITION BY a.country), 0) AS share_minutes
FROM (${SESSIONS_BY_COUNTRY_CONTENT}) a
JOIN content_genres g ON g.content_id = a.content_id
GROUP BY a.country, g.genre`,
  },
  {
    spec: STATS_COUNTRY_TOP_CONTENT,
    // Ties in sessions go to the smaller content_id: byte-wise on both engines (utf8mb4_bin on MySQL).
    sql: () => `
SELECT r.country AS country, r.place AS place, r.content_id AS content_id, c.title AS title, c.type AS type,
       r.sessions AS sessions, r.minutes AS minutes
FROM (
  SELECT a.country AS country, a.content_id AS content_id, a.sessions AS sessions, a.minutes AS minutes,
         ROW_NUMBER() OVER (PARTITION BY a.country ORDER BY a.sessions DESC, a.content_id) AS place
  FROM (${SESSIONS_BY_COUNTRY_CONTENT}) a
  JOIN content_dim known ON known.content_id = a.content_id
) r
JOIN content_dim c ON c.content_id = r.content_id
WHERE r.place <= ${TOP_CONTENT_PER_COUNTRY}`,
  },
] as const;

/**
 * Joins the viewing sessions (warehouse) with the content documents (document store) into genre preference
 * per country (`stats_country_genre`) and the most watched titles per country (`stats_country_top_content`).
 *
 * Where the join runs: in the warehouse. The content is ~300 small documents while the sessions are some
 * 223,000 rows that already sit in the warehouse next to the users, so the node copies the documents'
 * `content_id`, `title`, `type`, `rating` into `content_dim` and their genres into `content_genres` (synced,
 * so a second run writes nothing) and lets SQL join and rank with its indexes. The other way round would pull
 * every session over the wire and group them in memory, and would need a `$lookup`, which not every document
 * store runs. Sessions whose `content_id` is not in the content are left out, and counted in the details.
 */
export async function crossStoreStats(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const { docstore, warehouse: wh } = ctx.services;
  const documents = await docstore.collection(CONTENT_COLLECTION).find({}, {
    projection: { content_id: 1, title: 1, type: 1, rating: 1, genre: 1 },
  });
  const dimRows: SqlValue[][] = [];
  const genreRows: SqlValue[][] = [];
  for (const doc of documents) {
    const id = String(doc.content_id);
    const rating = typeof doc.rating === "number" ? doc.rating : null;
    dimRows.push([id, String(doc.title), String(doc.type), rating]);
    const genres = Array.isArray(doc.genre) ? doc.genre : [];
    for (const genre of new Set(genres.map(String))) genreRows.push([id, genre]);
  }
  ctx.progress({ rowsRead: documents.length });

  const details: Record<string, unknown> = { documents: documents.length };
  let rowsWritten = 0;
  for (const [spec, rows] of [[CONTENT_DIM, dimRows], [CONTENT_GENRES, genreRows]] as const) {
    const counts = await syncRows(wh, spec.name, spec.columns.map((c) => c.name), spec.primaryKey, rows);
    rowsWritten += counts.inserted + counts.updated + counts.deleted;
    details[spec.name] = { rows: rows.length, ...counts };
  }

  await analyzeTables(wh, [CONTENT_DIM.name, CONTENT_GENRES.name]);
  const [{ sessions, unmatched }] = await wh.query<{ sessions: number; unmatched: number | null }>(
    `SELECT COUNT(*) AS sessions,
            SUM(CASE WHEN c.content_id IS NULL THEN 1 ELSE 0 END) AS unmatched
     FROM viewing_sessions s LEFT JOIN content_dim c ON c.content_id = s.content_id`,
  );
  details.sessions = Number(sessions);
  details.unmatchedSessions = Number(unmatched ?? 0);
  if (details.unmatchedSessions) {
    ctx.log(`${details.unmatchedSessions} sessions name a content_id that is not in "${CONTENT_COLLECTION}"`);
  }
  ctx.progress({ rowsRead: documents.length + Number(sessions), rowsWritten });

  for (const { spec, sql: toSql } of CROSS_STORE_TABLES) {
    ctx.signal.throwIfAborted();
    const sql = toSql(wh.sql);
    const columns = spec.columns.map((c) => c.name);
    const counts = await syncFromSelect(wh, spec.name, columns, spec.primaryKey, sql, {
      deleteMissing: true,
    });
    rowsWritten += counts.inserted + counts.updated + counts.deleted;
    details[spec.name] = { rows: counts.inserted + counts.updated + counts.unchanged, ...counts };
    ctx.progress({ rowsRead: documents.length + Number(sessions), rowsWritten });
  }
  return { rowsRead: documents.length + Number(sessions), rowsWritten, rowsRejected: 0, details };
}
