import { someInChain } from "../_error_chain.ts";
import type { ColumnSpec, TableSpec } from "../table_spec.ts";
import type { SqlDialect, TempColumn } from "../types.ts";

const quote = (name: string): string => {
  if (name.length === 0) throw new TypeError("Cannot quote an empty identifier");
  if (name.includes("\0")) {
    throw new TypeError(`Cannot quote identifier "${name}": it contains a NUL character`);
  }
  return "`" + name.replaceAll("`", "``") + "`";
};

function columnSql(column: ColumnSpec | TempColumn): string {
  const t = column.type;
  const type = typeof t === "string"
    ? t
    : t.kind === "text"
    ? `VARCHAR(${t.length})`
    : t.kind === "decimal"
    ? `DECIMAL(${t.precision},${t.scale})`
    : { int: "BIGINT", real: "DOUBLE", date: "DATE", datetime: "DATETIME", longtext: "MEDIUMTEXT" }[t.kind];
  return `${quote(column.name)} ${type}${column.nullable ? "" : " NOT NULL"}`;
}

/** The surrogate primary key of temporary tables (readers name their columns, so it stays out of the way). */
const TEMP_ROW_KEY = "workbench_row";

/** Driver and socket codes a retry may cure: lost connection, deadlock, lock wait, too many connections. */
const TRANSIENT_CODES = new Set([
  "PROTOCOL_CONNECTION_LOST",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CONNECTION_KILLED",
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  // The loader's: its node-local staging table is on a server the connection no longer reaches (failover).
  "WORKBENCH_STAGE_MOVED",
]);
/**
 * Server errnos: deadlock (on Galera also a certification conflict), lock wait timeout, too many
 * connections, server shutdown, connection killed (a server shutting down), server gone away and lost
 * connection (client errors 2006, 2013), and 1047: a Galera node outside the primary component.
 */
const TRANSIENT_ERRNOS = new Set([1213, 1205, 1040, 1053, 1927, 2006, 2013, 1047]);
/**
 * Galera's words for "this node is not in the primary component right now" (seconds after a node dies), and
 * mysql2's for a command on a connection the server dropped ("... in closed state", with no code).
 */
const TRANSIENT_MESSAGE =
  /deadlock found|lock wait timeout|connection is in closed state|not connected to primary component|WSREP has not yet prepared node/i;

