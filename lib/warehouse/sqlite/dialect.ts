import { someInChain } from "../_error_chain.ts";
import type { ColumnSpec, TableSpec } from "../table_spec.ts";
import type { SqlDialect } from "../types.ts";

const quote = (name: string): string => {
  if (name.length === 0) throw new TypeError("Cannot quote an empty identifier");
  if (name.includes("\0")) {
    throw new TypeError(`Cannot quote identifier "${name}": it contains a NUL character`);
  }
  return '"' + name.replaceAll('"', '""') + '"';
};

// SQLite's type affinities: dates as ISO text, which sorts and compares as it should.
const TYPES = {
  text: "TEXT",
  int: "INTEGER",
  decimal: "REAL",
  real: "REAL",
  date: "TEXT",
  datetime: "TEXT",
  longtext: "TEXT",
} as const;

const columnSql = (column: ColumnSpec): string =>
  `${quote(column.name)} ${TYPES[column.type.kind]}${column.nullable ? "" : " NOT NULL"}`;

/** SQLite SQL: double quotes, `CREATE ... IF NOT EXISTS` for indexes too, temporary tables in `temp`. */
export const SQLITE_DIALECT: SqlDialect = {
  name: "sqlite",
  quote,
  createTable: (table: TableSpec) => [
    `CREATE TABLE IF NOT EXISTS ${quote(table.name)} (\n  ${
      [...table.columns.map(columnSql), `PRIMARY KEY (${table.primaryKey.map(quote).join(", ")})`].join(
        ",\n  ",
      )
    }\n)`,
    ...(table.indexes ?? []).map((index) =>
      `CREATE INDEX IF NOT EXISTS ${quote(index.name)} ON ${quote(table.name)} (${
        index.columns.map(quote).join(", ")
      })`
    ),
  ],
  createTableAddsMissingIndexes: true,
  createIndex: (table, index) =>
    `CREATE INDEX ${quote(index.name)} ON ${quote(table)} (${index.columns.map(quote).join(", ")})`,
  dropIndex: (_table, index) => `DROP INDEX ${quote(index)}`,
  indexNamesSql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
  dropTable: (table) => `DROP TABLE IF EXISTS ${quote(table)}`,
  truncate: (table) => `DELETE FROM ${quote(table)}`,
  // SQLite's typeless CREATE ... AS keeps the SELECT's values as they are: the columns are not needed.
  createTempTableAs: (name, keys, select) => ({
    statements: [
      `CREATE TEMP TABLE ${quote(name)} AS ${select}`,
      `CREATE INDEX temp.${quote(`ix_${name}`)} ON ${quote(name)} (${keys.map(quote).join(", ")})`,
    ],
    fill: 0,
  }),
  dropTempTable: (name) => `DROP TABLE IF EXISTS ${quote(name)}`,
  analyze: () => undefined,
  real: (expr) => `CAST(${expr} AS REAL)`,
  upsertClause(table, columns, keys) {
    const keyList = keys.map(quote).join(", ");
    const values = columns.filter((c) => !keys.includes(c));
    if (values.length === 0) return `ON CONFLICT (${keyList}) DO NOTHING`;
    const set = values.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(", ");
    const differs = values.map((c) => `${quote(table)}.${quote(c)} IS NOT excluded.${quote(c)}`).join(" OR ");
    return `ON CONFLICT (${keyList}) DO UPDATE SET ${set} WHERE ${differs}`;
  },
  catalog: {
    tablesSql:
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    columnsSql: `SELECT name, type, CASE WHEN "notnull" = 0 THEN 1 ELSE 0 END AS nullable, pk, '' AS k,
       dflt_value AS dflt, '' AS extra FROM pragma_table_info(?) ORDER BY cid`,
    indexColumnsSql: `SELECT il.name AS name, ii.name AS col FROM pragma_index_list(?) AS il,
       pragma_index_info(il.name) AS ii WHERE il.origin = 'c' ORDER BY il.name, ii.seqno`,
    databaseSql: "SELECT file AS db FROM pragma_database_list WHERE name = 'main'",
  },
  // changes() counts an updated row once.
  updatedRows: (changed, inserted) => changed - inserted,
  isMissingTable: (error) =>
    someInChain(error, ({ message }) => typeof message === "string" && /no such table/i.test(message)),
  isTransient: (error) =>
    someInChain(error, ({ code, message }) =>
      code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" ||
      (typeof message === "string" && /database is locked/i.test(message))),
};
