/**
 * Per-user running sums of a partitioned dataset, so that `user_metrics` follows the new rows instead of
 * rescanning every touched user's whole history.
 *
 * `part_user_device_cube` holds, per user and device, the additive parts of the user's metrics (sessions,
 * minutes and completion in cents, the number of completions given) and the first and last watch date.
 * `user_metrics` is derived from it alone (`userMetricsFromCubeSql`): totals and averages from the sums, the
 * favourite device as the device with the most sessions (ties to the first name, as in `user_metrics.ts`),
 * first and last activity as the cells' MIN and MAX. A full refresh builds the cube from all sessions; an
 * incremental load adds the parts of the touched sessions' new rows and subtracts those of their old rows.
 *
 * The dates are not additive. A cell's first date stays right while none of the rows removed from it had
 * that date, or a row added has it or an earlier one; otherwise (a replaced or emptied day that held the
 * user's first or last session on that device) only that cell's dates are read again from its sessions,
 * through the `(user_id, device_type)` index.
 *
 * @module
 */
import { SESSIONS_INPUT, tableColumns, USERS_INPUT } from "../../contract/mod.ts";
import { datetime, int, type TempColumn, type Warehouse } from "../../warehouse/mod.ts";
import { USER_DEVICE_CUBE_TABLE } from "./partition_tables.ts";

/** The cube's sums, in table order after its key (user_id, device_type). */
const SUMS = ["sessions", "minutes_cents", "completion_cents", "completion_count"] as const;
/** The cube's columns, in table order. */
export const USER_DEVICE_CUBE_COLUMNS: readonly string[] = [
  "user_id",
  "device_type",
  ...SUMS,
  "first_date",
  "last_date",
];

/** The cube's cells over the sessions in `from` (aliased `s`): sums in cents, exact on both engines. */
export const userDeviceCellsSql = (from: string): string => `
SELECT s.user_id AS user_id, s.device_type AS device_type,
       COUNT(*) AS sessions,
       SUM(ROUND(s.watch_duration_minutes * 100)) AS minutes_cents,
       COALESCE(SUM(ROUND(s.completion_percentage * 100)), 0) AS completion_cents,
       COUNT(s.completion_percentage) AS completion_count,
       MIN(s.watch_date) AS first_date,
       MAX(s.watch_date) AS last_date
FROM ${from}
GROUP BY s.user_id, s.device_type`;

/** Rebuilds the cube from all sessions. */
export async function rebuildUserDeviceCube(wh: Warehouse): Promise<void> {
  await wh.execute(wh.sql.truncate(USER_DEVICE_CUBE_TABLE));
  await wh.execute(
    `INSERT INTO ${USER_DEVICE_CUBE_TABLE} (${USER_DEVICE_CUBE_COLUMNS.join(", ")}) ${
      userDeviceCellsSql("viewing_sessions s")
    }`,
  );
}

/**
 * `user_metrics`' rows for the users listed in `users` (a table with a `user_id`, or `users` itself), from
 * the cube alone: the same columns and values as `USER_METRICS_SQL` over the sessions. Averages divide exact
 * sums of cents (within a unit of the last place of the engine's own average of the sessions); the
 * favourite device is looked up per user among at most one cell per device, by the cube's key.
 */
export const userMetricsFromCubeSql = (users: string): string => `
SELECT u.user_id AS user_id,
       COALESCE(SUM(c.sessions), 0) AS total_sessions,
       COALESCE(SUM(c.minutes_cents), 0) / 100.0 AS total_minutes,
       SUM(c.minutes_cents) / 100.0 / SUM(c.sessions) AS avg_minutes,
       SUM(c.completion_cents) / 100.0 / NULLIF(SUM(c.completion_count), 0) AS avg_completion,
       (SELECT f.device_type FROM ${USER_DEVICE_CUBE_TABLE} f WHERE f.user_id = u.user_id
        ORDER BY f.sessions DESC, f.device_type ASC LIMIT 1) AS favorite_device,
       MIN(c.first_date) AS first_activity,
       MAX(c.last_date) AS last_activity
FROM ${users === "users" ? "users u" : `${users} tu CROSS JOIN users u ON u.user_id = tu.user_id`}
LEFT JOIN ${USER_DEVICE_CUBE_TABLE} c ON c.user_id = u.user_id
GROUP BY u.user_id`;

/** What `UserDeviceDelta.apply` did. */
export interface UserDeltaCounts {
  /** Cells the touched sessions fall in (changed or not). */
  cells: number;
  /** Cells left without sessions, deleted. */
  deleted: number;
  /** Cells whose first or last date had to be read again from their sessions. */
  datesReread: number;
}

