import { formatCount, formatDuration } from "../cli/mod.ts";
import type { DagEvent, NodeStatus } from "../dag/mod.ts";
import { escapeHtml } from "./_escape_html.ts";

interface Row {
  status: NodeStatus;
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  totalRows?: number;
  attempt: number;
  durationMs?: number;
  /** Event time of the start, so elapsed time needs no clock of its own. */
  startedAt?: number;
  lastAt?: number;
  error?: string | null;
  log?: string;
}

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
 * const table = new ProgressTable(["process_sessions"]);
 * await steps.runNode("process_sessions", { onEvent: (e) => table.apply(e) && redraw(table.html()) });
 * ```
 */
export class ProgressTable {
  readonly #rows = new Map<string, Row>();

  constructor(nodeIds: readonly string[] = []) {
    for (const id of nodeIds) this.#add(id);
  }

  #add(id: string): Row {
    const row: Row = { status: "pending", rowsRead: 0, rowsWritten: 0, rowsRejected: 0, attempt: 0 };
    this.#rows.set(id, row);
    return row;
  }

  /** Applies an event; returns whether the table changed. */
  apply(event: DagEvent): boolean {
    if (event.type === "run-started") {
      for (const id of event.nodeIds) if (!this.#rows.has(id)) this.#add(id);
      return true;
    }
    if (event.type === "run-finished") return false;
    const row = this.#rows.get(event.nodeId) ?? this.#add(event.nodeId);
    const at = event.at.getTime();
    row.lastAt = at;
    switch (event.type) {
      case "node-started":
        row.status = "running";
        row.attempt = event.attempt;
        row.startedAt ??= at;
        return true;
      case "node-progress":
        Object.assign(row, event.metrics);
        return true;
      case "node-log":
        row.log = event.message;
        return true;
      case "node-retry":
        row.log = `${event.error}; retrying in ${formatDuration(event.delayMs)}`;
        return true;
      case "node-finished": {
        const r = event.result;
        Object.assign(row, {
          status: r.status,
          rowsRead: r.rowsRead,
          rowsWritten: r.rowsWritten,
          rowsRejected: r.rowsRejected,
          durationMs: r.durationMs ?? undefined,
          error: r.error,
        });
        return true;
      }
    }
  }

  /** Each node's status, in the order the nodes were first seen. */
  statuses(): Record<string, NodeStatus> {
    return Object.fromEntries([...this.#rows].map(([id, r]) => [id, r.status]));
  }

  /** The table as HTML. */
  html(): string {
    const body = [...this.#rows].map(([id, r]) => {
      const elapsed = r.durationMs ??
        (r.startedAt !== undefined && r.lastAt !== undefined ? r.lastAt - r.startedAt : 0);
      const fraction = r.status === "success" ? 1 : r.totalRows ? Math.min(1, r.rowsRead / r.totalRows) : 0;
      const percent = Math.round(fraction * 100);
      const bar = r.status === "pending" || r.status === "skipped"
        ? ""
        : `<div style="width:160px;height:10px;background:#eee;display:inline-block;vertical-align:middle"><div style="width:${percent}%;height:10px;background:${
          STATUS_COLOR[r.status]
        }"></div></div> ${r.totalRows || r.status === "success" ? `${percent} %` : ""}`;
      const rate = elapsed > 0 && r.rowsRead > 0 ? formatCount((r.rowsRead / elapsed) * 1000) : "";
      const note = r.status === "failed" || r.status === "skipped" ? r.error ?? "" : r.log ?? "";
      return `<tr><td><code>${escapeHtml(id)}</code></td><td style="color:${
        STATUS_COLOR[r.status]
      };font-weight:bold">${r.status}${
        r.attempt > 1 ? ` (attempt ${r.attempt})` : ""
      }</td><td>${bar}</td><td style="text-align:right">${formatCount(r.rowsRead)}${
        r.totalRows ? ` / ${formatCount(r.totalRows)}` : ""
      }</td><td style="text-align:right">${formatCount(r.rowsWritten)}</td><td style="text-align:right">${
        formatCount(r.rowsRejected)
      }</td><td style="text-align:right">${
        elapsed ? formatDuration(elapsed) : ""
      }</td><td style="text-align:right">${rate}</td><td>${escapeHtml(note)}</td></tr>`;
    });
    return `<table class="wb-progress"><thead><tr><th>node</th><th>status</th><th>progress</th><th>rows read</th><th>written</th><th>rejected</th><th>time</th><th>rows/s</th><th>note</th></tr></thead><tbody>${
      body.join("")
    }</tbody></table>`;
  }
}
