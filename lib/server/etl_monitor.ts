import type { DagEvent, RunResult } from "../dag/mod.ts";
import {
  describeOrigin,
  type LiveRunState,
  type RunOptions,
  runWorkbench,
  thisProcess,
  type Workbench,
} from "../pipelines/mod.ts";
import { type DagView, LiveDag } from "./dag_status.ts";
import { HttpError } from "./http_error.ts";
import { failureNotice, postWebhook, type PostWebhookOptions } from "./notify_webhook.ts";
import { nodesOfPipelines, type StartOptions } from "./start_options.ts";

/** What the monitor tells its subscribers: a runner event, or a reset; `dag` is the state right after it. */
export type MonitorEvent =
  | { type: DagEvent["type"]; nodeId?: string; message?: string }
  | { type: "reset" };

/** Options of {@linkcode EtlMonitor}. */
export interface EtlMonitorOptions {
  workbench: Workbench;
  /** Folder with the input files of every run. */
  dataDir: string;
  /** @default 2 */
  concurrency?: number;
  /** @default 0.05 */
  missingWatchDateLimit?: number;
  /** Where to POST a notice when a run ends in error. @default no notice */
  webhookUrl?: string;
  webhook?: PostWebhookOptions;
  /** Receives what is worth logging (a webhook that could not be delivered). @default ignore */
  onLog?: (message: string) => void;
  /** @default () => new Date() */
  now?: () => Date;
  /**
   * Runs the DAG: in this thread on `workbench` by default; a server passes {@linkcode runWorkbenchInWorker}
   * so that a run never holds up its answers.
   */
  run?: (options: RunOptions) => Promise<RunResult>;
  /**
   * How often to read the warehouse's live channel for a run started by another process (a terminal, a
   * notebook, another server), which the status and the event stream then follow; 0 turns it off.
   * @default 500
   */
  followMs?: number;
}

/**
 * Runs the workbench's DAG for the server, one run at a time, and keeps its live state: the status API, the
 * event stream and the webhook all read from here. Between its own runs it follows whatever run is live on
 * the warehouse, whoever started it, from the run store's live channel (one small query per `followMs`).
 */
export class EtlMonitor implements AsyncDisposable {
  readonly #options: EtlMonitorOptions;
  readonly #live: LiveDag;
  readonly #listeners = new Set<(event: MonitorEvent, dag: DagView) => void>();
  readonly #now: () => Date;
  #run: Promise<void> | undefined;
  /** The webhook delivery of the last failed run: it retries, but a new run need not wait for it. */
  #notifying: Promise<void> = Promise.resolve();
  #controller: AbortController | undefined;
  #closed = false;
  readonly #followTimer: ReturnType<typeof setInterval> | undefined;
  #polling: Promise<void> | undefined;
  /** The run of another process being shown, while it is followed. */
  #following: string | undefined;
  /** Its latest state, and that state without the heartbeat (to emit only on a change). */
  #foreign: LiveRunState | undefined;
  #fingerprint = "";
  #pollError = "";
  readonly #ownRuns = new Set<string>();
  /** The foreign run shown before a reset, not shown again unless it goes on. */
  #dismissed: string | undefined;
  readonly #marked = new Set<string>();

