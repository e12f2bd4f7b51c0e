import { type DagEvent, NodeStates, type NodeStatus, type RunResult, timeProgress } from "../dag/mod.ts";

const BAR_WIDTH = 20;
const ICONS: Record<NodeStatus, string> = {
  pending: "·",
  running: "▶",
  success: "✔",
  failed: "✘",
  skipped: "↷",
};

/** Formats a count with thousands separators: 222785 -> "222,785". */
export const formatCount = (n: number): string => Math.round(n).toLocaleString("en-US");

/** Formats milliseconds as "850 ms" or "2.41 s". */
export const formatDuration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;

/**
 * Follows a run's events and renders them: a block of live lines for a terminal (redrawn in place), or
 * one plain line per event worth logging when the output is a file or a pipe.
 */
export class ProgressView {
  readonly #nodes: NodeStates;
  readonly #now: () => number;

  /** `now` gives the time in epoch milliseconds, as the events' `at`. */
  constructor(nodeIds: readonly string[], now: () => number = () => Date.now()) {
    this.#now = now;
    this.#nodes = new NodeStates(nodeIds);
  }

  /** Applies an event; returns the plain line to print for it, if any. */
  apply(event: DagEvent): string | undefined {
    if (event.type !== "run-finished" && event.type !== "run-started" && !this.#nodes.get(event.nodeId)) {
      return undefined;
    }
    this.#nodes.apply(event);
    switch (event.type) {
      case "run-started":
        return `run ${event.runId} started: ${event.nodeIds.length} nodes`;
      case "node-started":
        return event.attempt > 1 ? `${event.nodeId}: attempt ${event.attempt}` : `${event.nodeId}: started`;
      case "node-log":
        return `${event.nodeId}: ${event.message}`;
      case "node-retry":
        return `${event.nodeId}: ${event.error}; retrying in ${formatDuration(event.delayMs)}`;
      case "node-finished": {
        const r = event.result;
        if (r.status === "skipped") return `${event.nodeId}: skipped (${r.error})`;
        if (r.status === "failed") return `${event.nodeId}: FAILED: ${r.error}`;
        return `${event.nodeId}: ${r.status} in ${formatDuration(r.durationMs ?? 0)}, ${
          formatCount(r.rowsRead)
        } read, ${formatCount(r.rowsWritten)} written, ${formatCount(r.rowsRejected)} rejected`;
      }
      default:
        return undefined;
    }
  }

  /** The live block: one line per node with a bar, counts and speed. */
  render(): string {
    const ids = this.#nodes.ids();
    const width = Math.max(...ids.map((id) => id.length));
    const lines: string[] = [];
    for (const id of ids) {
      const n = this.#nodes.get(id)!;
      const elapsed = n.durationMs ?? (n.startedAt ? Math.max(0, this.#now() - n.startedAt.getTime()) : 0);
      const byTime = timeProgress(n, new Date(this.#now()));
      const fraction = n.status === "success"
        ? 1
        : n.totalRows
        ? Math.min(1, n.rowsRead / n.totalRows)
        : byTime?.fraction ?? 0;
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = n.status === "pending" || n.status === "skipped"
        ? " ".repeat(BAR_WIDTH)
        : "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled);
      const rate = byTime
        ? `~${Math.round(byTime.fraction * 100)} % of ${formatDuration(byTime.estimatedMs)}`
        : elapsed > 0 && n.rowsRead > 0
        ? `${formatCount((n.rowsRead / elapsed) * 1000)} rows/s`
        : "";
      const tail = n.status === "failed" ? ` ${n.error ?? ""}` : n.status === "skipped" ? " skipped" : "";
      lines.push(
        `${ICONS[n.status]} ${id.padEnd(width)} ${bar} ${formatCount(n.rowsRead).padStart(10)} rows ${
          n.rowsRejected ? `(${formatCount(n.rowsRejected)} rejected) ` : ""
        }${elapsed ? formatDuration(elapsed).padStart(9) : ""} ${rate}${tail}`.trimEnd(),
      );
    }
    return lines.join("\n");
  }
}

/** The summary table printed at the end of a run. */
export function formatSummary(result: RunResult): string {
  const header = ["node", "status", "read", "written", "rejected", "duration", "rows/s"];
  const rows = result.nodes.map((n) => [
    n.nodeId,
    n.status,
    formatCount(n.rowsRead),
    formatCount(n.rowsWritten),
    formatCount(n.rowsRejected),
    n.durationMs === null ? "" : formatDuration(n.durationMs),
    n.durationMs && n.rowsRead ? formatCount((n.rowsRead / n.durationMs) * 1000) : "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  const total = result.finishedAt.getTime() - result.startedAt.getTime();
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    `run ${result.runId}: ${result.status} in ${formatDuration(total)}`,
  ].join("\n");
}
