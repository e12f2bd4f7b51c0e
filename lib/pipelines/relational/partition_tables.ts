/**
 * The tables of partitioned (incremental) loading: the ledger of loaded files, every file's version of its
 * sessions, the sessions and users a run touched, and the two cubes the statistics are rolled up from.
 * A leaf of the pipelines: it imports only the contract and the warehouse's table types.
 *
 * @module
 */
import { SESSIONS_INPUT, tableColumns, USERS_INPUT } from "../../contract/mod.ts";
import { col, int, type TableSpec, text } from "../../warehouse/mod.ts";

/** The ledger: one row per input file currently loaded (sessions partitions and `users.csv`). */
export const PARTITIONS_TABLE = "etl_partitions";
/** Each loaded file's last row of each session (`file` and `line` first), the source of `viewing_sessions`. */
export const SESSION_VERSIONS_TABLE = "session_versions";
/** Sessions and users whose rows changed in the current run. */
export const TOUCHED_SESSIONS_TABLE = "etl_touched_sessions";
export const TOUCHED_USERS_TABLE = "etl_touched_users";
/** Sessions summed by country x plan x device x month (`''` for no date), in cents: exact on both engines. */
export const SESSION_CUBE_TABLE = "part_session_cube";
/** Sessions summed by country x content, in cents, for the cross-store statistics. */
export const CONTENT_CUBE_TABLE = "part_content_cube";
/**
 * Which load the derived tables were last computed from: `cubes` names the run that last changed the cubes,
 * `stats` and `cross_store` the cubes' run their tables were rolled up from (equal: nothing to redo).
 */
export const DERIVED_MARKS_TABLE = "part_derived_marks";
/** Sessions summed by user x device, in cents, with the first and last watch date: `user_metrics`' source. */
export const USER_DEVICE_CUBE_TABLE = "part_user_device_cube";

const sessionId = tableColumns(SESSIONS_INPUT).find((c) => c.name === SESSIONS_INPUT.key)!;
const userId = tableColumns(USERS_INPUT).find((c) => c.name === USERS_INPUT.key)!;
const sessionColumn = (name: string) => tableColumns(SESSIONS_INPUT).find((c) => c.name === name)!;

/** The partition tables, created by `create_schema` with the data tables (and dropped by `--fresh`). */
export const PARTITION_TABLES: TableSpec[] = [
  {
    name: PARTITIONS_TABLE,
    columns: [
      col("file", text(255)),
      col("kind", text(16)),
      col("partition_name", text(64)),
      col("bytes", int),
      col("mtime_ms", int),
      col("content_hash", text(64)),
      col("rows_read", int),
      col("rows_loaded", int),
      col("rows_rejected", int),
      col("rows_replaced", int),
      col("run_id", text(64)),
      col("loaded_at", text(32)),
    ],
    primaryKey: ["file"],
  },
  {
    name: SESSION_VERSIONS_TABLE,
    columns: [col("file", text(255)), col("line", int), ...tableColumns(SESSIONS_INPUT)],
    // Keyed by file, so a file's rows are appended together (a full load writes them in file order); the
    // index finds the files of a session, and its latest one, without reading the rows.
    primaryKey: ["file", SESSIONS_INPUT.key],
    indexes: [{ name: "ix_session_versions_session", columns: [SESSIONS_INPUT.key, "file"] }],
  },
  { name: TOUCHED_SESSIONS_TABLE, columns: [sessionId], primaryKey: [SESSIONS_INPUT.key] },
  { name: TOUCHED_USERS_TABLE, columns: [userId], primaryKey: [USERS_INPUT.key] },
  {
    name: SESSION_CUBE_TABLE,
    columns: [
      col("country", text(100)),
      col("subscription_type", text(20)),
      col("device_type", text(20)),
      col("month", text(7)),
      col("sessions", int),
      col("minutes_cents", int),
      col("completion_cents", int),
      col("completion_count", int),
    ],
    primaryKey: ["country", "subscription_type", "device_type", "month"],
  },
  {
    name: CONTENT_CUBE_TABLE,
    columns: [
      col("country", text(100)),
      col("content_id", text(64)),
      col("sessions", int),
      col(
        "minutes_cents",
        int,
      ),
    ],
    primaryKey: ["country", "content_id"],
  },
  {
    name: USER_DEVICE_CUBE_TABLE,
    columns: [
      userId,
      sessionColumn("device_type"),
      col("sessions", int),
      col("minutes_cents", int),
      col("completion_cents", int),
      col("completion_count", int),
      { ...sessionColumn("watch_date"), name: "first_date", nullable: true },
      { ...sessionColumn("watch_date"), name: "last_date", nullable: true },
    ],
    primaryKey: ["user_id", "device_type"],
  },
  {
    name: DERIVED_MARKS_TABLE,
    columns: [col("name", text(32)), col("run_id", text(64))],
    primaryKey: ["name"],
  },
];
