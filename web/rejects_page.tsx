/// <reference lib="dom" />
import { CoercionGroups, type CoercionsPage, CoercionsTable } from "./coercions_panel.tsx";
import { formatCount, formatTime } from "../lib/format/mod.ts";
import { href, navigate, type Route } from "./router.ts";
import type { RunSummary } from "./run_history.tsx";
import { useJson } from "./use_json.ts";
import { ErrorBanner, Pager } from "./widgets.tsx";

interface RejectsPage {
  runId: string;
  rejects: {
    file: string;
    line: number;
    reason: string;
    field: string | null;
    value: string | null;
    raw: string | null;
  }[];
  groups: { file: string; reason: string; count: number }[];
  page: number;
  pages: number;
  total: number;
}

/**
 * The Rejects page: a run's rejected input rows by file and reason, with line, field, value and the raw
 * line, and the values it stored as NULL or a default by file and field, each list paged
 * (`#/rejects/<runId>?file=&reason=&field=&page=&cpage=`); the latest run when none is named. The file
 * filters both lists, the reason the rejects, the field the coerced values.
 */
export function RejectsPage(props: { route: Route; version: string; latestRunId: string | null }) {
  const runs = useJson<{ runs: RunSummary[] }>("/api/etl/runs?limit=20", props.version);
  const runId = props.route.rest[0] ?? props.latestRunId ?? runs.data?.runs[0]?.runId ?? null;
  const q = props.route.query;
  const state = {
    file: q.get("file") ?? "",
    reason: q.get("reason") ?? "",
    field: q.get("field") ?? "",
    page: q.get("page") ?? "1",
    cpage: q.get("cpage") ?? "1",
  };
  const go = (next: Partial<typeof state> & { run?: string }) => {
    const { run = runId ?? "", ...rest } = next;
    navigate(href("rejects", run ? [run] : [], { ...state, page: "1", cpage: "1", ...rest }));
  };
  const params = new URLSearchParams({ page: state.page, limit: "25" });
  if (state.file) params.set("file", state.file);
  if (state.reason) params.set("reason", state.reason);
  const page = useJson<RejectsPage>(
    runId ? `/api/etl/runs/${encodeURIComponent(runId)}/rejects?${params}` : null,
    props.version,
  );
  const data = page.data?.runId === runId ? page.data : null;
  const coercionParams = new URLSearchParams({ page: state.cpage, limit: "25" });
  if (state.file) coercionParams.set("file", state.file);
  if (state.field) coercionParams.set("field", state.field);
  const coercionsPage = useJson<CoercionsPage>(
    runId ? `/api/etl/runs/${encodeURIComponent(runId)}/coercions?${coercionParams}` : null,
    props.version,
  );
  const coercions = coercionsPage.data?.runId === runId ? coercionsPage.data : null;
  const all = (data?.groups ?? []).reduce((s, g) => s + g.count, 0);
  return (
    <main>
      <header>
        <div>
          <h1>Rejects</h1>
          <p className="muted">
            Input rows a run did not load, and why: the file and line, the field and value at fault, the raw
            line. Under them, the values it loaded as NULL or a default instead of what the file said.
          </p>
        </div>
      </header>
      <ErrorBanner error={runs.error ?? page.error ?? coercionsPage.error} />
      <section className="controls">
        <label>
          Run{" "}
          <select
            value={runId ?? ""}
            onChange={(e) => go({ run: e.target.value, file: "", reason: "", field: "" })}
            data-run-select
          >
            {(runs.data?.runs ?? []).map((r) => (
              <option key={r.runId} value={r.runId}>
                {`${r.runId.slice(0, 8)} · ${formatTime(r.startedAt)} · ${r.status}`}
              </option>
            ))}
          </select>
        </label>
      </section>
      {!runId ? <p className="muted">No run recorded yet: start one on the Pipeline page.</p> : null}
      {data
        ? (
          <div className="rejects-layout">
            <section className="card">
              <h2>Rejected by file and reason ({formatCount(all)})</h2>
              {data.groups.length === 0
                ? <p className="muted">No row was rejected in this run.</p>
                : (
                  <ul className="groups" data-groups>
                    <li>
                      <a
                        href={href("rejects", [runId!])}
                        aria-current={!state.file && !state.reason && !state.field ? "true" : undefined}
                      >
                        all rejects <span className="num">{formatCount(all)}</span>
                      </a>
                    </li>
                    {[...new Set(data.groups.map((g) => g.file))].map((file) => [
                      <li key={file} className="group-file">
                        <code>{file}</code>
                      </li>,
                      ...data.groups.filter((g) => g.file === file).map((g) => (
                        <li key={`${g.file}/${g.reason}`}>
                          <a
                            href={href("rejects", [runId!], { file: g.file, reason: g.reason })}
                            data-group={`${g.file}/${g.reason}`}
                            aria-current={state.file === g.file && state.reason === g.reason
                              ? "true"
                              : undefined}
                          >
                            {g.reason} <span className="num">{formatCount(g.count)}</span>
                          </a>
                        </li>
                      )),
                    ])}
                  </ul>
                )}
              <h2>Coerced by file and field</h2>
              {coercions
                ? <CoercionGroups runId={runId!} data={coercions} filter={state} />
                : <p className="muted">Loading…</p>}
            </section>
            <div className="rejects-lists">
              <section className="card">
                <h2>
                  {state.reason
                    ? `${state.file} ${state.reason}`
                    : state.file
                    ? `Rejected rows of ${state.file}`
                    : "All rejected rows"}
                </h2>
                <div className="table-wrap">
                  <table className="compact" data-rejects-table>
                    <thead>
                      <tr>
                        <th>File</th>
                        <th className="num">Line</th>
                        <th>Reason</th>
                        <th>Field</th>
                        <th>Value</th>
                        <th>Raw line</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.rejects.map((r) => (
                        <tr key={`${r.file}:${r.line}`} data-reject={`${r.file}:${r.line}`}>
                          <td data-label="File">
                            <code>{r.file}</code>
                          </td>
                          <td className="num" data-label="Line">{r.line}</td>
                          <td data-label="Reason">{r.reason}</td>
                          <td data-label="Field">{r.field ?? "–"}</td>
                          <td className="value-cell" data-label="Value">{r.value ?? "–"}</td>
                          <td className="raw-cell" data-label="Raw line">
                            <code className="raw">{r.raw ?? "–"}</code>
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
                  unit="rejected rows"
                  onPage={(p) => go({ page: String(p), cpage: state.cpage })}
                />
              </section>
              {coercions
                ? (
                  <CoercionsTable
                    data={coercions}
                    filter={state}
                    onPage={(p) => go({ cpage: String(p), page: state.page })}
                  />
                )
                : null}
            </div>
          </div>
        )
        : null}
    </main>
  );
}
