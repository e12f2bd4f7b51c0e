/// <reference lib="dom" />
// @ts-types="@types/react"
import { useState } from "react";
import { ErDiagram, type ErTable } from "./er_diagram.tsx";
import { formatCount } from "../lib/format/mod.ts";
import { href, navigate, type Route } from "./router.ts";
import { useJson } from "./use_json.ts";
import { useWidth } from "./use_width.ts";
import { cellText, ErrorBanner, Pager, SortHeader } from "./widgets.tsx";

interface SchemaTable extends ErTable {
  columns: {
    name: string;
    type: string;
    nullable: boolean;
    key: string;
    default: string | null;
    extra: string;
  }[];
  primaryKey: string[];
  indexes: { name: string; columns: string[] }[];
}

interface Schema {
  database: string;
  engine: string;
  tables: SchemaTable[];
  stats: { totalTables: number; totalRows: number; relationships: number };
}

interface RowsPage {
  table: string;
  columns: string[];
  rows: Record<string, unknown>[];
  sort: string;
  order: "asc" | "desc";
  page: number;
  pages: number;
  total: number;
}

/** One table's rows, paged and sortable by any column: `#/warehouse/<table>?sort=&order=&page=`. */
function TableBrowser(props: { table: string; route: Route; version: string }) {
  const q = props.route.query;
  const sort = q.get("sort") ?? "";
  const order = q.get("order") === "desc" ? "desc" : "asc";
  const page = Math.max(1, Number(q.get("page") ?? 1) || 1);
  const path = `/api/warehouse/tables/${encodeURIComponent(props.table)}/rows?` +
    new URLSearchParams({ ...(sort ? { sort } : {}), order, page: String(page), limit: "20" });
  const rows = useJson<RowsPage>(path, props.version);
  const go = (next: { sort?: string; order?: string; page?: number }) =>
    navigate(href("warehouse", [props.table], { sort, order, page, ...next }));
  const data = rows.data?.table === props.table ? rows.data : null;
  return (
    <section className="card" data-browser={props.table}>
      <h2>
        Rows of <code>{props.table}</code>
      </h2>
      <ErrorBanner error={rows.error} />
      {data
        ? (
          <>
            <div className="table-wrap">
              <table className="compact" data-rows>
                <thead>
                  <tr>
                    {data.columns.map((c) => (
                      <SortHeader
                        key={c}
                        column={c}
                        sort={data.sort}
                        order={data.order}
                        onSort={(column, o) => go({ sort: column, order: o, page: 1 })}
                      />
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r, i) => (
                    <tr key={i}>
                      {data.columns.map((c) => <td key={c}>{cellText(r[c])}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} pages={data.pages} total={data.total} onPage={(p) => go({ page: p })} />
          </>
        )
        : <p className="muted">Loading…</p>}
    </section>
  );
}

/**
 * The Warehouse page: where it is, an ER diagram of the core tables, every table with its row count,
 * columns, types, keys, indexes and relationships, and a browser of any table's rows.
 */
export function WarehousePage(props: { route: Route; version: string }) {
  const schema = useJson<Schema & { success: true }>("/api/database/schema", props.version);
  const [ref, width] = useWidth<HTMLDivElement>();
  const [open, setOpen] = useState<string | null>(null);
  const selected = props.route.rest[0] ?? null;
  const s = schema.data;
  return (
    <main>
      <header>
        <div>
          <h1>Warehouse</h1>
          <p className="muted">
            {s
              ? `${
                s.engine === "mysql" ? "MySQL/MariaDB" : "SQLite"
              } database "${s.database}": ${s.stats.totalTables} tables, ${
                formatCount(s.stats.totalRows)
              } rows, ${s.stats.relationships} relationships`
              : "Loading the schema…"}
          </p>
        </div>
      </header>
      <ErrorBanner error={schema.error} />
      <section className="card" ref={ref}>
        <h2>Relationships of the core tables</h2>
        {s && width > 0 ? <ErDiagram tables={s.tables} narrow={width < 720} /> : null}
        <p className="muted">
          PK: primary key; FK: refers to the key at the other end of its line (declared in{" "}
          <code>lib/pipelines/relationships.ts</code> and checked by <code>validate_data</code>).
        </p>
      </section>
      {selected ? <TableBrowser table={selected} route={props.route} version={props.version} /> : null}
      <section className="card">
        <h2>Tables</h2>
        <div className="table-wrap">
          <table data-tables>
            <thead>
              <tr>
                <th>Table</th>
                <th className="num">Rows</th>
                <th className="num">Columns</th>
                <th>Primary key</th>
                <th>Relationships</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {(s?.tables ?? []).map((t) => [
                <tr key={t.name} data-table={t.name} className={t.name === selected ? "selected" : ""}>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => setOpen(open === t.name ? null : t.name)}
                    >
                      {open === t.name ? "▾" : "▸"} <code>{t.name}</code>
                    </button>
                  </td>
                  <td className="num" data-row-count>{formatCount(t.rowCount)}</td>
                  <td className="num">{t.columns.length}</td>
                  <td>
                    <code>{t.primaryKey.join(", ")}</code>
                  </td>
                  <td>
                    {t.foreignKeys.map((f) => (
                      <div key={f.constraintName}>
                        <code>{f.columnName}</code> → <code>{f.referencedTable}.{f.referencedColumn}</code>
                      </div>
                    ))}
                  </td>
                  <td>
                    <a href={href("warehouse", [t.name])} data-browse={t.name} className="nowrap">
                      browse rows
                    </a>
                  </td>
                </tr>,
                open === t.name
                  ? (
                    <tr key={`${t.name}-columns`} className="columns-row">
                      <td colSpan={6}>
                        <table className="compact" data-columns-of={t.name}>
                          <thead>
                            <tr>
                              <th>Column</th>
                              <th>Type</th>
                              <th>Null</th>
                              <th>Key</th>
                              <th>Default</th>
                            </tr>
                          </thead>
                          <tbody>
                            {t.columns.map((c) => (
                              <tr key={c.name}>
                                <td>
                                  <code>{c.name}</code>
                                </td>
                                <td>{c.type}</td>
                                <td>{c.nullable ? "yes" : "no"}</td>
                                <td>{c.key}</td>
                                <td>{c.default ?? "–"}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                        {t.indexes.length
                          ? (
                            <p className="muted">
                              Indexes:{" "}
                              {t.indexes.map((i) => `${i.name} (${i.columns.join(", ")})`).join("; ")}
                            </p>
                          )
                          : null}
                      </td>
                    </tr>
                  )
                  : null,
              ])}
            </tbody>
          </table>
        </div>
      </section>
    </main>
  );
}
