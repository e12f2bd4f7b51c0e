/**
 * The two cubes the statistics are rolled up from, and how the sessions load builds them as it goes.
 *
 * `generate_stats` sums sessions per country, plan, device and month; `cross_store_stats` per country and
 * title. Each cube is a few thousand rows, read from the warehouse by one scan of the sessions joined to the
 * users ({@linkcode SESSION_CUBE_SQL}, {@linkcode COUNTRY_CONTENT_CUBE_SQL}). When `process_sessions` streams
 * the file into an empty table and no row replaced another, the table holds exactly the rows it accepted, so
 * it adds them up on the way ({@linkcode SessionCubes}) and hands both cubes to the two nodes through the
 * run's read-ahead: the sessions are then scanned after the load only by `create_aggregations` and
 * `validate_data`. Any other load (staged, resumed, with duplicates), a node retried or run on its own,
 * reads the cube with its query. Both give the same numbers to the last bit, so that a second run changes no
 * statistic: sums are of whole cents (exact on both engines, SQLite's REAL included) divided by 100 once, and
 * the cube's rows go into their temporary table in key order (SQLite adds REALs up in the order it reads them).
 * `tests/aggregation_rewrite_test.ts` checks both ways against the reference queries.
 *
 * @module
 */
import { DEVICES, type SessionRecord } from "../contract/types.ts";
// From the modules themselves, not the warehouse's index: the validation worker imports this one.
import { col, decimal, int, text } from "../warehouse/table_spec.ts";
import type { SqlValue, Warehouse } from "../warehouse/types.ts";
import type { ReadRows } from "./temp_table_from_read.ts";

/** The name of `generate_stats`' cube in the pipeline services' `readAhead`. */
export const SESSION_CUBE_READ = "generate_stats:session_cube";
/** The name of `cross_store_stats`' cube in the pipeline services' `readAhead`. */
export const COUNTRY_CONTENT_CUBE_READ = "cross_store_stats:country_content_cube";

/** Sessions per country, plan, device and month: `generate_stats`' columns, in query order. */
export const SESSION_CUBE_COLUMNS = [
  col("country", text(100), true),
  col("subscription_type", text(20), true),
  col("device_type", text(20), true),
  col("month", text(7), true),
  col("sessions", int, true),
  col("minutes", decimal(29, 2), true),
  col("completion_sum", decimal(27, 2), true),
  col("completion_count", int, true),
];

/** The scan behind {@linkcode SESSION_CUBE_COLUMNS} (`month` is a keyword somewhere: quoted). */
export const SESSION_CUBE_SQL = (q: (name: string) => string) => `
SELECT COALESCE(u.country, 'Unknown') AS country,
       COALESCE(u.subscription_type, 'Unknown') AS subscription_type,
       s.device_type AS device_type,
       SUBSTR(s.watch_date, 1, 7) AS ${q("month")},
       COUNT(*) AS sessions,
       SUM(ROUND(s.watch_duration_minutes * 100)) / 100 AS minutes,
       SUM(ROUND(s.completion_percentage * 100)) / 100 AS completion_sum,
       COUNT(s.completion_percentage) AS completion_count
FROM viewing_sessions s LEFT JOIN users u ON u.user_id = s.user_id
GROUP BY COALESCE(u.country, 'Unknown'), COALESCE(u.subscription_type, 'Unknown'), s.device_type,
         SUBSTR(s.watch_date, 1, 7)`;

/**
 * Sessions and minutes per country and title: `cross_store_stats`' columns. `known_user` is 0 for sessions
 * whose user is not in `users` (counted in the details, left out of the statistics).
 */
export const COUNTRY_CONTENT_CUBE_COLUMNS = [
  col("country", text(100), true),
  col("content_id", text(64), true),
  col("known_user", int, true),
  col("sessions", int, true),
  col("minutes", decimal(29, 2), true),
];

/** The scan behind {@linkcode COUNTRY_CONTENT_CUBE_COLUMNS}. */
export const COUNTRY_CONTENT_CUBE_SQL = `
SELECT COALESCE(u.country, 'Unknown') AS country, s.content_id AS content_id,
       CASE WHEN u.user_id IS NULL THEN 0 ELSE 1 END AS known_user,
       COUNT(*) AS sessions,
       SUM(ROUND(s.watch_duration_minutes * 100)) / 100 AS minutes
FROM viewing_sessions s LEFT JOIN users u ON u.user_id = s.user_id
GROUP BY COALESCE(u.country, 'Unknown'), s.content_id, CASE WHEN u.user_id IS NULL THEN 0 ELSE 1 END`;

/** Users read per query while the user index is built (keyset pages: no result holds every user). */
const USER_PAGE = 20_000;