const PARTS = "tmp_user_parts";
const NEXT = "tmp_user_next";
const userIdColumn = tableColumns(USERS_INPUT).find((c) => c.name === USERS_INPUT.key)!;
const deviceColumn = tableColumns(SESSIONS_INPUT).find((c) => c.name === "device_type")!;
const DATES = ["removed_first", "removed_last", "added_first", "added_last"];
/** The parts of a change, one row per cell and sign; the next cells, one row per cell. */
const PARTS_COLUMNS: TempColumn[] = [
  { name: "user_id", type: userIdColumn.type },
  { name: "device_type", type: deviceColumn.type },
  ...SUMS.map((name) => ({ name, type: int })),
  ...DATES.map((name) => ({ name, type: datetime, nullable: true })),
];
const NEXT_COLUMNS: TempColumn[] = [
  { name: "user_id", type: userIdColumn.type },
  { name: "device_type", type: deviceColumn.type },
  ...SUMS.map((name) => ({ name, type: int })),
  { name: "first_date", type: datetime, nullable: true },
  { name: "last_date", type: datetime, nullable: true },
  { name: "reread", type: int },
  { name: "was_stored", type: int },
];

const partsSql = (from: string, sign: 1 | -1) => {
  const date = (fn: "MIN" | "MAX", removed: boolean) =>
    (sign === -1) === removed ? `${fn}(s.watch_date)` : "NULL";
  return `
SELECT s.user_id AS user_id, s.device_type AS device_type,
       ${sign} * COUNT(*) AS sessions,
       ${sign} * SUM(ROUND(s.watch_duration_minutes * 100)) AS minutes_cents,
       ${sign} * COALESCE(SUM(ROUND(s.completion_percentage * 100)), 0) AS completion_cents,
       ${sign} * COUNT(s.completion_percentage) AS completion_count,
       ${date("MIN", true)} AS removed_first, ${date("MAX", true)} AS removed_last,
       ${date("MIN", false)} AS added_first, ${date("MAX", false)} AS added_last
FROM ${from}
GROUP BY s.user_id, s.device_type`;
};

/** The earlier (`<`) or later (`>`) of two dates, either of which may be NULL. */
const pick = (a: string, b: string, op: "<" | ">") =>
  `CASE WHEN ${a} IS NULL THEN ${b} WHEN ${b} IS NULL OR ${a} ${op}= ${b} THEN ${a} ELSE ${b} END`;
/**
 * A cell's next first (`<`) or last (`>`) date, and whether it can be told without its sessions: a row
 * removed held the stored one unless its date differs from it, or a row added has it or one beyond it.
 */
function nextDate(stored: string, removed: string, added: string, op: "<" | ">") {
  const beyond = op === "<" ? ">" : "<";
  const kept = `(${removed} IS NULL OR ${stored} IS NULL OR ${removed} ${beyond} ${stored})`;
  const known = `(${removed} IS NULL OR (c.user_id IS NOT NULL AND (${kept} OR ${added} ${op}= ${stored})))`;
  const value = `CASE WHEN c.user_id IS NULL THEN ${added} WHEN ${kept} THEN ${
    pick(stored, added, op)
  } ELSE ${added} END`;
  return { known, value };
}

const first = nextDate("c.first_date", "d.removed_first", "d.added_first", "<");
const last = nextDate("c.last_date", "d.removed_last", "d.added_last", ">");
const NEXT_SQL = `
SELECT d.user_id AS user_id, d.device_type AS device_type,
       ${SUMS.map((s) => `COALESCE(c.${s}, 0) + d.${s} AS ${s}`).join(",\n       ")},
       ${first.value} AS first_date,
       ${last.value} AS last_date,
       CASE WHEN ${first.known} AND ${last.known} THEN 0 ELSE 1 END AS reread,
       CASE WHEN c.user_id IS NULL THEN 0 ELSE 1 END AS was_stored
FROM (
  SELECT user_id, device_type, ${SUMS.map((s) => `SUM(${s}) AS ${s}`).join(", ")},
         MIN(removed_first) AS removed_first, MAX(removed_last) AS removed_last,
         MIN(added_first) AS added_first, MAX(added_last) AS added_last
  FROM ${PARTS}
  GROUP BY user_id, device_type
) d
LEFT JOIN ${USER_DEVICE_CUBE_TABLE} c ON c.user_id = d.user_id AND c.device_type = d.device_type`;

