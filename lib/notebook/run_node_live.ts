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
  const { display, timeBudgetMs, signal, onEvent } = options;
  if (timeBudgetMs !== undefined && !(timeBudgetMs > 0)) {
    throw new RangeError(`The time budget must be positive (got ${timeBudgetMs} ms)`);
  }
  const table = new ProgressTable([nodeId]);
  const bundle = () => ({ "text/html": table.html() });
  // Updates go out one after another, in event order, without holding the node up.
  let drawing = Promise.resolve(display.show(bundle())).then(() => {});
  const signals = [signal, timeBudgetMs === undefined ? undefined : AbortSignal.timeout(timeBudgetMs)]
    .filter((s): s is AbortSignal => s !== undefined);
  try {
    return await steps.runNode(nodeId, {
      signal: signals.length ? AbortSignal.any(signals) : undefined,
      onEvent: (event) => {
        onEvent?.(event);
        if (table.apply(event)) drawing = drawing.then(() => display.update(bundle()));
      },
    });
  } finally {
    await drawing;
  }
}
