import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import type { SqlDialect, SqlValue } from "../../warehouse/mod.ts";
import type { PipelineServices } from "../services.ts";
import { syncFromSelect, syncRows } from "../../warehouse/mod.ts";
import { analyzeTables } from "../analyze_tables.ts";
import {
  CONTENT_DIM,
  CONTENT_GENRES,
  STATS_COUNTRY_GENRE,
  STATS_COUNTRY_TOP_CONTENT,
} from "./content_tables.ts";
import { CONTENT_COLLECTION } from "./load_content.ts";
import { type ReadRows, readRows, tempTableFromRows } from "../temp_table_from_read.ts";
import {
  COUNTRY_CONTENT_CUBE_COLUMNS,
  COUNTRY_CONTENT_CUBE_READ,
  COUNTRY_CONTENT_CUBE_SQL,
} from "../session_cubes.ts";

/** Titles kept per country in `stats_country_top_content`. */
export const TOP_CONTENT_PER_COUNTRY = 5;

/** The cube of sessions and minutes per country and title (see `session_cubes.ts`), a temporary table. */
const CUBE = "tmp_country_content";
const CUBE_KEYS = ["content_id", "country"];

/** The cross-store statistics tables and the SQL that fills each from the cube and the content tables. */
export const CROSS_STORE_TABLES = [
  {
    spec: STATS_COUNTRY_GENRE,
    // A session of a title with three genres counts once in each; shares are of the country's
    // genre-sessions (genre-minutes), so they add up to 1 within a country.
    sql: (d: SqlDialect) => `
SELECT c.country AS country, g.genre AS genre,
       SUM(c.sessions) AS sessions,
       SUM(c.minutes) AS minutes,
       ${d.real("SUM(c.sessions)")} / SUM(SUM(c.sessions)) OVER (PARTITION BY c.country) AS share_sessions,
       ${d.real("SUM(c.minutes)")}
         / NULLIF(SUM(SUM(c.minutes)) OVER (PARTITION BY c.country), 0) AS share_minutes
FROM ${CUBE} c
JOIN content_genres g ON g.content_id = c.content_id
WHERE c.known_user = 1
GROUP BY c.country, g.genre`,
  },
  {
    spec: STATS_COUNTRY_TOP_CONTENT,
    // Ties in sessions go to the smaller content_id: byte-wise on both engines (utf8mb4_bin on MySQL).
    sql: () => `
SELECT r.country AS country, r.place AS place, r.content_id AS content_id, d.title AS title, d.type AS type,
       r.sessions AS sessions, r.minutes AS minutes
FROM (
  SELECT c.country AS country, c.content_id AS content_id,
         SUM(c.sessions) AS sessions,
         SUM(c.minutes) AS minutes,
         ROW_NUMBER() OVER (PARTITION BY c.country ORDER BY SUM(c.sessions) DESC, c.content_id) AS place
  FROM ${CUBE} c
  JOIN content_dim known ON known.content_id = c.content_id
  WHERE c.known_user = 1
  GROUP BY c.country, c.content_id
) r
JOIN content_dim d ON d.content_id = r.content_id
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
 * store runs. The sessions are first grouped per country and title (a few thousand rows, one scan), and the
 * genres and titles are joined to that. Sessions whose `content_id` is not in the content are left out, and
 * counted in the details.
 */
export async function crossStoreStats(ctx: NodeContext<PipelineServices>): Promise<NodeOutcome> {
  const { docstore, warehouse: wh } = ctx.services;
  // The cube as process_sessions summed it while loading, or else the one scan of the sessions, started
  // first to run beside other nodes (SQLite: on a second connection) while the content is copied.
  const cubeRead = ctx.services.readAhead?.take<ReadRows>(COUNTRY_CONTENT_CUBE_READ) ??
    readRows(wh, COUNTRY_CONTENT_CUBE_SQL, COUNTRY_CONTENT_CUBE_COLUMNS);
  cubeRead.catch(() => {}); // awaited below; a failure before then must not go unhandled
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
  await wh.transaction(async (tx) => {
    for (const [spec, rows] of [[CONTENT_DIM, dimRows], [CONTENT_GENRES, genreRows]] as const) {
      const counts = await syncRows(tx, spec.name, spec.columns.map((c) => c.name), spec.primaryKey, rows);
      rowsWritten += counts.inserted + counts.updated + counts.deleted;
      details[spec.name] = { rows: rows.length, ...counts };
    }
  });

  // Fresh optimizer statistics for the content tables just filled (after a restart InnoDB took them for empty).
  await analyzeTables(wh, [CONTENT_DIM.name, CONTENT_GENRES.name]);
  // The cube's rows go into a temporary table (MySQL's belong to a connection): the rest is one transaction.
  const cube = await cubeRead;
  const sessions = await wh.transaction(async (tx) => {
    await tempTableFromRows(tx, CUBE, CUBE_KEYS, cube, COUNTRY_CONTENT_CUBE_COLUMNS);
    const [{ sessions, unmatched }] = await tx.query<{ sessions: number | null; unmatched: number | null }>(
      `SELECT SUM(c.sessions) AS sessions,
              SUM(CASE WHEN d.content_id IS NULL THEN c.sessions ELSE 0 END) AS unmatched
       FROM ${CUBE} c LEFT JOIN content_dim d ON d.content_id = c.content_id`,
    );
    details.sessions = Number(sessions ?? 0);
    details.unmatchedSessions = Number(unmatched ?? 0);
    if (details.unmatchedSessions) {
      ctx.log(
        `${details.unmatchedSessions} sessions name a content_id that is not in "${CONTENT_COLLECTION}"`,
      );
    }
    ctx.progress({ rowsRead: documents.length + Number(details.sessions), rowsWritten });

    for (const { spec, sql: toSql } of CROSS_STORE_TABLES) {
      ctx.signal.throwIfAborted();
      const sql = toSql(tx.sql);
      const columns = spec.columns.map((c) => c.name);
      const counts = await syncFromSelect(tx, spec.name, columns, spec.primaryKey, sql, {
        deleteMissing: true,
      });
      rowsWritten += counts.inserted + counts.updated + counts.deleted;
      details[spec.name] = { rows: counts.inserted + counts.updated + counts.unchanged, ...counts };
      ctx.progress({ rowsRead: documents.length + Number(details.sessions), rowsWritten });
    }
    await tx.execute(tx.sql.dropTempTable(CUBE));
    return Number(details.sessions);
  });
  return { rowsRead: documents.length + sessions, rowsWritten, rowsRejected: 0, details };
}
