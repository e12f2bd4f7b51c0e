import type { DagEvent, RunResult } from "../dag/mod.ts";
import { type RunOptions, runWorkbench, type Workbench } from "../pipelines/mod.ts";
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
}

/**
 * Runs the workbench's DAG for the server, one run at a time, and keeps its live state: the status API, the
 * event stream and the webhook all read from here.
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

  constructor(options: EtlMonitorOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#live = new LiveDag(options.workbench.graph);
  }

  get workbench(): Workbench {
    return this.#options.workbench;
  }

  get isRunning(): boolean {
    return this.#run !== undefined;
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
    const { workbench, dataDir, concurrency, missingWatchDateLimit } = this.#options;
    const controller = new AbortController();
    this.#controller = controller;
    this.#live.starting(this.#now());
    this.#emit({ type: "run-started" });
    const { promise: started, resolve, reject } = Promise.withResolvers<{ runId: string }>();
    const onEvent = (event: DagEvent) => {
      this.#live.apply(event);
      if (event.type === "run-started") resolve({ runId: event.runId });
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
    }).then(
      (result) => {
        if (result.status !== "success") this.#notifying = this.#notify(failureNotice(result));
      },
      (error: Error) => {
        reject(new HttpError(500, `Cannot start the run: ${error.message}`, { cause: error }));
        this.#live.failedToStart(this.#now());
        this.#emit({ type: "run-finished", message: error.message });
        this.#notifying = this.#notify({ text: `ETL workbench: a run could not start: ${error.message}` });
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
    this.#live.reset();
    this.#emit({ type: "reset" });
  }

  /** Resolves when no run is going and the webhook of the last failed run, if any, was tried. */
  async idle(): Promise<void> {
    while (this.#run) await this.#run;
    await this.#notifying;
  }

  /** Cancels a running run and waits for it; the monitor then refuses new runs. */
  async close(): Promise<void> {
    this.#closed = true;
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
