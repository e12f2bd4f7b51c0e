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
 * CSS that keeps a running node's elapsed time, estimate bar, percentage and indeterminate bar moving while
 * the kernel sends nothing (a synchronous SQLite statement blocks the kernel's thread for its whole length):
 * integer custom properties registered with `@property`, animated from the elapsed time at drawing (a negative
 * `animation-delay`, `--wb-d`) and shown through CSS counters. No script: JupyterLab runs none in the outputs
 * of an untrusted notebook, CSS animations do run. Where the CSS does not apply (a viewer that strips
 * `<style>`), the static text of the last drawing stays; each redraw starts the animations again from its own
 * elapsed time, so a ticking kernel (or a statement in a worker) and a blocked one show the same.
 */
export const TICKING_CSS = [
  '@property --wb-s{syntax:"<integer>";inherits:false;initial-value:0}',
  '@property --wb-m{syntax:"<integer>";inherits:false;initial-value:0}',
  '@property --wb-p{syntax:"<integer>";inherits:false;initial-value:0}',
  "@keyframes wb-s{from{--wb-s:0}to{--wb-s:60}}",
  "@keyframes wb-m{from{--wb-m:0}to{--wb-m:1440}}",
  "@keyframes wb-p{from{--wb-p:0}to{--wb-p:99}}",
  "@keyframes wb-fill{from{width:0%}to{width:99%}}",
  "@keyframes wb-slide{from{left:0%}to{left:100%}}",
  "@keyframes wb-after-minute{from{font-size:0}to{font-size:1em}}",
  "@keyframes wb-before-minute{from{font-size:1em}to{font-size:0}}",
  // Seconds 0..59 and whole minutes, in phase: both began --wb-d ago.
  ".wb-tick{animation:wb-s 60s steps(60,end) infinite,wb-m 86400s steps(1440,end) 1 forwards;" +
  "animation-delay:var(--wb-d);counter-reset:wb-s var(--wb-s) wb-m var(--wb-m)}",
  ".wb-tick .wb-static,.wb-pct .wb-static{display:none}",
  // "42 s" under a minute, "1 min 05 s" after.
  ".wb-tick .wb-under,.wb-tick .wb-over{animation:wb-before-minute 60s steps(1,end) 1 forwards;" +
  "animation-delay:var(--wb-d)}",
  ".wb-tick .wb-over{animation-name:wb-after-minute}",
  '.wb-tick .wb-under::after{content:counter(wb-s) " s"}',
  '.wb-tick .wb-over::after{content:counter(wb-m) " min " counter(wb-s,decimal-leading-zero) " s"}',
  // Against the estimate: 0 to 99 % over 99 % of it (`--wb-e`), then it stays at 99 % as the static text.
  ".wb-pct{animation:wb-p var(--wb-e) linear 1 forwards;animation-delay:var(--wb-d);" +
  "counter-reset:wb-p var(--wb-p)}",
  '.wb-pct::after{content:"~" counter(wb-p) " %"}',
  ".wb-fill{animation:wb-fill var(--wb-e) linear 1 forwards;animation-delay:var(--wb-d)}",
  ".wb-indeterminate{animation:wb-slide 4s steps(4,end) infinite;animation-delay:var(--wb-d)}",
].join("\n");

/** `-12.345s`: how long ago an animation began, for `--wb-d`. */
const ago = (ms: number) => `-${(Math.max(0, ms) / 1000).toFixed(3)}s`;

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
   * results predate a rerun of a node they depend on; `note` is a line under the table. While a node runs,
   * the HTML carries {@linkcode TICKING_CSS} and the node's elapsed time (and estimate), so the browser keeps
   * its time and bar moving until the next drawing, even when the kernel can send none.
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
      // What the browser animates from: when the node started, as a delay (`--wb-d`), and the estimate.
      const running = r.status === "running" && r.startedAt !== undefined;
      const since = running && until ? until.getTime() - r.startedAt!.getTime() : 0;
      const clock = running ? `--wb-d:${ago(since)};` : "";
      const estimate = byTime ? `${clock}--wb-e:${Math.round(byTime.estimatedMs * 0.99)}ms;` : "";
      const bar = r.status === "pending" || r.status === "skipped"
        ? ""
        : indeterminate
        ? `<div style="width:120px;height:10px;background:#eee;display:inline-block;vertical-align:middle;position:relative"><div class="wb-indeterminate" style="${clock}position:absolute;left:${
          (Math.floor(elapsed / 1000) % 4) * 25
        }%;width:25%;height:10px;background:${STATUS_COLOR.running}"></div></div>`
        : `<div style="width:120px;height:10px;background:#eee;display:inline-block;vertical-align:middle"><div${
          byTime ? ' class="wb-fill"' : ""
        } style="${estimate}width:${percent}%;height:10px;background:${
          STATUS_COLOR[r.status]
        }"></div></div> ${
          r.totalRows || r.status === "success"
            ? `${percent} %`
            : byTime
            ? `<span class="wb-pct" style="${estimate}"><span class="wb-static">~${percent} %</span></span> of ${
              formatDuration(byTime.estimatedMs)
            }`
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
      }</td><td style="white-space:nowrap">${bar}</td><td style="text-align:right;white-space:nowrap">${
        formatCount(r.rowsRead)
      }${r.totalRows ? ` / ${formatCount(r.totalRows)}` : ""}</td><td style="text-align:right">${
        formatCount(r.rowsWritten)
      }</td><td style="text-align:right">${
        formatCount(r.rowsRejected)
      }</td><td style="text-align:right;white-space:nowrap">${
        running ? `<span class="wb-tick" style="${clock}"><span class="wb-static">` : ""
      }${
        elapsed > 0 || r.status !== "running"
          ? elapsed ? formatDuration(elapsed) : ""
          // Before the first tick or event (on SQLite, until its statement ends), when it started.
          : r.startedAt
          ? `since ${r.startedAt.toISOString().slice(11, 19)} UTC`
          : ""
      }${
        running ? `</span><span class="wb-under"></span><span class="wb-over"></span></span>` : ""
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
    const ticking = this.#nodes.ids().some((id) => this.#nodes.get(id)!.status === "running");
    return `${
      ticking ? `<style>${TICKING_CSS}</style>` : ""
    }<table class="wb-progress"><thead><tr><th>node</th><th>status</th><th>progress</th><th>rows read</th><th>written</th><th>rejected</th><th>time</th><th>rows/s</th><th>note</th></tr></thead><tbody>${
      body.join("")
    }</tbody></table>${staleLine}${noteLine}`;
  }
}
