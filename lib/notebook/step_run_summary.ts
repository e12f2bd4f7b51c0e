import type { RunResult } from "../dag/mod.ts";
import { escapeHtml } from "./_escape_html.ts";
import { htmlTable } from "./html_table.ts";

/**
 * A notebook's closing summary of its step run: the status, which nodes are stale (computed before a node
 * they depend on ran again, so their success is about old data) and one row per node.
 *
 * @example
 * ```ts
 * import type { StepRun } from "../pipelines/mod.ts";
 * import { HtmlBlock } from "./html_block.ts";
 * import { stepRunSummaryHtml } from "./step_run_summary.ts";
 *
 * declare const steps: StepRun;
 * declare const show: (value: unknown) => Promise<void>;
 * const run = await steps.finish();
 * await show(new HtmlBlock(stepRunSummaryHtml(run, steps.stale)));
 * ```
 */
export function stepRunSummaryHtml(run: RunResult, stale: readonly string[] = []): string {
  const marked = new Set(stale);
  const staleLine = stale.length
    ? `<p class="wb-stale" style="color:#b07aa1">stale: rerun ${
      stale.map((id) => `<code>${escapeHtml(id)}</code>`).join(", ")
    }: they ran before a node they depend on ran again (<code>steps.rerunStale()</code> before <code>steps.finish()</code>, or start a new run).</p>`
    : "";
  return `<p>Run <code>${escapeHtml(run.runId)}</code>: <b>${escapeHtml(run.status)}</b>${
    stale.length ? `, with ${stale.length} stale node${stale.length > 1 ? "s" : ""}` : ""
  }.</p>${staleLine}` +
    htmlTable(
      run.nodes.map((n) => ({
        node: n.nodeId,
        status: marked.has(n.nodeId) ? `${n.status} (stale)` : n.status,
        "rows in": n.rowsRead,
        "rows out": n.rowsWritten,
        rejected: n.rowsRejected,
        "time (ms)": n.durationMs,
      })),
      { limit: 20 },
    );
}
