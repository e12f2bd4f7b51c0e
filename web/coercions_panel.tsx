/// <reference lib="dom" />
import { formatCount } from "../lib/format/mod.ts";
import { href } from "./router.ts";
import { Pager } from "./widgets.tsx";

/** `GET /api/etl/runs/:id/coercions`: values a run stored as NULL (or a default) instead of the file's. */
export interface CoercionsPage {
  runId: string;
  coercions: { file: string; line: number; field: string; value: string | null; stored: string | null }[];
  /** Per file and field: `count` values coerced in all, `recorded` of them listed line by line. */
  groups: { file: string; field: string; count: number; recorded: number }[];
  page: number;
  pages: number;
  total: number;
}

/** The filter of the Rejects page: a file (both lists), a reason (rejects), a field (coercions). */
export interface RejectsFilter {
  file: string;
  reason: string;
  field: string;
}

/** The coerced values by file and field, each a link that filters the list. */
export function CoercionGroups(props: { runId: string; data: CoercionsPage; filter: RejectsFilter }) {
  const { runId, data, filter } = props;
  const all = data.groups.reduce((s, g) => s + g.count, 0);
  if (data.groups.length === 0) {
    return <p className="muted" data-coercion-groups>No value was stored as NULL or a default.</p>;
  }
  return (
    <ul className="groups" data-coercion-groups>
      <li>
        <a
          href={href("rejects", [runId])}
          aria-current={!filter.file && !filter.reason && !filter.field ? "true" : undefined}
        >
          all coerced values <span className="num">{formatCount(all)}</span>
        </a>
      </li>
      {[...new Set(data.groups.map((g) => g.file))].map((file) => [
        <li key={file} className="group-file">
          <code>{file}</code>
        </li>,
        ...data.groups.filter((g) => g.file === file).map((g) => (
          <li key={`${g.file}/${g.field}`}>
            <a
              href={href("rejects", [runId], { file: g.file, field: g.field })}
              data-coercion-group={`${g.file}/${g.field}`}
              aria-current={filter.file === g.file && filter.field === g.field ? "true" : undefined}
              title={g.recorded < g.count
                ? `${formatCount(g.count)} values, the first ${formatCount(g.recorded)} listed`
                : undefined}
            >
              {g.field}{" "}
              <span className="num">
                {formatCount(g.count)}
                {g.recorded < g.count ? ` (${formatCount(g.recorded)} listed)` : ""}
              </span>
            </a>
          </li>
        )),
      ])}
    </ul>
  );
}

/** The coerced values of the filter, a line each: file, line, field, the file's value, what was stored. */
export function CoercionsTable(
  props: { data: CoercionsPage; filter: RejectsFilter; onPage(page: number): void },
) {
  const { data, filter } = props;
  const capped = data.groups.filter((g) =>
    g.recorded < g.count && (!filter.file || g.file === filter.file) &&
    (!filter.field || g.field === filter.field)
  );
  return (
    <section className="card" data-coercions>
      <h2>
        {filter.field
          ? `${filter.file} ${filter.field}: stored as NULL or a default`
          : `Values${filter.file ? ` of ${filter.file}` : ""} stored as NULL or a default`}
      </h2>
      <p className="muted">
        The row was loaded, but these fields were not what the file said: the value could not be read (a bad
        number or date, an unknown plan or quality) and NULL or a default was stored instead.
      </p>
      {capped.length
        ? (
          <p className="muted" data-coercions-capped>
            The load lists the first {formatCount(capped[0].recorded)} values of each field line by line:{" "}
            {capped.map((g) => `${g.file} ${g.field} has ${formatCount(g.count)}`).join(", ")}.
          </p>
        )
        : null}
      <div className="table-wrap">
        <table className="compact" data-coercions-table>
          <thead>
            <tr>
              <th>File</th>
              <th className="num">Line</th>
              <th>Field</th>
              <th>In the file</th>
              <th>Stored</th>
            </tr>
          </thead>
          <tbody>
            {data.coercions.map((c) => (
              <tr key={`${c.file}:${c.line}:${c.field}`} data-coercion={`${c.file}:${c.line}:${c.field}`}>
                <td data-label="File">
                  <code>{c.file}</code>
                </td>
                <td className="num" data-label="Line">{c.line}</td>
                <td data-label="Field">{c.field}</td>
                <td className="value-cell" data-label="In the file">
                  {c.value === null ? <span className="muted">(empty)</span> : <code>{c.value}</code>}
                </td>
                <td data-label="Stored">
                  {c.stored === null ? <span className="muted">NULL</span> : <code>{c.stored}</code>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        page={data.page}
        pages={data.pages}
        total={data.total}
        unit="coerced values"
        onPage={props.onPage}
      />
    </section>
  );
}
