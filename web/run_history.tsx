/// <reference lib="dom" />
import type { RunDetails, RunSummary } from "../lib/server/run_history.ts";
import { formatCount, formatDuration, formatTime } from "../lib/format/mod.ts";

export type { RunDetails, RunSummary };

/** The latest runs, newest first; a click selects one. */
export function RunHistory(
  props: { runs: RunSummary[]; selected: string | null; running: boolean; onSelect(id: string): void },
) {
  if (props.runs.length === 0) {
    return (
      <p className="muted">
        {props.running ? "Loading the history..." : "No run recorded yet: press Start."}
      </p>
    );
  }
  return (
    <table className="runs">
      <thead>
        <tr>
          <th>Started</th>
          <th>Run</th>
          <th>Status</th>
          <th>Pipelines</th>
          <th className="num">Nodes ok / failed / skipped</th>
          <th className="num">Duration</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((run) => {
          const by = (s: string) => run.nodes.filter((n) => n.status === s).length;
          return (
            <tr
              key={run.runId}
              data-run={run.runId}
              className={run.runId === props.selected ? "selected" : ""}
              onClick={() => props.onSelect(run.runId)}
            >
              <td>{formatTime(run.startedAt)}</td>
              <td>
                <code>{run.runId.slice(0, 8)}</code>
              </td>
              <td>
                <span className={`badge run-${run.status}`}>{run.status}</span>
              </td>
              <td>{String(run.options?.pipelines ?? (run.options?.only ? "selected nodes" : "both"))}</td>
              <td className="num">{`${by("success")} / ${by("failed")} / ${by("skipped")}`}</td>
              <td className="num">{run.durationMs === null ? "–" : formatDuration(run.durationMs)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * Node durations over the last runs: one row per node, one bar per run (oldest on the left), all rows on one
 * scale so that slow nodes stand out.
 */
export function DurationChart(props: { runs: RunSummary[]; nodeOrder: { id: string; name: string }[] }) {
  const runs = [...props.runs].reverse();
  if (runs.length === 0) return null;
  const max = Math.max(1, ...runs.flatMap((r) => r.nodes.map((n) => n.durationMs ?? 0)));
  const barW = 18;
  const gap = 4;
  const labelW = 170;
  const rowH = 22;
  const valueW = 70;
  const width = labelW + runs.length * (barW + gap) + valueW;
  const height = props.nodeOrder.length * rowH + 4;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-label="Node durations over the last runs"
      >
        {props.nodeOrder.map((node, row) => {
          const y = row * rowH;
          const latest = runs.at(-1)!.nodes.find((n) => n.nodeId === node.id);
          return (
            <g key={node.id} transform={`translate(0,${y})`}>
              <text className="chart-label" x={labelW - 8} y={rowH - 7} textAnchor="end">{node.name}</text>
              <line
                className="chart-axis"
                x1={labelW}
                x2={labelW + runs.length * (barW + gap)}
                y1={rowH - 2}
                y2={rowH - 2}
              />
              {runs.map((run, i) => {
                const n = run.nodes.find((n) => n.nodeId === node.id);
                const ms = n?.durationMs ?? 0;
                const h = Math.max(ms > 0 ? 1 : 0, (ms / max) * (rowH - 4));
                return (
                  <rect
                    key={run.runId}
                    className={`chart-bar run-${n?.status ?? "none"}`}
                    x={labelW + i * (barW + gap)}
                    y={rowH - 2 - h}
                    width={barW}
                    height={h}
                  >
                    <title>
                      {`${node.name}, run ${run.runId.slice(0, 8)}: ${n ? formatDuration(ms) : "not run"}`}
                    </title>
                  </rect>
                );
              })}
              <text className="chart-value" x={width - 4} y={rowH - 7} textAnchor="end">
                {latest?.durationMs ? formatDuration(latest.durationMs) : "–"}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {`Last ${runs.length} run${
          runs.length === 1 ? "" : "s"
        }, oldest on the left; bar height is the node's ` +
          `duration (tallest: ${
            formatDuration(max)
          }); green succeeded, red failed. Right: the latest run's duration.`}
      </figcaption>
    </figure>
  );
}

/** The selected run: rejects by reason and its quality checks. */
export function RunDetailsView(props: { run: RunDetails | null }) {
  const run = props.run;
  if (!run) return <p className="muted">Select a run above to see its rejects and quality checks.</p>;
  const totalRejects = run.rejectsByReason.reduce((sum, r) => sum + r.count, 0);
  return (
    <div className="details" data-details-run={run.runId}>
      <h3>
        Run <code>{run.runId.slice(0, 8)}</code>, {formatTime(run.startedAt)}:{" "}
        <span className={`badge run-${run.status}`}>{run.status}</span>
      </h3>
      <div className="details-grid">
        <section>
          <h4>Rejected rows by reason ({formatCount(totalRejects)})</h4>
          {run.rejectsByReason.length === 0
            ? <p className="muted">No row was rejected in this run.</p>
            : (
              <table className="compact" data-rejects>
                <thead>
                  <tr>
                    <th>File</th>
                    <th>Reason</th>
                    <th className="num">Rows</th>
                  </tr>
                </thead>
                <tbody>
                  {run.rejectsByReason.map((r) => (
                    <tr key={`${r.file}/${r.reason}`}>
                      <td>{r.file}</td>
                      <td>{r.reason}</td>
                      <td className="num">{formatCount(r.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
        </section>
        <section>
          <h4>
            Quality checks ({run.checks.filter((c) => c.status === "pass").length} of {run.checks.length}{" "}
            passed)
          </h4>
          {run.checks.length === 0
            ? <p className="muted">No quality check ran in this run (validate_data did not run).</p>
            : (
              <table className="compact" data-checks>
                <thead>
                  <tr>
                    <th>Check</th>
                    <th>Result</th>
                    <th>Observed</th>
                    <th>Expected</th>
                  </tr>
                </thead>
                <tbody>
                  {run.checks.map((c) => (
                    <tr key={c.name} title={c.message ?? undefined}>
                      <td>{c.name}</td>
                      <td>
                        <span className={`badge check-${c.status}`}>{c.status}</span>
                      </td>
                      <td>{c.observed ?? "–"}</td>
                      <td>{c.expected ?? "–"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
        </section>
      </div>
    </div>
  );
}
