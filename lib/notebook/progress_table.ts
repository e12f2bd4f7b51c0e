import { formatCount, formatDuration } from "../format/mod.ts";
import { type DagEvent, NodeStates, type NodeStatus, timeProgress } from "../dag/mod.ts";
import { escapeHtml } from "./_escape_html.ts";

const STATUS_COLOR: Record<NodeStatus, string> = {
  pending: "#999",
  running: "#4e79a7",
  success: "#59a14f",
  failed: "#e15759",
  skipped: "#999",
};

/**
 * Follows a run's DAG events and renders them as an HTML table (status, progress bar, rows, rejects, time,
 * rows/s, last message), for a notebook cell to redraw in place while a node runs.
 *
 * @example
 * ```ts
 * import type { StepRun } from "../pipelines/mod.ts";
 * import { ProgressTable } from "./mod.ts";
 *
 * declare const steps: StepRun;
 * declare function redraw(html: string): void;
 * const table = new ProgressTable(["process_sessions"]);
 * await steps.runNode("process_sessions", { onEvent: (e) => table.apply(e) && redraw(table.html()) });
 * ```
 */
export class ProgressTable {
  readonly #nodes: NodeStates;

  constructor(nodeIds: readonly string[] = []) {
    this.#nodes = new NodeStates(nodeIds);
  }

  /** Applies an event; returns whether the table changed. */
  apply(event: DagEvent): boolean {
    if (event.type === "run-finished") return false;
    if (event.type === "run-started") {
      // Nodes already shown keep their row; the others join the table.
      const added = event.nodeIds.filter((id) => !this.#nodes.get(id));
      this.#nodes.apply({ ...event, nodeIds: added });
      return true;
    }
    return this.#nodes.apply(event);
  }

  /** Each node's status, in the order the nodes were first seen. */
  statuses(): Record<string, NodeStatus> {
    return Object.fromEntries(this.#nodes.ids().map((id) => [id, this.#nodes.get(id)!.status]));
  }

  /**
   * The table as HTML. `now` ticks the elapsed time of running nodes between events (otherwise it is taken
   * from the events' times: the table needs no clock of its own); `stale` lists nodes of the run whose
   * results predate a rerun of a node they depend on; `note` is a line under the table.
   */
  html(options: { now?: Date; stale?: readonly string[]; note?: string } = {}): string {
    const { now, stale = [], note: footnote } = options;
    const body = this.#nodes.ids().map((id) => {
      const r = this.#nodes.get(id)!;
      const until = r.status === "running" && now ? now : r.updatedAt;
      const elapsed = r.durationMs ??
        (r.startedAt && until ? Math.max(0, until.getTime() - r.startedAt.getTime()) : 0);
      const byTime = until ? timeProgress(r, until) : undefined;
      const fraction = r.status === "success"
        ? 1
        : r.totalRows
        ? Math.min(1, r.rowsRead / r.totalRows)
        : byTime?.fraction ?? 0;
      const percent = Math.round(fraction * 100);
      // A running node that does not know its total (SQL-only nodes): a block that moves each second.
      const indeterminate = r.status === "running" && !r.totalRows && !byTime;
      const bar = r.status === "pending" || r.status === "skipped"
        ? ""
        : indeterminate
        ? `<div style="width:160px;height:10px;background:#eee;display:inline-block;vertical-align:middle;position:relative"><div class="wb-indeterminate" style="position:absolute;left:${
          (Math.floor(elapsed / 1000) % 4) * 25
        }%;width:25%;height:10px;background:${STATUS_COLOR.running}"></div></div>`
        : `<div style="width:160px;height:10px;background:#eee;display:inline-block;vertical-align:middle"><div style="width:${percent}%;height:10px;background:${
          STATUS_COLOR[r.status]
        }"></div></div> ${
          r.totalRows || r.status === "success"
            ? `${percent} %`
            : byTime
            ? `~${percent} % of ${formatDuration(byTime.estimatedMs)}`
            : ""
        }`;
      const rate = elapsed > 0 && r.rowsRead > 0 ? formatCount((r.rowsRead / elapsed) * 1000) : "";
      const note = r.status === "failed" || r.status === "skipped"
        ? r.error ?? ""
        : r.retry
        ? `${r.retry.error}; retrying in ${formatDuration(r.retry.delayMs)}`
        : r.message ?? "";
      return `<tr><td><code>${escapeHtml(id)}</code></td><td style="color:${
        STATUS_COLOR[r.status]
      };font-weight:bold">${r.status}${
        r.attempts > 1 ? ` (attempt ${r.attempts})` : ""
      }</td><td>${bar}</td><td style="text-align:right">${formatCount(r.rowsRead)}${
        r.totalRows ? ` / ${formatCount(r.totalRows)}` : ""
      }</td><td style="text-align:right">${formatCount(r.rowsWritten)}</td><td style="text-align:right">${
        formatCount(r.rowsRejected)
      }</td><td style="text-align:right">${
        elapsed > 0 || r.status !== "running"
          ? elapsed ? formatDuration(elapsed) : ""
          // Before the first tick or event (on SQLite, until its statement ends), when it started.
          : r.startedAt
          ? `since ${r.startedAt.toISOString().slice(11, 19)} UTC`
          : ""
      }</td><td style="text-align:right">${rate}</td><td style="max-width:32em">${
        escapeHtml(note)
      }</td></tr>`;
    });
    const staleLine = stale.length
      ? `<p class="wb-stale" style="color:#b07aa1">stale: rerun ${
        stale.map((id) => `<code>${escapeHtml(id)}</code>`).join(", ")
      } (computed before a node they depend on ran again; <code>steps.rerunStale()</code>)</p>`
      : "";
    const noteLine = footnote ? `<p class="wb-note">${escapeHtml(footnote)}</p>` : "";
    return `<table class="wb-progress"><thead><tr><th>node</th><th>status</th><th>progress</th><th>rows read</th><th>written</th><th>rejected</th><th>time</th><th>rows/s</th><th>note</th></tr></thead><tbody>${
      body.join("")
    }</tbody></table>${staleLine}${noteLine}`;
  }
}
