/**
 * Each CSV input declared once: its file, its tables and, per column, the header names accepted for it,
 * whether a file may lack it, its SQL type and its limits. The header resolution, the validators' limits, the
 * zod record schemas, the warehouse tables (`users`, `viewing_sessions` and their staging tables) and the load
 * nodes are all derived from these two declarations (data contract, sections 2 and 3).
 *
 * @module
 */
import {
  type ColumnSpec,
  type ColumnType,
  date,
  datetime,
  decimal,
  int,
  text,
} from "../warehouse/table_spec.ts";
import type { SessionRecord, UserRecord } from "./types.ts";

/** One column of an input file and of the table it loads into. */
export interface InputColumn<Name extends string = string> {
  /** The canonical name: the table's column and the record's field. */
  name: Name;
  /** Other header names accepted for it (matched after normalisation). */
  aliases: readonly string[];
  /** Whether a file without the column is refused. */
  required: boolean;
  /** Its type in the warehouse; a text type's length is the longest value accepted. */
  type: ColumnType;
  /** Whether the table may hold NULL (an invalid or empty value coerced away). */
  nullable: boolean;
  /** Smallest and largest accepted number, for numeric columns that have limits. */
  range?: readonly [min: number, max: number];
}

/** The kinds of CSV input the contract knows. */
export type InputKind = "users" | "sessions";

/** A CSV input: its file, key, target and staging tables, and columns (named `Field`) in file order. */
export interface InputSpec<Field extends string = string> {
  kind: InputKind;
  /** The file's name in the data folder. */
  file: string;
  /** The table the file loads into, and its staging table (with a `line` column first). */
  table: string;
  stage: string;
  /** The key column: the last row of a key wins. */
  key: Field;
  columns: readonly InputColumn<Field>[];
  /** Secondary indexes of the target table. */
  indexes?: { name: string; columns: string[] }[];
}

const column = <Name extends string>(
  name: Name,
  type: ColumnType,
  options: { aliases?: string[]; required?: boolean; nullable?: boolean; range?: [number, number] } = {},
): InputColumn<Name> => ({
  name,
  aliases: options.aliases ?? [],
  required: options.required ?? false,
  type,
  nullable: options.nullable ?? false,
  ...(options.range ? { range: options.range } : {}),
});

const userId = text(32);

/** `users.csv` (data contract, section 2). Only a missing or too long `user_id` rejects a row. */
export const USERS_INPUT: InputSpec<keyof UserRecord & string> = {
  kind: "users",
  file: "users.csv",
  table: "users",
  stage: "stage_users",
  key: "user_id",
  columns: [
    column("user_id", userId, { aliases: ["id", "userid", "user"], required: true }),
    column("age", int, { nullable: true, range: [13, 120] }),
    column("country", text(100), { aliases: ["region"], nullable: true }),
    column("subscription_type", text(20), { aliases: ["subscription", "plan"], nullable: true }),
    column("registration_date", date, { aliases: ["signup_date", "registered"], nullable: true }),
    column("total_watch_time_hours", decimal(10, 2), {
      aliases: ["watch_time_hours"],
      nullable: true,
      range: [0, Infinity],
    }),
  ],
  indexes: [{ name: "ix_users_country", columns: ["country"] }],
};

/**
 * `viewing_sessions.csv` (data contract, section 3).
 *
 * `watch_duration_minutes` is required although the contract's table does not say so: every row without a
 * duration is rejected as `bad_duration`, so a file without the column could load nothing.
 */
export const SESSIONS_INPUT: InputSpec<keyof SessionRecord & string> = {
  kind: "sessions",
  file: "viewing_sessions.csv",
  table: "viewing_sessions",
  stage: "stage_sessions",
  key: "session_id",
  columns: [
    column("session_id", text(40), { aliases: ["id", "session"], required: true }),
    column("user_id", userId, { aliases: ["user"], required: true }),
    column("content_id", text(64), { aliases: ["content"], required: true }),
    column("watch_date", datetime, { aliases: ["date", "watched_at"], nullable: true }),
    column("watch_duration_minutes", decimal(7, 2), {
      aliases: ["duration_minutes", "duration", "minutes"],
      required: true,
      range: [0, 1440],
    }),
    column("completion_percentage", decimal(5, 2), {
      aliases: ["completion"],
      nullable: true,
      range: [0, 100],
    }),
    column("device_type", text(20), { aliases: ["device"] }),
    column("quality_level", text(4), { aliases: ["quality"], nullable: true }),
  ],
  // user_metrics groups the sessions per (user_id, device_type) in one ordered pass over this index, which
  // covers every column it sums: no temporary table, no lookup of the row (at scale 100 a table scan
  // grouped through an on-disk temporary table took over 8 minutes on MariaDB, 37 times scale 10's).
  indexes: [{
    name: "ix_sessions_user_device",
    columns: ["user_id", "device_type", "watch_date", "watch_duration_minutes", "completion_percentage"],
  }],
};

/** Every CSV input, in load order. */
export const INPUTS: readonly InputSpec[] = [USERS_INPUT, SESSIONS_INPUT];

/** The input of a kind. */
export function inputOf(kind: InputKind): InputSpec {
  const input = INPUTS.find((i) => i.kind === kind);
  if (!input) throw new TypeError(`Unknown input kind "${kind}"`);
  return input;
}

/** A column of an input, by name. */
export function inputColumn(input: InputSpec, name: string): InputColumn {
  const found = input.columns.find((c) => c.name === name);
  if (!found) throw new TypeError(`"${input.file}" has no column "${name}"`);
  return found;
}

/** The longest text a column accepts, in characters (its SQL type's length). */
export function maxLength(input: InputSpec, name: string): number {
  const { type } = inputColumn(input, name);
  if (type.kind !== "text") throw new TypeError(`Column "${name}" of "${input.file}" is not text`);
  return type.length;
}

/** The accepted range of a numeric column. */
export function rangeOf(input: InputSpec, name: string): readonly [number, number] {
  const { range } = inputColumn(input, name);
  if (!range) throw new TypeError(`Column "${name}" of "${input.file}" has no range`);
  return range;
}

/** The input's columns as warehouse columns, in file order. */
export function tableColumns(input: InputSpec): ColumnSpec[] {
  return input.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable }));
}

/** The canonical column names, in file order: the table's columns and the generated files' header. */
export function fieldsOf<Field extends string>(input: InputSpec<Field>): readonly Field[] {
  return input.columns.map((c) => c.name);
}

/** Columns of `users.csv` and the `users` table, in file order. */
export const USER_FIELDS: readonly (keyof UserRecord & string)[] = fieldsOf(USERS_INPUT);

/** Columns of `viewing_sessions.csv` and the `viewing_sessions` table, in file order. */
export const SESSION_FIELDS: readonly (keyof SessionRecord & string)[] = fieldsOf(SESSIONS_INPUT);
