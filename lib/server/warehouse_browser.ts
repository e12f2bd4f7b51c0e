import { z } from "zod";
import { RELATIONSHIPS } from "../pipelines/relationships.ts";
import type { Warehouse } from "../warehouse/mod.ts";
import { HttpError } from "./http_error.ts";

/** A column as `GET /api/database/schema` lists it (the original project's shape, MySQL's words). */
export interface SchemaColumn {
  name: string;
  /** The engine's type: `varchar(32)`, `bigint(20)`, `TEXT`... */
  type: string;
  nullable: boolean;
  /** `PRI` (primary key), `MUL` (first column of an index), `UNI` or "". */
  key: string;
  default: string | null;
  extra: string;
}

/** A relationship of a table, in the original project's shape. */
export interface SchemaForeignKey {
  constraintName: string;
  columnName: string;
  referencedTable: string;
  referencedColumn: string;
}

/** One table of the warehouse. */
export interface SchemaTable {
  name: string;
  columns: SchemaColumn[];
  foreignKeys: SchemaForeignKey[];
  rowCount: number;
  /** The primary key's columns in order (the workbench's addition). */
  primaryKey: string[];
  /** Secondary indexes by name with their columns (the workbench's addition). */
  indexes: { name: string; columns: string[] }[];
}

/** `GET /api/database/schema`. */
export interface DatabaseSchema {
  success: true;
  database: string;
  /** `mysql` or `sqlite` (the workbench's addition). */
  engine: string;
  tables: SchemaTable[];
  stats: { totalTables: number; totalRows: number; relationships: number };
}

/** The names of the warehouse's tables, sorted: the only names a table query may use. */
export async function listTableNames(wh: Warehouse): Promise<string[]> {
  const rows = await wh.query<{ name: string }>(wh.sql.catalog.tablesSql);
  return rows.map((r) => String(r.name));
}

interface RawColumn {
  name: string;
  type: string;
  nullable: boolean;
  pk: number;
  key: string;
  default: string | null;
  extra: string;
}

async function columnsOf(wh: Warehouse, table: string): Promise<RawColumn[]> {
  const [rows, indexes] = await Promise.all([
    wh.query<Record<string, unknown>>(wh.sql.catalog.columnsSql, [table]),
    indexesOf(wh, table),
  ]);
  const indexed = new Set(indexes.map((index) => index.columns[0]));
  return rows.map((r) => {
    const name = String(r.name);
    const pk = Number(r.pk ?? 0);
    return {
      name,
      type: String(r.type),
      nullable: Number(r.nullable) === 1,
      pk,
      // The engine's own flag where it has one (MySQL's PRI, UNI, MUL), else from the keys and indexes.
      key: String(r.k ?? "") || (pk > 0 ? "PRI" : indexed.has(name) ? "MUL" : ""),
      default: r.dflt === null || r.dflt === undefined ? null : String(r.dflt),
      extra: String(r.extra ?? ""),
    };
  });
}

async function indexesOf(wh: Warehouse, table: string): Promise<{ name: string; columns: string[] }[]> {
  const rows = await wh.query<{ name: string; col: string }>(wh.sql.catalog.indexColumnsSql, [table]);
  const byName = new Map<string, string[]>();
  for (const r of rows) byName.set(String(r.name), [...byName.get(String(r.name)) ?? [], String(r.col)]);
  return [...byName].map(([name, columns]) => ({ name, columns }));
}

