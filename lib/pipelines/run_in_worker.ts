import type { DagEvent, RunResult } from "../dag/mod.ts";
import { LeaseBusyError } from "./run_store.ts";
import type { OpenWorkbenchOptions, RunOptions } from "./workbench.ts";

/** The options of a run that travel to the worker: everything but the callbacks. */
export type WorkerRunOptions = Omit<RunOptions, "signal" | "onEvent" | "onWait" | "live">;

/** What the main thread sends the worker. */
export type WorkerRequest =
  | { type: "run"; open: OpenWorkbenchOptions; options: WorkerRunOptions }
  | { type: "cancel"; reason: string };

/** What the worker sends back. */
export type WorkerReply =
  | { type: "event"; event: DagEvent }
  | { type: "done"; result: RunResult }
  | { type: "error"; name: string; message: string };

const ERRORS: Record<string, new (message: string) => Error> = {
  RangeError,
  TypeError,
  SyntaxError,
  LeaseBusyError,
};

/**
 * Runs the workbench's DAG like {@linkcode runWorkbench}, but in a worker thread with its own connections
 * to the same stores, so that the calling thread stays free: a server keeps answering its status API while
 * the run parses CSV and waits on synchronous SQLite statements. Events arrive through `onEvent` as they
 * would in process; `signal` cancels the run.
 *
 * The stores must be ones two connections can share: a SQLite file or a server, not `:memory:`.
 *
 * @example
 * ```ts
 * const result = await runWorkbenchInWorker(
 *   { stateDir: ".workbench" },
 *   { dataDir: "data", onEvent: (event) => console.log(event.type) },
 * );
 * ```
 */
export function runWorkbenchInWorker(open: OpenWorkbenchOptions, options: RunOptions): Promise<RunResult> {
  const { signal, onEvent, onWait: _onWait, live: _live, ...rest } = options;
  const memory = [open.warehouseUrl, open.docstoreUrl].find((url) => url?.endsWith(":memory:"));
  if (memory !== undefined) {
    return Promise.reject(new TypeError(`Cannot run in a worker on "${memory}": a worker cannot share it`));
  }
  const worker = new Worker(new URL("./_run_worker.ts", import.meta.url).href, { type: "module" });
  const { promise, resolve, reject } = Promise.withResolvers<RunResult>();
  const cancel = () => {
    const reason = signal?.reason instanceof Error ? signal.reason.message : "the run was cancelled";
    worker.postMessage({ type: "cancel", reason } satisfies WorkerRequest);
  };
  worker.onmessage = ({ data }: MessageEvent<WorkerReply>) => {
    if (data.type === "event") onEvent?.(data.event);
    else if (data.type === "done") resolve(data.result);
    else reject(new (ERRORS[data.name] ?? Error)(data.message));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    reject(new Error(`The run's worker failed: ${event.message}`));
  };
  signal?.addEventListener("abort", cancel, { once: true });
  worker.postMessage({ type: "run", open, options: rest } satisfies WorkerRequest);
  if (signal?.aborted) cancel();
  return promise.finally(() => {
    signal?.removeEventListener("abort", cancel);
    worker.terminate();
  });
}
