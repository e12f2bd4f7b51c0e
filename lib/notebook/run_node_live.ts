import type { DagEvent, NodeRunResult } from "../dag/mod.ts";
import type { StepRun } from "../pipelines/mod.ts";
import { ProgressTable } from "./progress_table.ts";

/** Where a live display draws: a notebook passes functions that call `Deno.jupyter.display`. */
export interface LiveDisplay {
  /** Shows the first version of a display. */
  show(bundle: Record<string, string>): Promise<void> | void;
  /** Replaces what `show` drew. */
  update(bundle: Record<string, string>): Promise<void> | void;
}

/** Options of {@linkcode runNodeLive}. */
export interface RunNodeLiveOptions {
  display: LiveDisplay;
  /** Longest the node may run; it is then cancelled (recorded as failed) and the kernel keeps its state. */
  timeBudgetMs?: number;
  /** Cancels the node from outside as well. */
  signal?: AbortSignal;
  /** Also receives every event. */
  onEvent?: (event: DagEvent) => void;
  /**
   * Cancel the node on SIGINT, which the Jupyter kernel's interrupt button sends to the kernel's process,
   * the way the time budget does. @default true
   */
  cancelOnInterrupt?: boolean;
  /** How often the elapsed time of a running node is redrawn between events. @default 1000 */
  tickMs?: number;
}

/**
 * Runs one node of a step run while a progress table updates in place; resolves with the node's result once
 * the last update is drawn.
 *
 * @example
 * ```ts
 * import type { StepRun } from "../pipelines/mod.ts";
 * import { type LiveDisplay, runNodeLive } from "./mod.ts";
 *
 * declare const steps: StepRun;
 * const display: LiveDisplay = {
 *   show: (b) => Deno.jupyter.display(b, { raw: true, display_id: "p" }),
 *   update: (b) => Deno.jupyter.display(b, { raw: true, display_id: "p", update: true }),
 * };
 * await runNodeLive(steps, "process_sessions", { display, timeBudgetMs: 600_000 });
 * ```
 */
export async function runNodeLive(
  steps: StepRun,
  nodeId: string,
  options: RunNodeLiveOptions,
): Promise<NodeRunResult> {
  const { display, timeBudgetMs, signal, onEvent, cancelOnInterrupt = true, tickMs = 1000 } = options;
  if (timeBudgetMs !== undefined && !(timeBudgetMs > 0)) {
    throw new RangeError(`The time budget must be positive (got ${timeBudgetMs} ms)`);
  }
  const table = new ProgressTable([nodeId]);
  let note: string | undefined;
  const bundle = (now?: Date) => ({ "text/html": table.html({ now, stale: steps.stale, note }) });
  // Updates go out one after another, in event order, without holding the node up.
  let drawing = Promise.resolve(display.show(bundle())).then(() => {});
  const redraw = (now?: Date) => {
    const next = bundle(now);
    drawing = drawing.then(() => display.update(next));
  };
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort(new Error("interrupted"));
  const signals = [
    signal,
    timeBudgetMs === undefined ? undefined : AbortSignal.timeout(timeBudgetMs),
    cancelOnInterrupt ? interrupt.signal : undefined,
  ].filter((s): s is AbortSignal => s !== undefined);
  let listening = false;
  if (cancelOnInterrupt) {
    try {
      Deno.addSignalListener("SIGINT", onInterrupt);
      listening = true;
    } catch {
      // No signals here (e.g. Windows without a console): the time budget still applies.
    }
  }
  // SQL-only nodes send no events while they run: the elapsed time still ticks.
  const ticker = setInterval(() => {
    if (table.statuses()[nodeId] === "running") redraw(new Date());
  }, tickMs);
  try {
    const result = await steps.runNode(nodeId, {
      signal: signals.length ? AbortSignal.any(signals) : undefined,
      onEvent: (event) => {
        onEvent?.(event);
        if (table.apply(event)) redraw();
      },
    });
    if (interrupt.signal.aborted) {
      note = result.status === "success"
        ? "Interrupted as the node finished: it succeeded, nothing was cancelled."
        : "Interrupted: the node was cancelled and the kernel kept its state; run the cell again to redo it.";
      redraw();
    } else if (steps.stale.length) redraw();
    return result;
  } catch (error) {
    // The run refused the node (out of order, or after finish()): no table of a node that never ran; the
    // error says why, in one sentence.
    drawing = drawing.then(() => display.update({ "text/html": "" }));
    throw error;
  } finally {
    clearInterval(ticker);
    if (listening) Deno.removeSignalListener("SIGINT", onInterrupt);
    await drawing;
  }
}