  constructor(options: EtlMonitorOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#live = new LiveDag(options.workbench.graph);
    const { followMs = 500 } = options;
    if (followMs > 0) {
      this.#followTimer = setInterval(() => this.poll(), followMs);
      Deno.unrefTimer(this.#followTimer);
    }
  }

  get workbench(): Workbench {
    return this.#options.workbench;
  }

  /** Whether a run is going: this server's own, or one another process started on the warehouse. */
  get isRunning(): boolean {
    return this.#run !== undefined || this.#foreign?.status === "running";
  }

  /**
   * Reads the warehouse's live channel once and shows the run another process has live (or the one it
   * follows, up to its end). Called every `followMs`; resolves when done.
   */
  poll(): Promise<void> {
    if (this.#run || this.#closed) return Promise.resolve();
    this.#polling ??= this.#follow().finally(() => this.#polling = undefined);
    return this.#polling;
  }

  async #follow(): Promise<void> {
    const { workbench, onLog = () => {} } = this.#options;
    let state: LiveRunState | undefined;
    try {
      state = await workbench.runStore.readLive(this.#following, this.#now());
      this.#pollError = "";
    } catch (error) {
      const message = `Cannot read the warehouse's live run: ${(error as Error).message}`;
      if (message !== this.#pollError) onLog(message);
      this.#pollError = message;
      return;
    }
    if (this.#run || this.#closed) return;
    if (!state) {
      // The followed run's live rows are gone (a newer run took over): look for the live one next time.
      this.#following = undefined;
      return;
    }
    if (this.#ownRuns.has(state.runId)) return;
    const first = this.#following !== state.runId;
    // An ended run is shown once: not again once it was left, nor after a reset.
    if (first && state.status !== "running" && (this.#foreign?.runId ?? this.#dismissed) === state.runId) {
      return;
    }
    this.#following = state.runId;
    const fingerprint = JSON.stringify({ ...state, heartbeatAt: null });
    if (fingerprint === this.#fingerprint) return;
    this.#fingerprint = fingerprint;
    this.#foreign = state;
    this.#live.show(state);
    const ended = state.status !== "running";
    this.#emit({
      type: first ? "run-started" : ended ? "run-finished" : "node-progress",
      message: state.message ?? undefined,
    });
    if (!ended) return;
    this.#following = undefined;
    const who = `run ${state.runId} (${describeOrigin(state.origin)})`;
    if (state.status === "abandoned" && !this.#marked.has(state.runId)) {
      this.#marked.add(state.runId);
      onLog(`${who} is abandoned: ${state.message}`);
      await workbench.runStore.markAbandoned({ runId: state.runId }, state.message ?? undefined).catch(
        (error) => onLog(`Cannot mark ${who} abandoned: ${(error as Error).message}`),
      );
    } else if (state.status === "error") {
      onLog(`${who} ended in error: ${state.message}`);
    }
  }

  /** The sentence refusing a second run while another process's run is live, or undefined. */
  #busyWithOther(action: string): string | undefined {
    const run = this.#foreign;
    if (!run || run.status !== "running") return undefined;
    return `Cannot ${action}: run ${run.runId} is live on this warehouse, started by ${
      describeOrigin(run.origin)
    } at ${run.startedAt?.slice(0, 19) ?? "?"} UTC`;
  }

  /** The live state as `GET /api/etl/status` returns it. */
  status(): DagView {
    return this.#live.view(this.#now());
  }

  /** Calls `listener` after each event; returns the function that unsubscribes it. */
  subscribe(listener: (event: MonitorEvent, dag: DagView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts a run and resolves once it is recorded (with its id), or rejects when it cannot start. Throws an
   * {@linkcode HttpError} 409 while a run is going.
   */
  start(options: StartOptions): Promise<{ runId: string }> {
    if (this.#closed) throw new HttpError(503, "Cannot start a run: the server is shutting down");
    if (this.#run) throw new HttpError(409, "Cannot start a run: one is already running");
    const busy = this.#busyWithOther("start a run");
    if (busy) throw new HttpError(409, busy);
    const { workbench, dataDir, concurrency, missingWatchDateLimit, onLog = () => {} } = this.#options;
    const controller = new AbortController();
    this.#controller = controller;
    this.#following = undefined;
    this.#foreign = undefined;
    this.#fingerprint = "";
    this.#live.starting(this.#now(), thisProcess("dashboard"));
    this.#emit({ type: "run-started" });
    const { promise: started, resolve, reject } = Promise.withResolvers<{ runId: string }>();
    let runId: string | undefined;
    const onEvent = (event: DagEvent) => {
      this.#live.apply(event);
      if (event.type === "run-started") {
        runId = event.runId;
        this.#ownRuns.add(event.runId);
        resolve({ runId: event.runId });
      }
      this.#emit({
        type: event.type,
        nodeId: "nodeId" in event ? event.nodeId : undefined,
        message: event.type === "node-log" ? event.message : undefined,
      });
    };
    const runDag = this.#options.run ?? ((o: RunOptions) => runWorkbench(workbench, o));
    const run = runDag({
      dataDir,
      batchSize: options.batchSize,
      fresh: options.fresh,
      only: nodesOfPipelines(options.pipelines),
      concurrency,
      missingWatchDateLimit,
      signal: controller.signal,
      onEvent,
      label: { source: "server", pipelines: options.pipelines },
      source: "dashboard",
    }).then(
      (result) => {
        if (result.status !== "success") this.#notifying = this.#notify(failureNotice(result));
      },
      (error: Error) => {
        if (error.name === "LeaseBusyError") {
          // Another process took the lease first: show its run again at the next poll.
          reject(new HttpError(409, error.message, { cause: error }));
          this.#live.reset();
          this.#emit({ type: "reset" });
          return;
        }
        reject(new HttpError(500, `Cannot start the run: ${error.message}`, { cause: error }));
        this.#live.failedToStart(this.#now(), error.message);
        this.#emit({ type: "run-finished", message: error.message });
        onLog(
          runId ? `Run ${runId} ended in error: ${error.message}` : `A run could not start: ${error.message}`,
        );
        this.#notifying = this.#notify({
          text: runId
            ? `ETL workbench: run ${runId} ended in error: ${error.message}`
            : `ETL workbench: a run could not start: ${error.message}`,
        });
      },
    ).finally(() => {
      this.#run = undefined;
      this.#controller = undefined;
    });
    this.#run = run;
    return started;
  }

  /** Clears the live state back to idle (data and history stay). Throws an HttpError 409 while running. */
  reset(): void {
    if (this.#run) throw new HttpError(409, "Cannot reset while a run is going: wait for it to finish");
    const busy = this.#busyWithOther("reset");
    if (busy) throw new HttpError(409, `${busy}: wait for it to finish`);
    this.#dismissed = this.#foreign?.runId;
    this.#following = undefined;
    this.#foreign = undefined;
    this.#fingerprint = "";
    this.#live.reset();
    this.#emit({ type: "reset" });
  }

  /** Resolves when no run is going and the webhook of the last failed run, if any, was tried. */
  async idle(): Promise<void> {
    while (this.#run) await this.#run;
    await this.#notifying;
    await this.#polling;
  }

  /** Cancels a running run and waits for it; the monitor then refuses new runs. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#followTimer);
    this.#controller?.abort(new Error("the server is shutting down"));
    await this.idle();
    this.#listeners.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #emit(event: MonitorEvent): void {
    if (this.#listeners.size === 0) return;
    const dag = this.status();
    for (const listener of this.#listeners) listener(event, dag);
  }

  async #notify(body: { text: string }): Promise<void> {
    const { webhookUrl, webhook, onLog = () => {} } = this.#options;
    if (!webhookUrl) return;
    try {
      const attempts = await postWebhook(webhookUrl, body, webhook);
      onLog(`Sent the failure notice to the webhook (attempt ${attempts})`);
    } catch (error) {
      onLog((error as Error).message);
    }
  }
}
