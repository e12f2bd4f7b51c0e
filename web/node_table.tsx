/// <reference lib="dom" />
import { formatCount, formatDuration, formatRows } from "../lib/format/mod.ts";
import type { NodeView } from "./normalize_dag.ts";

const LABEL: Record<NodeView["status"], string> = {
  pending: "waiting",
  running: "running",
  success: "success",
  failed: "failed",
  skipped: "skipped",
};

/** One node's progress: a bar when the total is known, else the rows so far. */
function Progress(props: { node: NodeView }) {
  const n = props.node;
  // A node with no row total but an estimate (one long statement): elapsed against the last run's time.
  const byTime = n.percent === undefined && n.status === "running" && n.estimatedMs
    ? Math.min(99, Math.round((n.durationMs / n.estimatedMs) * 100))
    : undefined;
  const known = n.percent !== undefined || byTime !== undefined;
  const share = n.status === "success" ? 100 : (n.percent ?? byTime ?? 0);
  const text = byTime !== undefined
    ? `${formatDuration(n.durationMs)} of ~${formatDuration(n.estimatedMs!)} (${byTime}%)`
    : known
    ? `${formatCount(n.rowsRead)} / ${formatCount(n.totalRows ?? 0)} (${
      share.toFixed(share === 100 ? 0 : 1)
    }%)`
    : n.status === "pending" || n.status === "skipped"
    ? "–"
    : n.status === "success" && n.rowsRead === 0
    ? "done (reads no rows)"
    : formatRows(n.rowsRead);
  return (
    <div className="progress" data-percent={known ? String(n.percent ?? byTime) : ""}>
      <div className={`progress-track status-${n.status}`}>
        <div
          className={`progress-fill${known || n.status !== "running" ? "" : " indeterminate"}`}
          style={{
            width: `${known ? share : n.status === "success" ? 100 : n.status === "running" ? 100 : 0}%`,
          }}
        />
      </div>
      <span className="progress-text">{text}</span>
    </div>
  );
}

/** Every node with its status, progress, counts, speed, duration and error. */
export function NodeTable(props: { nodes: NodeView[] }) {
  return (
    <table className="nodes">
      <thead>
        <tr>
          <th>Node</th>
          <th>Status</th>
          <th className="wide">Progress (rows read)</th>
          <th className="num">Written</th>
          <th className="num">Rejected</th>
          <th className="num">Rows/s</th>
          <th className="num">Duration</th>
        </tr>
      </thead>
      <tbody>
        {props.nodes.map((n) => {
          const notRun = n.status === "pending" || n.status === "skipped";
          return [
            <tr
              key={n.id}
              data-node-row={n.id}
              data-status={n.status}
              data-rows-read={String(n.rowsRead)}
              title={n.description ?? undefined}
            >
              <td>
                <span className="node-title">{n.name}</span>
                <code className="node-id">{n.id}</code>
              </td>
              <td>
                <span className={`badge status-${n.status}`}>{LABEL[n.status]}</span>
                {n.attempts > 1
                  ? (
                    <span className="badge retry" data-retries={String(n.attempts - 1)}>
                      {n.attempts - 1 === 1 ? "1 retry" : `${n.attempts - 1} retries`}
                    </span>
                  )
                  : null}
              </td>
              <td>
                <Progress node={n} />
              </td>
              <td className="num">{notRun ? "–" : formatCount(n.rowsWritten)}</td>
              <td className="num">{notRun ? "–" : formatCount(n.rowsRejected)}</td>
              <td className="num">{n.rowsPerSecond > 0 ? formatCount(n.rowsPerSecond) : "–"}</td>
              <td className="num">{n.durationMs > 0 ? formatDuration(n.durationMs) : "–"}</td>
            </tr>,
            n.error && n.status !== "pending"
              ? (
                <tr key={`${n.id}-error`} className={`error-row status-${n.status}`} data-error-of={n.id}>
                  <td colSpan={7}>
                    <strong>{n.status === "failed" ? "Error: " : "Why skipped: "}</strong>
                    {n.error}
                  </td>
                </tr>
              )
              : null,
          ];
        })}
      </tbody>
    </table>
  );
}