const cents = (value: number) => Math.round(value * 100);
const DEVICE_INDEX = new Map<string, number>(DEVICES.map((d, i) => [d, i]));

/**
 * Every user's group, as {@linkcode readUserGroups} reads them: what {@linkcode SessionCubes.fromUsers} is built
 * from, in plain arrays, so that it can be posted to the worker that validates the sessions.
 */
export interface UserGroups {
  /** Each user's index into `groupCountry` and `groupPlan`, by id. */
  index: UserIndexData;
  /** Per distinct (country, plan) pair of the users: the country's index into `countries`, and the plan. */
  groupCountry: number[];
  groupPlan: string[];
  countries: string[];
}

/** Reads every user's country and plan, a page at a time (keyset pages: no result holds every user). */
export async function readUserGroups(wh: Warehouse): Promise<UserGroups> {
  const index = new UserIndex();
  const groupCountry: number[] = [];
  const groupPlan: string[] = [];
  const countries: string[] = [];
  const groupOf = new Map<string, number>();
  const countryOf = new Map<string, number>();
  let after: string | null = null;
  for (;;) {
    const page: { user_id: string; country: string | null; subscription_type: string | null }[] = await wh
      .query(
        `SELECT user_id, country, subscription_type FROM users ${after === null ? "" : "WHERE user_id > ?"}
         ORDER BY user_id LIMIT ${USER_PAGE}`,
        after === null ? [] : [after],
      );
    for (const user of page) {
      const country = user.country ?? "Unknown";
      const plan = user.subscription_type ?? "Unknown";
      // A country's or plan's name has no tab: the pair's key is unambiguous.
      const pair = `${country}\t${plan}`;
      let group = groupOf.get(pair);
      if (group === undefined) {
        let countryIndex = countryOf.get(country);
        if (countryIndex === undefined) {
          countryIndex = countries.push(country) - 1;
          countryOf.set(country, countryIndex);
        }
        group = groupCountry.push(countryIndex) - 1;
        groupPlan.push(plan);
        groupOf.set(pair, group);
      }
      index.set(user.user_id, group);
    }
    if (page.length < USER_PAGE) break;
    after = page[page.length - 1].user_id;
  }
  return { index: index.data(), groupCountry, groupPlan, countries };
}

/** {@linkcode UserIndex}'s contents as plain values, to be posted between threads. */
export interface UserIndexData {
  /**
   * Ids of one form, a prefix and a fixed number of digits (`U00042`), by their number: group + 1, 0 for no
   * user. Ids like this are most ids (the generator's and the original files' are all like this).
   */
  numbered: { prefix: string; length: number; groups: Int32Array } | null;
  /** Every other id, and its group. */
  ids: string[];
  groups: number[];
}

/** Numbers of {@linkcode UserIndexData.numbered} up to this are kept in its array (16 MiB at most). */
const MAX_NUMBERED = 1 << 22;

/**
 * A user's group by id, for the hot loop of the sessions: an id of the usual form (a prefix and digits) is
 * found by its number in an array, without hashing a string, and 500,000 users take 2 MiB, not the 50 MiB of
 * a Map of strings; other ids are in a Map.
 */
export class UserIndex {
  #numbered: { prefix: string; length: number; groups: Int32Array } | null;
  #others = new Map<string, number>();
  #size = 0;

  constructor(data?: UserIndexData) {
    this.#numbered = data?.numbered ?? null;
    if (!data) return;
    if (this.#numbered) { for (const g of this.#numbered.groups) if (g !== 0) this.#size++; }
    for (let i = 0; i < data.ids.length; i++) this.#others.set(data.ids[i], data.groups[i]);
    this.#size += data.ids.length;
  }

  /** Users in the index. */
  get size(): number {
    return this.#size;
  }

  /** The number of `id` in the numbered form, or -1. */
  #numberOf(id: string): number {
    const numbered = this.#numbered;
    if (numbered === null || id.length !== numbered.length || !id.startsWith(numbered.prefix)) return -1;
    let n = 0;
    for (let i = numbered.prefix.length; i < id.length; i++) {
      const digit = id.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return -1;
      n = n * 10 + digit;
    }
    return n;
  }

