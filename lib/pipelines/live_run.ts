import type { DagEvent, NodeMetrics, NodeRunResult, RunRecorder } from "../dag/mod.ts";
import type { HeartbeatReply, HeartbeatRequest } from "./_heartbeat_worker.ts";
import {
  describeLiveRun,
  LeaseBusyError,
  type LeaseHolder,
  type RunOrigin,
  type StoredRunStatus,
  type WarehouseRunStore,
} from "./run_store.ts";

/** Options of {@linkcode LiveRun.start}. */
export interface LiveRunOptions {
  runId: string;
  origin: RunOrigin;
  /** Wait for the lease while another run holds it, instead of throwing a {@linkcode LeaseBusyError}. */
  wait?: boolean;
  /** Called once when waiting starts, with the live run. */
  onWait?: (holder: LeaseHolder) => void;
  /** Gives up waiting. */
  signal?: AbortSignal;
  /** How often waiting tries the lease again. @default 500 */
  waitPollMs?: number;
  /**
   * How often the heartbeat and the live counters are written. The heartbeat goes at most once a second,
   * the counters of each running node at most once per interval. @default 500
   */
  intervalMs?: number;
  /**
   * Write node runs' live state, and beat the heartbeat from a thread of its own; without, only the
   * heartbeat goes, from the run's thread. @default true
   */
  liveWrites?: boolean;
  /** Receives what is worth logging (a failed live write). @default ignore */
  onLog?: (message: string) => void;
}

/**
 * The live side of one run: holds the warehouse's lease (one run at a time), writes its heartbeat about
 * every second and each running node's counters at a bounded rate, so that any process (the server, another
 * terminal) follows the run through {@linkcode WarehouseRunStore.readLive}.
 *
 * @example
 * ```ts
 * import { runDag } from "../dag/mod.ts";
 * import { LiveRun, openWorkbench, thisProcess } from "./mod.ts";
 *
 * await using wb = await openWorkbench();
 * const runId = crypto.randomUUID();
 * const live = await LiveRun.start(wb.runStore, { runId, origin: thisProcess("cli") });
 * try {
 *   const result = await runDag(wb.graph, {
 *     services: {} as never,
 *     runId,
 *     recorder: live.wrap(wb.runStore),
 *     onEvent: (event) => live.onEvent(event),
 *     signal: live.lost,
 *   });
 *   await live.end(result.status);
 * } finally {
 *   await live.release();
 * }
 * ```
 */
export class LiveRun implements AsyncDisposable {
  readonly runId: string;
  readonly origin: RunOrigin;
  readonly #store: WarehouseRunStore;
  readonly #lost = new AbortController();
  readonly #intervalMs: number;
  readonly #liveWrites: boolean;
  readonly #onLog: (message: string) => void;
  readonly #counters = new Map<string, NodeMetrics & { attempts: number }>();
  readonly #dirty = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastBeat = 0;
  #ticking = false;
  /** The tick in flight, if any: a run that ends waits for it, so no write of this run follows its end. */
  #tickDone: Promise<void> = Promise.resolve();
  #startedAt: Date | null = null;
  #nodeIds: readonly string[] | null = null;
  #released = false;
  /** The thread that beats the heartbeat, when the live channel could be opened there. */
  #beater: Worker | undefined;
  #beaterStarting: Promise<void> | undefined;
  #abortStart: () => void = () => {};
  #abortedStart = false;

  private constructor(store: WarehouseRunStore, options: LiveRunOptions) {
    this.#store = store;
    this.runId = options.runId;
    this.origin = options.origin;
    this.#intervalMs = options.intervalMs ?? 500;
    this.#liveWrites = options.liveWrites ?? true;
    this.#onLog = options.onLog ?? (() => {});
  }