/**
 * The change of the cube made by one incremental load, kept in the warehouse (temporary tables of the
 * transaction's connection): `add(-1)` over the touched sessions' rows before they are replaced, `add(+1)`
 * over their rows after, then `apply`. Set-based: it costs what the touched sessions and their cells do.
 */
export class UserDeviceDelta {
  #started = false;

  /** Adds (sign 1) or subtracts (sign -1) the parts of the sessions in `from` (aliased `s`). */
  async add(wh: Warehouse, from: string, sign: 1 | -1): Promise<void> {
    if (!this.#started) {
      await wh.execute(wh.sql.dropTempTable(PARTS));
      const made = wh.sql.createTempTableAs(
        PARTS,
        ["user_id", "device_type"],
        partsSql(from, sign),
        PARTS_COLUMNS,
      );
      for (const statement of made.statements) await wh.execute(statement);
      this.#started = true;
      return;
    }
    const columns = PARTS_COLUMNS.map((c) => c.name).join(", ");
    await wh.execute(`INSERT INTO ${PARTS} (${columns}) ${partsSql(from, sign)}`);
  }

  /**
   * Applies the change to the cube, once `viewing_sessions` holds the new rows: the next cells from the
   * stored ones and the parts, their dates read again where they cannot be told, upserted (unchanged cells
   * are not written); cells left without sessions are deleted.
   */
  async apply(wh: Warehouse): Promise<UserDeltaCounts> {
    const counts: UserDeltaCounts = { cells: 0, deleted: 0, datesReread: 0 };
    if (!this.#started) return counts;
    await wh.execute(wh.sql.dropTempTable(NEXT));
    const made = wh.sql.createTempTableAs(NEXT, ["user_id", "device_type"], NEXT_SQL, NEXT_COLUMNS);
    for (const statement of made.statements) await wh.execute(statement);
    const [summary] = await wh.query<{ cells: number; bad: number | null; reread: number | null }>(
      `SELECT COUNT(*) AS cells,
              SUM(CASE WHEN sessions < 0 OR minutes_cents < 0 OR completion_count < 0
                    OR (sessions = 0 AND (minutes_cents <> 0 OR completion_cents <> 0 OR completion_count <> 0))
                  THEN 1 ELSE 0 END) AS bad,
              SUM(CASE WHEN reread = 1 AND sessions > 0 THEN 1 ELSE 0 END) AS reread
       FROM ${NEXT}`,
    );
    if (Number(summary.bad ?? 0) > 0) {
      throw new Error(
        `The per-user sums (${USER_DEVICE_CUBE_TABLE}) do not match the sessions for ${summary.bad} users' devices: run with --full-refresh`,
      );
    }
    counts.cells = Number(summary.cells);
    counts.datesReread = Number(summary.reread ?? 0);
    if (counts.datesReread > 0) {
      // Through the (user_id, device_type) index: only these cells' sessions are read.
      const of = (fn: string) =>
        `(SELECT ${fn}(s.watch_date) FROM viewing_sessions s
          WHERE s.user_id = ${NEXT}.user_id AND s.device_type = ${NEXT}.device_type)`;
      await wh.execute(
        `UPDATE ${NEXT} SET first_date = ${of("MIN")}, last_date = ${
          of("MAX")
        } WHERE reread = 1 AND sessions > 0`,
      );
    }
    const columns = USER_DEVICE_CUBE_COLUMNS.join(", ");
    await wh.execute(
      `INSERT INTO ${USER_DEVICE_CUBE_TABLE} (${columns}) SELECT ${columns} FROM ${NEXT} WHERE sessions > 0 ${
        wh.sql.upsertClause(USER_DEVICE_CUBE_TABLE, USER_DEVICE_CUBE_COLUMNS, ["user_id", "device_type"])
      }`,
    );
    const emptied = await wh.query<{ user_id: string; device_type: string }>(
      `SELECT user_id, device_type FROM ${NEXT} WHERE sessions = 0 AND was_stored = 1`,
    );
    for (let at = 0; at < emptied.length; at += 200) {
      const chunk = emptied.slice(at, at + 200);
      await wh.execute(
        `DELETE FROM ${USER_DEVICE_CUBE_TABLE} WHERE ${
          chunk.map(() => "(user_id = ? AND device_type = ?)").join(" OR ")
        }`,
        chunk.flatMap((c) => [c.user_id, c.device_type]),
      );
    }
    counts.deleted = emptied.length;
    await wh.execute(wh.sql.dropTempTable(NEXT));
    await wh.execute(wh.sql.dropTempTable(PARTS));
    this.#started = false;
    return counts;
  }
}