  /** Sets the group of `id` (a non-negative integer). */
  set(id: string, group: number): void {
    if (this.#numbered === null && this.#size === 0) {
      // The first id sets the form: its leading non-digits, then at least one digit (at most nine).
      const prefix = /^\D*/.exec(id)![0];
      const digits = id.length - prefix.length;
      if (digits >= 1 && digits <= 9 && /^\d+$/.test(id.slice(prefix.length))) {
        this.#numbered = { prefix, length: id.length, groups: new Int32Array(1024) };
      }
    }
    const n = this.#numberOf(id);
    const numbered = this.#numbered;
    if (numbered !== null && n >= 0 && n < MAX_NUMBERED) {
      if (n >= numbered.groups.length) {
        let length = numbered.groups.length;
        while (length <= n) length *= 2;
        const grown = new Int32Array(Math.min(length, MAX_NUMBERED));
        grown.set(numbered.groups);
        numbered.groups = grown;
      }
      if (numbered.groups[n] === 0) this.#size++;
      numbered.groups[n] = group + 1;
      return;
    }
    if (!this.#others.has(id)) this.#size++;
    this.#others.set(id, group);
  }

  /** The group of `id`, or `undefined` for no such user. */
  get(id: string): number | undefined {
    const n = this.#numberOf(id);
    if (n >= 0 && n < MAX_NUMBERED) {
      const group = n < this.#numbered!.groups.length ? this.#numbered!.groups[n] : 0;
      return group === 0 ? undefined : group - 1;
    }
    return this.#others.size === 0 ? undefined : this.#others.get(id);
  }

  /** The index as plain values. */
  data(): UserIndexData {
    return { numbered: this.#numbered, ids: [...this.#others.keys()], groups: [...this.#others.values()] };
  }
}

/** The two cubes' rows, as {@linkcode SessionCubes} sums them: plain arrays, to be posted between threads. */
export interface CubeRows {
  session: SqlValue[][];
  countryContent: SqlValue[][];
}

/** `generate_stats`' cube from rows summed while loading, as its query would have read them. */
export function sessionCubeRead(wh: Warehouse, rows: SqlValue[][]): ReadRows {
  return { select: SESSION_CUBE_SQL(wh.sql.quote), columns: SESSION_CUBE_COLUMNS.map((c) => c.name), rows };
}

/** `cross_store_stats`' cube from rows summed while loading, as its query would have read them. */
export function countryContentCubeRead(rows: SqlValue[][]): ReadRows {
  return { select: COUNTRY_CONTENT_CUBE_SQL, columns: COUNTRY_CONTENT_CUBE_COLUMNS.map((c) => c.name), rows };
}

/**
 * Each user's country and plan (as small numbers), and the two cubes summed over the sessions added. Memory
 * grows with the users and the cubes' groups, not with the sessions; adding a session hashes its user and
 * title ids once each and nothing else (the cells are found by array index).
 */
export class SessionCubes {
  /** user_id -> index into #groupCountry / #groupPlan. */
  #userGroup: UserIndex;
  /** Per distinct (country, plan) pair of the users: the country's index, and the plan. */
  #groupCountry: number[];
  #groupPlan: string[];
  #countries: string[];
  /** Months as SQL's SUBSTR(watch_date, 1, 7) gives them (null: no date), by index. */
  #months: (string | null)[] = [];
  /** A month's index by the number YYYYMM (the dates are normalised), or by its text otherwise. */
  #monthByNumber = new Map<number, number>();
  #monthByText = new Map<string | null, number>();
  #contents: string[] = [];
  #contentIndex = new Map<string, number>();
  /** The session cube: per month, per group x device, the slot of four sums in #sessionSums. */
  #sessionSlots: number[][] = [];
  /** sessions, minutes (cents), completion sum (cents), completion count; per slot. */
  #sessionSums: number[] = [];
  /** month, group, device; per slot (a third of the slot's index in #sessionSums). */
  #sessionKeys: number[] = [];
  /** The title cube: per title, per country, the slot of two sums (sessions, minutes in cents). */
  #contentSlots: number[][] = [];
  #contentSums: number[] = [];
  /** title, country; per slot. */
  #contentKeys: number[] = [];

  private constructor(users: UserGroups) {
    this.#groupCountry = users.groupCountry;
    this.#groupPlan = users.groupPlan;
    this.#countries = users.countries;
    this.#userGroup = new UserIndex(users.index);
  }

  /** The cubes of the users read by {@linkcode readUserGroups}, with nothing added yet. */
  static fromUsers(users: UserGroups): SessionCubes {
    return new SessionCubes(users);
  }

  /**
   * Adds accepted sessions given flat, as a validated batch holds them (`ValidatedBatch.rows`): each row is
   * `width` values, its line first, then the values of `columns` in order. The main thread sums a load's
   * batches this way while the worker validates the next ones.
   */
  addRows(flat: readonly SqlValue[], columns: readonly string[]): void {
    const width = columns.length + 1;
    const at = (name: keyof SessionRecord) => {
      const index = columns.indexOf(name);
      if (index < 0) throw new RangeError(`Cannot add sessions without their "${name}" column`);
      return index + 1;
    };
    const id = at("session_id"), user = at("user_id"), content = at("content_id"), date = at("watch_date");
    const device = at("device_type"), minutes = at("watch_duration_minutes");
    const completion = at("completion_percentage");
    for (let row = 0; row < flat.length; row += width) {
      this.#add(
        flat[row + id] as string,
        flat[row + user] as string,
        flat[row + content] as string,
        flat[row + date] as string | null,
        flat[row + device] as string,
        flat[row + minutes] as number,
        flat[row + completion] as number | null,
      );
    }
  }

  #add(
    sessionId: string,
    userId: string,
    contentId: string,
    watchDate: string | null,
    deviceType: string,
    watchMinutes: number,
    completion: number | null,
  ): void {
    const group = this.#userGroup.get(userId);
    if (group === undefined) throw new RangeError(`session ${sessionId}: unknown user`);
    const month = this.#monthOf(watchDate);
    const device = DEVICE_INDEX.get(deviceType)!;
    const minutes = cents(watchMinutes);

    const byCell = this.#sessionSlots[month] ??= [];
    const cell = group * DEVICES.length + device;
    let slot = byCell[cell];
    if (slot === undefined) {
      slot = this.#sessionSums.push(0, 0, 0, 0) - 4;
      byCell[cell] = slot;
      this.#sessionKeys.push(month, group, device);
    }
    const sums = this.#sessionSums;
    sums[slot]++;
    sums[slot + 1] += minutes;
    if (completion !== null) {
      sums[slot + 2] += cents(completion);
      sums[slot + 3]++;
    }

    let content = this.#contentIndex.get(contentId);
    if (content === undefined) {
      content = this.#contents.push(contentId) - 1;
      this.#contentIndex.set(contentId, content);
      this.#contentSlots.push([]);
    }
    const byCountry = this.#contentSlots[content];
    const country = this.#groupCountry[group];
    let contentSlot = byCountry[country];
    if (contentSlot === undefined) {
      contentSlot = this.#contentSums.push(0, 0) - 2;
      byCountry[country] = contentSlot;
      this.#contentKeys.push(content, country);
    }
    this.#contentSums[contentSlot]++;
    this.#contentSums[contentSlot + 1] += minutes;
  }

