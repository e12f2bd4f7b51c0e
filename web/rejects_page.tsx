/// <reference lib="dom" />
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
 * line, paged (`#/rejects/<runId>?file=&reason=&page=`); the latest run when none is named.
 */
export function RejectsPage(props: { route: Route; version: string; latestRunId: string | null }) {
  const runs = useJson<{ runs: RunSummary[] }>("/api/etl/runs?limit=20", props.version);
  const runId = props.route.rest[0] ?? props.latestRunId ?? runs.data?.runs[0]?.runId ?? null;
  const q = props.route.query;
  const state = { file: q.get("file") ?? "", reason: q.get("reason") ?? "", page: q.get("page") ?? "1" };
  const go = (next: Partial<typeof state> & { run?: string }) => {
    const { run = runId ?? "", ...rest } = next;
    navigate(href("rejects", run ? [run] : [], { ...state, page: "1", ...rest }));
  };
  const params = new URLSearchParams({ page: state.page, limit: "25" });
  if (state.file) params.set("file", state.file);
  if (state.reason) params.set("reason", state.reason);
  const page = useJson<RejectsPage>(
    runId ? `/api/etl/runs/${encodeURIComponent(runId)}/rejects?${params}` : null,
    props.version,
  );
  const data = page.data?.runId === runId ? page.data : null;
  const all = (data?.groups ?? []).reduce((s, g) => s + g.count, 0);
  return (
    <main>
      <header>
        <div>
          <h1>Rejects</h1>
          <p className="muted">
            Input rows a run did not load, and why: the file and line, the field and value at fault, the raw
            line.
          </p>
        </div>
      </header>
      <ErrorBanner error={runs.error ?? page.error} />
      <section className="controls">
        <label>
          Run{" "}
          <select
            value={runId ?? ""}
            onChange={(e) => go({ run: e.target.value, file: "", reason: "" })}
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
              <h2>By file and reason ({formatCount(all)})</h2>
              {data.groups.length === 0
                ? <p className="muted">No row was rejected in this run.</p>
                : (
                  <ul className="groups" data-groups>
                    <li>
                      <a
                        href={href("rejects", [runId!])}
                        aria-current={!state.file && !state.reason ? "true" : undefined}
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
            </section>
            <section className="card">
              <h2>
                {state.file || state.reason ? `${state.file} ${state.reason}` : "All rejected rows"}
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
                onPage={(p) => go({ page: String(p) })}
              />
            </section>
          </div>
        )
        : null}
    </main>
  );
}