  /**
   * Takes the warehouse's lease for the run (waiting for it with `wait`) and starts the heartbeat. Throws a
   * {@linkcode LeaseBusyError} naming the live run when another holds it. A stale holder's runs are marked
   * `abandoned` on the way.
   */
  static async start(store: WarehouseRunStore, options: LiveRunOptions): Promise<LiveRun> {
    const { runId, origin, wait = false, onWait, signal, waitPollMs = 500 } = options;
    let waiting = false;
    while (true) {
      signal?.throwIfAborted();
      const taken = await store.acquireLease(runId, origin);
      if (taken.acquired) break;
      if (!wait) {
        throw new LeaseBusyError(`Cannot start a run: ${describeLiveRun(taken.holder)}`, taken.holder);
      }
      if (!waiting) onWait?.(taken.holder);
      waiting = true;
      await sleep(waitPollMs, signal);
    }
    const live = new LiveRun(store, options);
    try {
      // Holding the lease, no other run can be live: any still `running` had its process stop.
      await store.markAbandoned({ exceptRunId: runId });
      live.#startedAt = new Date();
      await store.writeLiveRun(runId, { status: "running", startedAt: live.#startedAt, origin }, {
        clearOthers: true,
      });
    } catch (error) {
      await store.releaseLease(runId).catch(() => {});
      throw error;
    }
    live.#lastBeat = performance.now();
    // In the background: until the thread is up (a few hundred ms), this thread beats.
    if (live.#liveWrites) live.#beaterStarting = live.#startBeater();
    const timer = setInterval(() => {
      if (!live.#ticking) live.#tickDone = live.#tick();
    }, live.#intervalMs);
    Deno.unrefTimer(timer);
    live.#timer = timer;
    return live;
  }

  /** Resolves once the heartbeat thread is up (true), or known not to be (false: this thread beats). */
  async heartbeatThread(): Promise<boolean> {
    await this.#beaterStarting;
    return this.#beater !== undefined;
  }

  /** Aborted when the run lost its lease (another process took it after the heartbeat stopped too long). */
  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  /** Names the nodes in the run, for views that show the others as not part of it. */
  async setNodeIds(nodeIds: readonly string[], startedAt: Date): Promise<void> {
    this.#nodeIds = nodeIds;
    this.#startedAt = startedAt;
    await this.#write(() =>
      this.#store.writeLiveRun(this.runId, { status: "running", startedAt, origin: this.origin, nodeIds })
    );
  }

  /** Follows the runner's events: progress is kept and written by the next tick. */
  onEvent(event: DagEvent): void {
    if (event.type === "node-started") {
      const c = this.#counters.get(event.nodeId);
      this.#counters.set(event.nodeId, {
        rowsRead: 0,
        rowsWritten: 0,
        rowsRejected: 0,
        totalRows: c?.totalRows,
        attempts: event.attempt,
      });
      if (event.attempt > 1) this.#dirty.add(event.nodeId);
    } else if (event.type === "node-progress") {
      const attempts = this.#counters.get(event.nodeId)?.attempts ?? 1;
      this.#counters.set(event.nodeId, { ...event.metrics, attempts });
      this.#dirty.add(event.nodeId);
    }
  }

  /** The recorder a run should use: `inner`'s node records, plus each node's live row as it starts and ends. */
  wrap(inner: RunRecorder): RunRecorder {
    const writeNode = (result: NodeRunResult) =>
      this.#liveWrites ? this.#write(() => this.#store.writeLiveNode(this.runId, result)) : Promise.resolve();
    return {
      runStarted: (runId, at, nodeIds) => inner.runStarted(runId, at, nodeIds),
      nodeStarted: async (runId, nodeId, at) => {
        this.#dirty.delete(nodeId);
        await Promise.all([
          inner.nodeStarted(runId, nodeId, at),
          writeNode({
            nodeId,
            status: "running",
            attempts: 1,
            startedAt: at,
            finishedAt: null,
            durationMs: null,
            error: null,
            rowsRead: 0,
            rowsWritten: 0,
            rowsRejected: 0,
          }),
        ]);
      },
      nodeFinished: async (runId, result) => {
        this.#dirty.delete(result.nodeId);
        this.#counters.delete(result.nodeId);
        await Promise.all([inner.nodeFinished(runId, result), writeNode(result)]);
      },
      runFinished: (result) => inner.runFinished(result),
    };
  }