  /** The index of the month of `date` (`YYYY-MM...` as the validators write it; any other text works too). */
  #monthOf(date: string | null): number {
    if (date === null) return this.#monthText(null);
    // YYYYMM as a number, when the first seven characters are four digits, a dash and two digits.
    let number = 0;
    for (let i = 0; i < 7; i++) {
      const c = date.charCodeAt(i) - 48;
      if (i === 4) {
        if (c !== -3) return this.#monthText(date.slice(0, 7));
      } else if (c >= 0 && c <= 9) {
        number = number * 10 + c;
      } else {
        return this.#monthText(date.slice(0, 7));
      }
    }
    const found = this.#monthByNumber.get(number);
    if (found !== undefined) return found;
    const index = this.#monthText(date.slice(0, 7));
    this.#monthByNumber.set(number, index);
    return index;
  }

  #monthText(month: string | null): number {
    let index = this.#monthByText.get(month);
    if (index === undefined) {
      index = this.#months.push(month) - 1;
      this.#monthByText.set(month, index);
    }
    return index;
  }

  /** `generate_stats`' cube, as its query would have read it from the sessions added. */
  sessionCube(wh: Warehouse): ReadRows {
    return sessionCubeRead(wh, this.rows().session);
  }

  /** `cross_store_stats`' cube, as its query would have read it from the sessions added. */
  countryContentCube(): ReadRows {
    return countryContentCubeRead(this.rows().countryContent);
  }

  /** Both cubes' rows, in the columns of {@linkcode SESSION_CUBE_COLUMNS} and {@linkcode COUNTRY_CONTENT_CUBE_COLUMNS}. */
  rows(): CubeRows {
    const session: SqlValue[][] = [];
    const sums = this.#sessionSums;
    const keys = this.#sessionKeys;
    for (let slot = 0; slot < sums.length; slot += 4) {
      const [month, group, device] = keys.slice((slot / 4) * 3, (slot / 4) * 3 + 3);
      session.push([
        this.#countries[this.#groupCountry[group]],
        this.#groupPlan[group],
        DEVICES[device],
        this.#months[month],
        sums[slot],
        sums[slot + 1] / 100,
        sums[slot + 3] === 0 ? null : sums[slot + 2] / 100,
        sums[slot + 3],
      ]);
    }
    const countryContent: SqlValue[][] = [];
    const contentSums = this.#contentSums;
    for (let slot = 0; slot < contentSums.length; slot += 2) {
      const content = this.#contentKeys[slot];
      const country = this.#contentKeys[slot + 1];
      countryContent.push([
        this.#countries[country],
        this.#contents[content],
        1,
        contentSums[slot],
        contentSums[slot + 1] / 100,
      ]);
    }
    return { session, countryContent };
  }
}
