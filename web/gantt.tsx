/// <reference lib="dom" />
import { formatDuration } from "../lib/format/mod.ts";
import type { NodeView } from "./normalize_dag.ts";
import type { RunDetails } from "./run_history.tsx";

/** `YYYY-MM-DD HH:MM:SS.mmm` (UTC, the run store's format) or ISO, as epoch ms; null when absent. */
function epoch(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(value.includes("T") ? value : value.replace(" ", "T") + "Z");
  return Number.isNaN(ms) ? null : ms;
}

const LABEL_W = 190;
const ROW_H = 24;
const BAND_H = 22;
const WIDTH = 900;

/**
 * The selected run as a timeline: one row per node, the relational branch above the documents, each bar from
 * the node's start to its end on one time axis from the run's start, so the two branches are seen side by
 * side in time.
 */
export function Gantt(props: { run: RunDetails; nodes: readonly NodeView[] }) {
  const runStart = epoch(props.run.startedAt) ?? 0;
  const byId = new Map(props.run.nodes.map((n) => [n.nodeId, n]));
  const ends = props.run.nodes.map((n) => epoch(n.finishedAt) ?? epoch(n.startedAt) ?? runStart);
  const runEnd = Math.max(epoch(props.run.finishedAt) ?? runStart, ...ends);
  const span = Math.max(1, runEnd - runStart);
  const plotW = WIDTH - LABEL_W - 70;
  const x = (ms: number) => LABEL_W + ((ms - runStart) / span) * plotW;
  const bands = (["relational", "document"] as const).map((branch) => ({
    branch,
    nodes: props.nodes.filter((n) => n.branch === branch && byId.has(n.id)),
  })).filter((b) => b.nodes.length > 0);
  if (bands.length === 0) return <p className="muted">No node of this run started.</p>;
  let y = 0;
  const rows: { node: NodeView; y: number }[] = [];
  const labels: { branch: string; y: number }[] = [];
  for (const band of bands) {
    labels.push({ branch: band.branch, y });
    y += BAND_H;
    for (const node of band.nodes) {
      rows.push({ node, y });
      y += ROW_H;
    }
  }
  const height = y + 26;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <figure className="chart gantt">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label="Timeline of the selected run, one bar per node"
        data-gantt={props.run.runId}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line
              className="chart-axis"
              x1={LABEL_W + t * plotW}
              x2={LABEL_W + t * plotW}
              y1={0}
              y2={height - 20}
            />
            <text
              className="chart-note"
              x={LABEL_W + t * plotW}
              y={height - 6}
              textAnchor={t === 0 ? "start" : t === 1 ? "end" : "middle"}
            >
              {formatDuration(t * span)}
            </text>
          </g>
        ))}
        {labels.map((l) => (
          <text key={l.branch} className="band-label" x={4} y={l.y + 15}>
            {l.branch === "relational" ? "Relational" : "Documents"}
          </text>
        ))}
        {rows.map(({ node, y }) => {
          const run = byId.get(node.id)!;
          const start = epoch(run.startedAt);
          const end = epoch(run.finishedAt) ?? (start === null ? null : runEnd);
          const status = run.status;
          return (
            <g key={node.id} data-gantt-node={node.id} data-status={status}>
              <text className="chart-label" x={LABEL_W - 8} y={y + 16} textAnchor="end">{node.name}</text>
              {start !== null && end !== null
                ? (
                  <rect
                    className={`chart-bar run-${status === "success" ? "success" : status}`}
                    x={x(start)}
                    y={y + 4}
                    width={Math.max(2, x(end) - x(start))}
                    height={ROW_H - 8}
                    rx="3"
                  >
                    <title>
                      {`${node.name}: ${status}, ${formatDuration(run.durationMs ?? end - start)}${
                        run.attempts > 1 ? `, ${run.attempts} attempts` : ""
                      }`}
                    </title>
                  </rect>
                )
                : null}
              <text
                className="chart-value"
                x={start !== null && end !== null ? Math.min(x(end) + 6, WIDTH - 66) : LABEL_W}
                y={y + 16}
              >
                {start === null ? status : formatDuration(run.durationMs ?? (end ?? start) - start)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        Each bar runs from the node's start to its end, on one time axis from the run's start (total{" "}
        {formatDuration(span)}); green succeeded, red failed, grey skipped.
      </figcaption>
    </figure>
  );
}
