/**
 * The relationships between the warehouse's tables, as metadata of the schema: `validate_data` checks that
 * they hold (no orphan sessions, metrics for every user), the dashboard draws them as the lines of its ER
 * diagram and `GET /api/database/schema` lists them as `foreignKeys`.
 *
 * They are not declared as FOREIGN KEY constraints in the database: the loads replace rows by key
 * (`REPLACE`, upserts) and `--fresh` drops and recreates tables one by one, which constraints would make
 * fail or slow down; the quality checks verify the same facts once per run instead.
 */

/** One column of a table that refers to the key of another table. */
export interface Relationship {
  /** A name in the style of a constraint: `fk_<table>_<column>`. */
  name: string;
  table: string;
  column: string;
  referencedTable: string;
  referencedColumn: string;
  /** Many rows of `table` to one of `referencedTable`. */
  cardinality: "many-to-one" | "one-to-one";
  /** What it means, in a sentence. */
  description: string;
}

const rel = (
  table: string,
  column: string,
  referencedTable: string,
  referencedColumn: string,
  description: string,
  cardinality: Relationship["cardinality"] = "many-to-one",
): Relationship => ({
  name: `fk_${table}_${column}`,
  table,
  column,
  referencedTable,
  referencedColumn,
  cardinality,
  description,
});

/** Every relationship between the data tables. */
export const RELATIONSHIPS: readonly Relationship[] = [
  rel("viewing_sessions", "user_id", "users", "user_id", "every session belongs to a loaded user"),
  rel("viewing_sessions", "device_type", "device_types", "device_type", "a session's device is a known one"),
  rel(
    "users",
    "subscription_type",
    "subscription_types",
    "subscription_type",
    "a user's plan is a known one",
  ),
  rel("user_metrics", "user_id", "users", "user_id", "one row of metrics per user", "one-to-one"),
  rel("user_metrics", "favorite_device", "device_types", "device_type", "the device a user uses most"),
];

/** The relationships whose `table` is the given one. */
export function relationshipsOf(table: string): Relationship[] {
  return RELATIONSHIPS.filter((r) => r.table === table);
}