/** Rows in a table (the name must come from {@linkcode listTableNames}). */
async function countRows(wh: Warehouse, table: string): Promise<number> {
  const [row] = await wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${wh.sql.quote(table)}`);
  return Number(row?.n ?? 0);
}

/** The name of the database: MySQL's `DATABASE()`, or the SQLite file's path. */
async function databaseName(wh: Warehouse): Promise<string> {
  const [row] = await wh.query<{ db: string }>(wh.sql.catalog.databaseSql);
  return String(row?.db ?? "");
}

/**
 * Every table of the warehouse with its columns, keys, indexes, row count and relationships (the declared
 * {@linkcode RELATIONSHIPS} between tables that exist), as `GET /api/database/schema` answers.
 */
export async function readDatabaseSchema(wh: Warehouse): Promise<DatabaseSchema> {
  const names = await listTableNames(wh);
  const present = new Set(names);
  const tables: SchemaTable[] = [];
  for (const name of names) {
    const [columns, indexes, rowCount] = await Promise.all([
      columnsOf(wh, name),
      indexesOf(wh, name),
      countRows(wh, name),
    ]);
    tables.push({
      name,
      columns: columns.map(({ pk: _pk, ...c }) => c),
      foreignKeys: RELATIONSHIPS.filter((r) => r.table === name && present.has(r.referencedTable)).map((
        r,
      ) => ({
        constraintName: r.name,
        columnName: r.column,
        referencedTable: r.referencedTable,
        referencedColumn: r.referencedColumn,
      })),
      rowCount,
      primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      indexes,
    });
  }
  return {
    success: true,
    database: await databaseName(wh),
    engine: wh.dialect,
    tables,
    stats: {
      totalTables: tables.length,
      totalRows: tables.reduce((sum, t) => sum + t.rowCount, 0),
      relationships: tables.reduce((sum, t) => sum + t.foreignKeys.length, 0),
    },
  };
}

const integerText = (min: number, max: number) =>
  z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(
    z.number().int().min(min).max(max),
  );

/** The query string of `GET /api/warehouse/tables/:name/rows`. */
export const TableRowsQuerySchema = z.strictObject({
  page: integerText(1, 10_000_000).default(1),
  limit: integerText(1, 200).default(25),
  sort: z.string().min(1).max(64).optional(),
  order: z.enum(["asc", "desc"]).default("asc"),
});

/** A page of a table's rows. */
export interface TableRowsPage {
  table: string;
  columns: string[];
  rows: Record<string, unknown>[];
  sort: string;
  order: "asc" | "desc";
  page: number;
  limit: number;
  total: number;
  pages: number;
}

/**
 * One page of any table, sorted by one of its columns (then by its primary key, so pages are stable). The
 * table and column names are checked against the database's own lists and then quoted; nothing the client
 * sends is put into the SQL text. Unknown names are a 404 or 400 naming them.
 */
export async function readTableRows(
  wh: Warehouse,
  table: string,
  query: z.infer<typeof TableRowsQuerySchema>,
): Promise<TableRowsPage> {
  const names = await listTableNames(wh);
  if (!names.includes(table)) {
    throw new HttpError(404, `No table "${table}" in the warehouse (tables: ${names.join(", ")})`);
  }
  const columns = await columnsOf(wh, table);
  const columnNames = columns.map((c) => c.name);
  const primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const sort = query.sort ?? primaryKey[0] ?? columnNames[0];
  if (!columnNames.includes(sort)) {
    throw new HttpError(
      400,
      `Invalid sort: table "${table}" has no column "${sort}" (columns: ${columnNames.join(", ")})`,
    );
  }
  const q = (name: string) => wh.sql.quote(name);
  const direction = query.order === "desc" ? "DESC" : "ASC";
  const order = [sort, ...primaryKey.filter((k) => k !== sort)].map((c, i) =>
    `${q(c)} ${i === 0 ? direction : "ASC"}`
  ).join(", ");
  const [rows, total] = await Promise.all([
    wh.query<Record<string, unknown>>(
      `SELECT * FROM ${q(table)} ORDER BY ${order} LIMIT ? OFFSET ?`,
      [query.limit, (query.page - 1) * query.limit],
    ),
    countRows(wh, table),
  ]);
  return {
    table,
    columns: columnNames,
    rows,
    sort,
    order: query.order,
    page: query.page,
    limit: query.limit,
    total,
    pages: Math.ceil(total / query.limit),
  };
}
