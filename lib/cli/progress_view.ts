import { type DagEvent, NodeStates, type NodeStatus, type RunResult, timeProgress } from "../dag/mod.ts";
import { formatCount, formatDuration } from "../format/mod.ts";
import { abbreviateId, cellWidth, fitLine, type ScreenSize } from "./fit_text.ts";

const BAR_WIDTH = 20;
const ICONS: Record<NodeStatus, string> = {
  pending: "·",
  running: "▶",
  success: "✔",
  failed: "✘",
  skipped: "↷",
};

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

  /**
   * The live block: one line per node with a bar, counts and speed. Given a terminal's size, the block fits
   * it: no line is wider than `columns - 1` (a full line would wrap in some terminals), and it has at most
   * `rows - 1` lines (finished, then pending nodes collapse into one line each when the terminal is short),
   * so that redrawing it in place never leaves a copy in the scrollback.
   */
  render(size: Partial<ScreenSize> = {}): string {
    const { columns = Infinity, rows = Infinity } = size;
    const width = Math.max(1, columns - 1);
    const height = Math.max(1, rows - 1);
    const ids = this.#nodes.ids();
    for (const layout of LAYOUTS) {
      const lines = this.#lines(ids, layout, width);
      // A failed node's error is cut to fit; it does not make the other lines narrower.
      const fits = lines.every((l, i) => {
        const n = this.#nodes.get(ids[i])!;
        return cellWidth(n.status === "failed" ? l.slice(0, l.length - (n.error ?? "").length) : l) <= width;
      });
      if (fits || layout === LAYOUTS.at(-1)) {
        return this.#collapse(ids, lines, height, width).map((l) => fitLine(l, width)).join("\n");
      }
    }
    return "";
  }

  #lines(ids: string[], layout: Layout, width: number): string[] {
    const idWidth = Math.min(
      Math.max(...ids.map((id) => id.length)),
      Number.isFinite(width) ? Math.max(8, Math.floor(width * layout.idShare)) : Infinity,
    );
    const rejected = (n: { rowsRejected: number }) =>
      n.rowsRejected ? `(${formatCount(n.rowsRejected)} ${layout.long ? "rejected" : "rej"}) ` : "";
    // Every line's time starts in the same column: the rejected counts are padded to the widest.
    const rejectedWidth = Math.max(0, ...ids.map((id) => rejected(this.#nodes.get(id)!).length));
    return ids.map((id) => {
      const n = this.#nodes.get(id)!;
      const elapsed = n.durationMs ?? (n.startedAt ? Math.max(0, this.#now() - n.startedAt.getTime()) : 0);
      // A node without a row total that ran before at this scale: elapsed against that run's duration.
      const byTime = timeProgress(n, new Date(this.#now()));
      const cells: string[] = [ICONS[n.status], abbreviateId(id, idWidth).padEnd(idWidth)];
      if (layout.bar > 0) {
        cells.push(
          byTime
            ? bar(n.status, 1000, Math.round(byTime.fraction * 1000), elapsed, layout.bar)
            : bar(n.status, n.totalRows, n.rowsRead, elapsed, layout.bar),
        );
      }
      cells.push(`${formatCount(n.rowsRead).padStart(layout.countWidth)} rows`);
      let line = cells.join(" ") + " " + rejected(n).padEnd(rejectedWidth) +
        (elapsed ? formatDuration(elapsed).padStart(layout.long ? 9 : 7) : "");
      if (layout.rate && byTime) {
        line += ` ~${Math.round(byTime.fraction * 100)} % of ${formatDuration(byTime.estimatedMs)}`;
      } else if (layout.rate && elapsed > 0 && n.rowsRead > 0) {
        line += ` ${formatCount((n.rowsRead / elapsed) * 1000)}${layout.long ? " rows/s" : "/s"}`;
      }
      const tail = n.status === "failed" ? ` ${n.error ?? ""}` : n.status === "skipped" ? " skipped" : "";
      return (line + tail).trimEnd();
    });
  }

  /** Collapses finished, then pending nodes into one line each until the block has at most `height` lines. */
  #collapse(ids: string[], lines: string[], height: number, width: number): string[] {
    if (lines.length <= height) return lines;
    const rows = ids.map((id, i) => ({ id, status: this.#nodes.get(id)!.status, line: lines[i] }));
    const summary = (status: NodeStatus, label: string) => {
      const group = rows.filter((r) => r.status === status);
      return group.length === 0 ? [] : [{
        id: "",
        status,
        line: fitLine(
          `${ICONS[status]} ${group.length} ${label}: ${group.map((r) => r.id).join(", ")}`,
          width,
        ),
      }];
    };
    let shown = rows;
    for (
      const [status, label] of [["success", "done"], ["pending", "pending"], ["skipped", "skipped"]] as const
    ) {
      if (shown.length <= height) break;
      const first = shown.findIndex((r) => r.status === status);
      if (first < 0) continue;
      const rest = shown.filter((r) => r.status !== status);
      shown = status === "pending"
        ? [...rest, ...summary(status, label)]
        : [...summary(status, label), ...rest];
    }
    // Still too tall: the finished nodes go first, then what does not fit after the running ones.
    if (shown.length > height) shown = shown.filter((r) => !(r.id === "" && r.status === "success"));
    if (shown.length > height) {
      const order = (r: { status: NodeStatus }) => r.status === "running" ? 0 : r.status === "failed" ? 1 : 2;
      shown = [...shown].sort((a, b) => order(a) - order(b));
      const hidden = shown.length - height + 1;
      shown = [...shown.slice(0, height - 1), { id: "", status: "pending", line: `… ${hidden} more nodes` }];
    }
    return shown.map((r) => r.line);
  }
}

/** How much a live line shows, from the widest layout to the narrowest. */
interface Layout {
  bar: number;
  countWidth: number;
  long: boolean;
  rate: boolean;
  idShare: number;
}
const LAYOUTS: Layout[] = [
  { bar: BAR_WIDTH, countWidth: 10, long: true, rate: true, idShare: 1 },
  { bar: 12, countWidth: 8, long: false, rate: true, idShare: 1 },
  { bar: 8, countWidth: 7, long: false, rate: false, idShare: 1 },
  // Whole ids matter more than a bar; abbreviated ones come last.
  { bar: 0, countWidth: 7, long: false, rate: false, idShare: 1 },
  { bar: 0, countWidth: 7, long: false, rate: false, idShare: 0.35 },
];

/** A progress bar; a running node that does not know its total gets a block that moves with time. */
function bar(
  status: NodeStatus,
  totalRows: number | undefined,
  rowsRead: number,
  elapsed: number,
  width: number,
) {
  if (status === "pending" || status === "skipped") return " ".repeat(width);
  if (status === "running" && !totalRows) {
    const block = Math.max(1, Math.round(width / 4));
    const at = Math.floor(elapsed / 250) % (width - block + 1);
    return "░".repeat(at) + "█".repeat(block) + "░".repeat(width - block - at);
  }
  const fraction = status === "success" ? 1 : totalRows ? Math.min(1, rowsRead / totalRows) : 0;
  const filled = Math.round(fraction * width);
  return "█".repeat(filled) + "░".repeat(width - filled);
}

/** The summary table printed at the end of a run; given `columns`, it leaves out rows/s to fit, then cuts. */
export function formatSummary(result: RunResult, options: { columns?: number } = {}): string {
  const { columns = Infinity } = options;
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
  const width = Math.max(1, columns - 1);
  let shown = header.length;
  let gap = "  ";
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const total = () => widths.slice(0, shown).reduce((a, b) => a + b, 0) + gap.length * (shown - 1);
  if (total() > width) shown--;
  if (total() > width) gap = " ";
  // Still too wide: node ids are abbreviated, down to 12 cells.
  if (total() > width) widths[0] = Math.max(12, widths[0] - (total() - width));
  for (const r of rows) r[0] = abbreviateId(r[0], widths[0]);
  const line = (cells: string[]) =>
    fitLine(
      cells.slice(0, shown).map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(gap)
        .trimEnd(),
      width,
    );
  const duration = result.finishedAt.getTime() - result.startedAt.getTime();
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    fitLine(`run ${result.runId}: ${result.status} in ${formatDuration(duration)}`, width),
  ].join("\n");
}