  /** Records how the run ended in the live state (the run's record is the run store's), then releases. */
  async end(status: StoredRunStatus, message: string | null = null): Promise<void> {
    if (this.#released) return;
    this.#stopTimer();
    await this.#tickDone;
    await this.#flush();
    await this.#write(() =>
      this.#store.writeLiveRun(this.runId, {
        status,
        startedAt: this.#startedAt,
        finishedAt: new Date(),
        origin: this.origin,
        nodeIds: this.#nodeIds,
        message,
      })
    );
    await this.release();
  }

  /** Stops the heartbeat and gives the lease back (once; `end` does it too). */
  async release(): Promise<void> {
    this.#stopTimer();
    await this.#tickDone;
    if (this.#released) return;
    this.#released = true;
    await this.#stopBeater();
    try {
      await this.#store.releaseLease(this.runId);
    } catch (error) {
      this.#onLog(`Cannot release the run lease of ${this.runId}: ${(error as Error).message}`);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Starts the heartbeat thread; without one (no URL, or it cannot open it) the run's thread beats. */
  async #startBeater(): Promise<void> {
    const target = this.#store.liveUrl;
    if (!target) return;
    const worker = new Worker(new URL("./_heartbeat_worker.ts", import.meta.url).href, { type: "module" });
    let up!: (started: boolean) => void;
    const outcome = new Promise<boolean>((resolve) => up = resolve);
    const started = await new Promise<boolean>((resolve) => {
      // A run that ends before the thread is up does not wait for it: the store's close() does (the thread
      // may be opening its connection, and a file of the live channel can appear once the run is over).
      this.#abortStart = () => {
        if (this.#abortedStart) return;
        this.#abortedStart = true;
        resolve(false);
        this.#store.retire(this.#retire(worker, outcome));
      };
      worker.onmessage = ({ data }: MessageEvent<HeartbeatReply>) => {
        up(data.type === "started");
        resolve(data.type === "started");
      };
      worker.onerror = (event) => {
        event.preventDefault();
        up(false);
        resolve(false);
      };
      worker.postMessage(
        {
          type: "start",
          url: target.url,
          stateDir: target.stateDir,
          runId: this.runId,
          intervalMs: 1000,
        } satisfies HeartbeatRequest,
      );
    });
    if (this.#abortedStart) return;
    this.#abortStart = () => {};
    if (!started || this.#released) {
      if (started) await this.#stopWorker(worker);
      worker.terminate();
      return;
    }
    worker.onmessage = ({ data }: MessageEvent<HeartbeatReply>) => {
      if (data.type === "lost") this.#loseLease();
      else if (data.type === "error") {
        this.#onLog(`The heartbeat of run ${this.runId} failed: ${data.message}`);
      }
    };
    this.#beater = worker;
  }

  /** Stops a heartbeat thread the run no longer waits for, once it is up or failed (at most 5 s). */
  async #retire(worker: Worker, outcome: Promise<boolean>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = await Promise.race([
      outcome,
      new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 5000)),
    ]);
    clearTimeout(timer);
    if (started) await this.#stopWorker(worker);
    worker.terminate();
  }

  async #stopBeater(): Promise<void> {
    this.#abortStart();
    await this.#beaterStarting;
    const worker = this.#beater;
    if (!worker) return;
    this.#beater = undefined;
    await this.#stopWorker(worker);
  }

  async #stopWorker(worker: Worker): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      worker.onmessage = ({ data }: MessageEvent<HeartbeatReply>) => {
        if (data.type !== "stopped") return;
        clearTimeout(timer);
        resolve();
      };
      worker.postMessage({ type: "stop" } satisfies HeartbeatRequest);
    });
    worker.terminate();
  }

  #loseLease(): void {
    if (this.#released || this.#lost.signal.aborted) return;
    this.#lost.abort(
      new Error(
        `run ${this.runId} lost the warehouse's lease: its heartbeat was late by more than ${
          this.#store.leaseTimeoutMs / 1000
        } s and another run took it`,
      ),
    );
  }

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      const now = performance.now();
      if (!this.#beater && now - this.#lastBeat >= 900) {
        this.#lastBeat = now;
        const held = await this.#store.heartbeat(this.runId);
        if (!held && !this.#released) {
          this.#loseLease();
          this.#stopTimer();
          return;
        }
      }
      await this.#flush();
    } catch (error) {
      this.#onLog(`Cannot write the live state of run ${this.runId}: ${(error as Error).message}`);
    } finally {
      this.#ticking = false;
    }
  }

  async #flush(): Promise<void> {
    if (!this.#liveWrites) return;
    for (const nodeId of [...this.#dirty]) {
      this.#dirty.delete(nodeId);
      const c = this.#counters.get(nodeId);
      if (c) await this.#write(() => this.#store.writeLiveCounters(this.runId, nodeId, c));
    }
  }

  async #write(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.#onLog(`Cannot write the live state of run ${this.runId}: ${(error as Error).message}`);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