/** MySQL / MariaDB SQL: backticks, InnoDB with byte-wise utf8mb4, temporary tables per connection. */
export const MYSQL_DIALECT: SqlDialect = {
  name: "mysql",
  quote,
  createTable(table: TableSpec): string[] {
    const body = [
      ...table.columns.map(columnSql),
      `PRIMARY KEY (${table.primaryKey.map(quote).join(", ")})`,
      ...(table.indexes ?? []).map((index) =>
        `INDEX ${quote(index.name)} (${index.columns.map(quote).join(", ")})`
      ),
    ];
    // utf8mb4_bin: keys compare like SQLite's (case-sensitive), so both engines load the same rows.
    return [
      `CREATE TABLE IF NOT EXISTS ${quote(table.name)} (\n  ${
        body.join(",\n  ")
      }\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    ];
  },
  // MySQL has no CREATE INDEX IF NOT EXISTS: indexes missing on an existing table are checked one by one.
  createTableAddsMissingIndexes: false,
  createIndex: (table, index) =>
    `CREATE INDEX ${quote(index.name)} ON ${quote(table)} (${index.columns.map(quote).join(", ")})`,
  dropIndex: (table, index) => `DROP INDEX ${quote(index)} ON ${quote(table)}`,
  indexNamesSql: `SELECT DISTINCT index_name AS name FROM information_schema.statistics
         WHERE table_schema = DATABASE() AND table_name = ?`,
  dropTable: (table) => `DROP TABLE IF EXISTS ${quote(table)}`,
  truncate: (table) => `TRUNCATE TABLE ${quote(table)}`,
  // Declared, then filled: Galera refuses a keyless table with wsrep_mode=REQUIRED_PRIMARY_KEY and any
  // CREATE ... AS SELECT (or LIKE) with streaming replication. The surrogate key keeps the SELECT's rows as
  // they come (a repeated key is not an error here); the index on `keys` serves lookups. Declared in the
  // CREATE: an ALTER TABLE would commit, even of a temporary table, and end the savepoint this may run in.
  createTempTableAs: (name, keys, select, columns) => ({
    statements: [
      `CREATE TEMPORARY TABLE ${quote(name)} (\n  ${
        [
          `${quote(TEMP_ROW_KEY)} BIGINT NOT NULL AUTO_INCREMENT`,
          ...columns.map(columnSql),
          `PRIMARY KEY (${quote(TEMP_ROW_KEY)})`,
          `INDEX (${keys.map(quote).join(", ")})`,
        ].join(",\n  ")
      }\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      `INSERT INTO ${quote(name)} (${columns.map((c) => quote(c.name)).join(", ")}) ${select}`,
    ],
    fill: 1,
  }),
  columnTypesSql: `SELECT column_name AS name, column_type AS type, is_nullable = 'YES' AS nullable
         FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?
         ORDER BY ordinal_position`,
  dropTempTable: (name) => `DROP TEMPORARY TABLE IF EXISTS ${quote(name)}`,
  analyze: (tables) => tables.length ? `ANALYZE TABLE ${tables.map(quote).join(", ")}` : undefined,
  // Galera replicates InnoDB only, unless wsrep_mode asks for Aria or MyISAM too; STRICT_REPLICATION refuses
  // DDL on other engines. On a server without wsrep_mode (MySQL, Percona XtraDB Cluster) the query fails:
  // the caller then keeps InnoDB.
  unreplicatedEngineSql: `SELECT CASE
      WHEN FIND_IN_SET('STRICT_REPLICATION', @@wsrep_mode) > 0 THEN NULL
      WHEN FIND_IN_SET('REPLICATE_ARIA', @@wsrep_mode) = 0 AND EXISTS (SELECT 1 FROM information_schema.engines
        WHERE engine = 'Aria' AND support IN ('YES', 'DEFAULT')) THEN 'Aria'
      WHEN FIND_IN_SET('REPLICATE_MYISAM', @@wsrep_mode) = 0 AND EXISTS (SELECT 1 FROM information_schema.engines
        WHERE engine = 'MyISAM' AND support IN ('YES', 'DEFAULT')) THEN 'MyISAM'
      ELSE NULL END AS engine`,
  nodeIdentitySql: "SELECT CONCAT(@@wsrep_node_name, ' (', @@hostname, ':', @@port, ')') AS node",
  createTableInEngine(table, engine) {
    if (!/^[A-Za-z]+$/.test(engine)) throw new TypeError(`Cannot create a table in engine "${engine}"`);
    const body = [...table.columns.map(columnSql), `PRIMARY KEY (${table.primaryKey.map(quote).join(", ")})`];
    return `CREATE TABLE IF NOT EXISTS ${quote(table.name)} (\n  ${
      body.join(",\n  ")
    }\n) ENGINE=${engine} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;
  },
  real: (expr) => `CAST(${expr} AS DOUBLE)`,
  upsertClause(_table, columns, keys) {
    const values = columns.filter((c) => !keys.includes(c));
    const set = (values.length > 0 ? values : keys).map((c) => `${quote(c)} = VALUES(${quote(c)})`).join(
      ", ",
    );
    return `ON DUPLICATE KEY UPDATE ${set}`;
  },
  catalog: {
    tablesSql: `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    columnsSql: `SELECT c.column_name AS name, c.column_type AS type,
              CASE WHEN c.is_nullable = 'YES' THEN 1 ELSE 0 END AS nullable,
              COALESCE(s.seq_in_index, 0) AS pk, c.column_key AS k, c.column_default AS dflt, c.extra AS extra
       FROM information_schema.columns c
       LEFT JOIN information_schema.statistics s ON s.table_schema = c.table_schema
         AND s.table_name = c.table_name AND s.column_name = c.column_name AND s.index_name = 'PRIMARY'
       WHERE c.table_schema = DATABASE() AND c.table_name = ? ORDER BY c.ordinal_position`,
    indexColumnsSql: `SELECT index_name AS name, column_name AS col FROM information_schema.statistics
       WHERE table_schema = DATABASE() AND table_name = ? AND index_name <> 'PRIMARY'
       ORDER BY index_name, seq_in_index`,
    databaseSql: "SELECT DATABASE() AS db",
  },
  // Without FOUND_ROWS an updated row counts twice.
  updatedRows: (changed, inserted) => (changed - inserted) / 2,
  isMissingTable: (error) =>
    someInChain(error, ({ code, errno }) => code === "ER_NO_SUCH_TABLE" || errno === 1146),
  isTransient: (error) =>
    someInChain(
      error,
      ({ code, errno, message }) =>
        (typeof code === "string" && TRANSIENT_CODES.has(code)) ||
        (typeof errno === "number" && TRANSIENT_ERRNOS.has(errno)) ||
        (typeof message === "string" && TRANSIENT_MESSAGE.test(message)),
    ),
};
