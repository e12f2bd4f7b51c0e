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
import type { SqlValue, Warehouse } from "../../warehouse/mod.ts";
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
 * `user_metrics`' rows for the users listed in `users` (a table or `users`, aliased `tu`, with a `user_id`),
 * from the cube alone: the same columns and values as `USER_METRICS_SQL` over the sessions. Averages divide
 * exact sums of cents (within a unit of the last place of the engine's own average of the sessions).
 */
export const userMetricsFromCubeSql = (users: string): string => {
  const cells = users === "users"
    ? `${USER_DEVICE_CUBE_TABLE} c`
    : `${users} tu CROSS JOIN ${USER_DEVICE_CUBE_TABLE} c ON c.user_id = tu.user_id`;
  const from = users === "users" ? "users u" : `${users} tu CROSS JOIN users u ON u.user_id = tu.user_id`;
  return `
SELECT u.user_id AS user_id,
       COALESCE(a.total_sessions, 0) AS total_sessions,
       COALESCE(a.total_minutes, 0) AS total_minutes,
       a.avg_minutes AS avg_minutes,
       a.avg_completion AS avg_completion,
       f.device_type AS favorite_device,
       a.first_activity AS first_activity,
       a.last_activity AS last_activity
FROM ${from}
LEFT JOIN (
  SELECT c.user_id AS user_id,
         SUM(c.sessions) AS total_sessions,
         SUM(c.minutes_cents) / 100.0 AS total_minutes,
         SUM(c.minutes_cents) / 100.0 / SUM(c.sessions) AS avg_minutes,
         SUM(c.completion_cents) / 100.0 / NULLIF(SUM(c.completion_count), 0) AS avg_completion,
         MIN(c.first_date) AS first_activity,
         MAX(c.last_date) AS last_activity
  FROM ${cells}
  GROUP BY c.user_id
) a ON a.user_id = u.user_id
LEFT JOIN (
  SELECT user_id, device_type
  FROM (
    SELECT c.user_id AS user_id, c.device_type AS device_type,
           ROW_NUMBER() OVER (PARTITION BY c.user_id ORDER BY c.sessions DESC, c.device_type ASC) AS rn
    FROM ${cells}
  ) ranked
  WHERE rn = 1
) f ON f.user_id = u.user_id`;
};

/** A watch date as text (`YYYY-MM-DD HH:MM:SS`, which sorts as it reads), or none. */
type Day = string | null;
interface CellChange {
  user: string;
  device: string;
  sums: number[];
  removed: { first: Day; last: Day };
  added: { first: Day; last: Day };
}

const earlier = (a: Day, b: Day): Day => (a === null ? b : b === null ? a : a < b ? a : b);
const later = (a: Day, b: Day): Day => (a === null ? b : b === null ? a : a > b ? a : b);
/** A date as both engines give it back (text: the MySQL adapter reads DATETIME as text). */
const asText = (value: unknown): Day => (value === null || value === undefined ? null : String(value));

/** What `UserDeviceDelta.apply` did. */
export interface UserDeltaCounts {
  /** Cells changed (sums or dates). */
  cells: number;
  /** Cells left without sessions, deleted. */
  deleted: number;
  /** Cells whose first or last date had to be read again from their sessions. */
  datesReread: number;
}

/**
 * The change of the cube made by one incremental load: `add(-1)` over the touched sessions' rows before they
 * are replaced, `add(+1)` over their rows after, then `apply`.
 */
export class UserDeviceDelta {
  #cells = new Map<string, CellChange>();

  /** Adds (sign 1) or subtracts (sign -1) the parts of the sessions in `from` (aliased `s`). */
  async add(wh: Warehouse, from: string, sign: 1 | -1): Promise<void> {
    const rows = await wh.query<Record<string, SqlValue>>(userDeviceCellsSql(from));
    for (const row of rows) {
      const user = String(row.user_id);
      const device = String(row.device_type);
      const id = JSON.stringify([user, device]);
      let cell = this.#cells.get(id);
      if (!cell) {
        cell = {
          user,
          device,
          sums: SUMS.map(() => 0),
          removed: { first: null, last: null },
          added: { first: null, last: null },
        };
        this.#cells.set(id, cell);
      }
      SUMS.forEach((s, i) => (cell.sums[i] += sign * Number(row[s] ?? 0)));
      const dates = sign === 1 ? cell.added : cell.removed;
      dates.first = earlier(dates.first, asText(row.first_date));
      dates.last = later(dates.last, asText(row.last_date));
    }
  }

  /** The users whose cells change. */
  get users(): string[] {
    return [...new Set([...this.#cells.values()].map((c) => c.user))];
  }

  /**
   * Applies the change to the cube, once `viewing_sessions` holds the new rows: reads the stored cells of
   * the users in `touchedUsers` (a table with a `user_id` that lists at least the users changed), upserts
   * the changed cells, deletes the emptied ones, and reads a cell's dates again where they cannot be told.
   */
  async apply(wh: Warehouse, touchedUsers: string): Promise<UserDeltaCounts> {
    const counts: UserDeltaCounts = { cells: 0, deleted: 0, datesReread: 0 };
    if (this.#cells.size === 0) return counts;
    const stored = new Map<string, Record<string, SqlValue>>();
    const rows = await wh.query<Record<string, SqlValue>>(
      `SELECT c.* FROM ${touchedUsers} t CROSS JOIN ${USER_DEVICE_CUBE_TABLE} c ON c.user_id = t.user_id`,
    );
    for (const row of rows) stored.set(JSON.stringify([String(row.user_id), String(row.device_type)]), row);
    const upserts: SqlValue[][] = [];
    const deletes: [string, string][] = [];
    const reread = new Map<string, SqlValue[]>();
    for (const [id, cell] of this.#cells) {
      const old = stored.get(id);
      const sums = SUMS.map((s, i) => Number(old?.[s] ?? 0) + cell.sums[i]);
      if (sums.some((n) => n < 0) || (sums[0] === 0 && sums.some((n) => n !== 0))) {
        throw new Error(
          `The per-user sums of ${cell.user} on ${cell.device} do not match the sessions (run with --full-refresh)`,
        );
      }
      const unchanged = old && cell.sums.every((n) => n === 0) &&
        cell.removed.first === cell.added.first && cell.removed.last === cell.added.last;
      if (unchanged) continue;
      if (sums[0] === 0) {
        if (old) deletes.push([cell.user, cell.device]);
        continue;
      }
      const oldFirst = asText(old?.first_date ?? null);
      const oldLast = asText(old?.last_date ?? null);
      // The first date: a removed row held it (it is the earliest of the old rows) unless an added row has
      // it or an earlier one; then it is read again.
      let first: Day | undefined;
      if (!old) first = cell.removed.first === null ? cell.added.first : undefined;
      else if (cell.removed.first === null || oldFirst === null || cell.removed.first > oldFirst) {
        first = earlier(oldFirst, cell.added.first);
      } else if (cell.added.first !== null && cell.added.first <= oldFirst) first = cell.added.first;
      let last: Day | undefined;
      if (!old) last = cell.removed.last === null ? cell.added.last : undefined;
      else if (cell.removed.last === null || oldLast === null || cell.removed.last < oldLast) {
        last = later(oldLast, cell.added.last);
      } else if (cell.added.last !== null && cell.added.last >= oldLast) last = cell.added.last;
      const row: SqlValue[] = [cell.user, cell.device, ...sums, first ?? null, last ?? null];
      if (first === undefined || last === undefined) reread.set(id, row);
      upserts.push(row);
    }
    if (reread.size > 0) {
      counts.datesReread = reread.size;
      const users = [...new Set([...reread.values()].map((row) => String(row[0])))];
      for (let at = 0; at < users.length; at += 500) {
        const chunk = users.slice(at, at + 500);
        const dates = await wh.query<Record<string, SqlValue>>(
          `SELECT user_id, device_type, MIN(watch_date) AS first_date, MAX(watch_date) AS last_date
           FROM viewing_sessions WHERE user_id IN (${chunk.map(() => "?").join(", ")})
           GROUP BY user_id, device_type`,
          chunk,
        );
        for (const d of dates) {
          const row = reread.get(JSON.stringify([String(d.user_id), String(d.device_type)]));
          if (!row) continue;
          row[6] = asText(d.first_date);
          row[7] = asText(d.last_date);
        }
      }
    }
    if (upserts.length > 0) {
      await wh.upsert(USER_DEVICE_CUBE_TABLE, USER_DEVICE_CUBE_COLUMNS, ["user_id", "device_type"], upserts);
    }
    for (let at = 0; at < deletes.length; at += 200) {
      const chunk = deletes.slice(at, at + 200);
      await wh.execute(
        `DELETE FROM ${USER_DEVICE_CUBE_TABLE} WHERE ${
          chunk.map(() => "(user_id = ? AND device_type = ?)").join(" OR ")
        }`,
        chunk.flat(),
      );
    }
    counts.cells = upserts.length + deletes.length;
    counts.deleted = deletes.length;
    return counts;
  }
}
