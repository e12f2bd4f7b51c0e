import type { Graph } from "./build_graph.ts";
import { isTransientError } from "./is_transient_error.ts";
import { abortableSleep, retry as withRetries } from "./retry.ts";
import type {
  DagEvent,
  DagNode,
  NodeMetrics,
  NodeOutcome,
  NodeRunResult,
  RetryOptions,
  RunResult,
  RunStatus,
} from "./types.ts";

/** Persists runs as they happen (the warehouse's `etl_runs` / `etl_node_runs`); every call is awaited. */
export interface RunRecorder {
  runStarted(runId: string, startedAt: Date, nodeIds: readonly string[]): Promise<void>;
  nodeStarted(runId: string, nodeId: string, startedAt: Date): Promise<void>;
  nodeFinished(runId: string, result: NodeRunResult): Promise<void>;
  runFinished(result: RunResult): Promise<void>;
}

/** Options of {@linkcode runDag}. */
export interface RunDagOptions<S> {
  services: S;
  /** @default crypto.randomUUID() */
  runId?: string;
  /**
   * Nodes to run; the others are taken as already done (their results are in an earlier run).
   * @default every node
   */
  select?: ReadonlySet<string>;
  /**
   * Nodes running at the same time.
   * @default 2
   */
  concurrency?: number;
  /** Cancels the run: running nodes see their signal aborted, pending nodes are skipped. */
  signal?: AbortSignal;
  /** Receives events; progress events come at most once per `progressIntervalMs` per node. */
  onEvent?: (event: DagEvent) => void;
  /** @default 250 */
  progressIntervalMs?: number;
  /** Defaults for nodes without retry settings of their own. */
  retry?: RetryOptions;
  /** @default isTransientError */
  isTransient?: (error: unknown) => boolean;
  recorder?: RunRecorder;
  /** Injectable for tests. @default setTimeout-based sleep that the signal cuts short */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable for tests. @default Math.random */
  random?: () => number;
}

/**
 * Runs the selected nodes of a graph: each once its dependencies succeeded, up to `concurrency` at a time.
 * A failed node marks its dependents skipped while independent branches go on; transient errors are retried
 * with capped exponential backoff and jitter for a wall-clock budget (`retry.budgetMs`, default 60 s).
 * Recording is retried the same way; what still cannot be recorded is said in the result's `unrecorded`
 * instead of failing the run. Resolves with every node's result; never rejects for a node failure (only
 * when the run cannot be recorded as started).
 */
export async function runDag<S>(graph: Graph<S>, options: RunDagOptions<S>): Promise<RunResult> {
  const {
    services,
    runId = crypto.randomUUID(),
    select,
    concurrency = 2,
    signal,
    onEvent = () => {},
    progressIntervalMs = 250,
    retry = {},
    isTransient = isTransientError,
    recorder,
    sleep = abortableSleep,
    random = Math.random,
  } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer (got ${concurrency})`);
  }
  for (const id of select ?? []) {
    if (!graph.nodes.has(id)) throw new TypeError(`Cannot run node "${id}": the DAG has no such node`);
  }
  const selected = graph.order.filter((id) => !select || select.has(id));
  // An unselected node counts as done, but the order it implied still holds: a selected node waits for the
  // selected nodes upstream of it, even through unselected ones.
  const waitsFor = new Map<string, string[]>();
  const upstream = (id: string): string[] =>
    graph.nodes.get(id)!.dependencies.flatMap((d) => !select || select.has(d) ? [d] : upstream(d));
  for (const id of selected) waitsFor.set(id, [...new Set(upstream(id))]);
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  // An already aborted signal fires no event.
  if (signal?.aborted) onAbort();

  const startedAt = new Date();
  const results = new Map<string, NodeRunResult>(selected.map((id) => [id, emptyResult(id)]));
  const recordRetry = { ...retry };
  /** Records with the node retry budget; a transient failure past it is kept for the result, not thrown. */
  let unrecorded: string | undefined;
  const record = async (what: string, write: (r: RunRecorder) => Promise<void>) => {
    if (!recorder) return;
    try {
      // Once the store stayed down past a whole budget, later records get one attempt each.
      await withRetries(() => write(recorder), {
        maxAttempts: unrecorded ? 1 : (recordRetry.retries ?? 100) + 1,
        minTimeout: recordRetry.baseDelayMs ?? 250,
        maxTimeout: recordRetry.maxDelayMs ?? 5000,
        jitter: recordRetry.jitter ?? 0.5,
        budgetMs: recordRetry.budgetMs ?? 60_000,
        isRetriable: isTransient,
        sleep,
        random,
      });
    } catch (error) {
      // A store that stays unreachable past the budget is named in the result; any other error (a bug, a
      // refused write) fails the run outside any node, as it would without retries.
      if (!isTransient(error)) throw error;
      unrecorded ??= `${what} could not be recorded: ${describeError(error)}`;
    }
  };
  await record("the run's start", (r) => r.runStarted(runId, startedAt, selected));
  if (unrecorded) throw new Error(`Cannot start the run: ${unrecorded}`);
  onEvent({ type: "run-started", runId, nodeIds: selected, at: startedAt });

  const running = new Map<string, Promise<void>>();
  const finish = async (result: NodeRunResult) => {
    results.set(result.nodeId, result);
    await record(`node "${result.nodeId}" (${result.status})`, (r) => r.nodeFinished(runId, result));
    onEvent({
      type: "node-finished",
      runId,
      nodeId: result.nodeId,
      result,
      at: result.finishedAt ?? new Date(),
    });
  };
  const skip = async (id: string, reason: string) => {
    const now = new Date();
    await finish({ ...emptyResult(id), status: "skipped", error: reason, finishedAt: now });
  };

  try {
    while (true) {
      for (const id of selected) {
        const result = results.get(id)!;
        if (result.status !== "pending") continue;
        if (controller.signal.aborted) {
          await skip(id, "the run was cancelled");
          continue;
        }
        const blocker = waitsFor.get(id)!.find((d) => {
          const status = results.get(d)?.status;
          return status === "failed" || status === "skipped";
        });
        if (blocker) await skip(id, `dependency "${blocker}" ${results.get(blocker)!.status}`);
      }
      const ready = selected.filter((id) =>
        results.get(id)!.status === "pending" &&
        waitsFor.get(id)!.every((d) => results.get(d)!.status === "success")
      );
      for (const id of ready) {
        if (running.size >= concurrency) break;
        results.get(id)!.status = "running";
        const task = runNode(graph.nodes.get(id)!).then(finish).finally(() => running.delete(id));
        running.set(id, task);
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }

  const nodes = selected.map((id) => results.get(id)!);
  const status: RunStatus = controller.signal.aborted
    ? "cancelled"
    : nodes.every((n) => n.status === "success")
    ? "success"
    : "failed";
  const result: RunResult = { runId, status, startedAt, finishedAt: new Date(), nodes };
  await record("the run's end", (r) => r.runFinished(result));
  if (unrecorded) result.unrecorded = unrecorded;
  onEvent({ type: "run-finished", runId, result, at: result.finishedAt });
  return result;

  async function runNode(node: DagNode<S>): Promise<NodeRunResult> {
    const { retries = 100, baseDelayMs = 250, maxDelayMs = 5000, jitter = 0.5, budgetMs = 60_000 } = {
      ...recordRetry,
      ...node.retry,
    };
    const nodeStarted = new Date();
    const t0 = performance.now();
    await record(`node "${node.id}" (started)`, (r) => r.nodeStarted(runId, node.id, nodeStarted));
    let metrics: NodeMetrics = { rowsRead: 0, rowsWritten: 0, rowsRejected: 0 };
    let lastEmit = -Infinity;
    let attempt = 0;
    const done = (status: "success" | "failed", extra: Partial<NodeRunResult>): NodeRunResult => {
      const finishedAt = new Date();
      return {
        ...metrics,
        nodeId: node.id,
        status,
        attempts: attempt,
        startedAt: nodeStarted,
        finishedAt,
        durationMs: Math.round(performance.now() - t0),
        error: null,
        ...extra,
      };
    };
    const run = async (n: number): Promise<NodeOutcome> => {
      attempt = n;
      onEvent({ type: "node-started", runId, nodeId: node.id, attempt, at: new Date() });
      metrics = { rowsRead: 0, rowsWritten: 0, rowsRejected: 0 };
      controller.signal.throwIfAborted();
      return await node.run({
        services,
        runId,
        nodeId: node.id,
        attempt,
        signal: controller.signal,
        progress: (update) => {
          metrics = { ...metrics, ...update };
          const now = performance.now();
          if (now - lastEmit < progressIntervalMs) return;
          lastEmit = now;
          onEvent({ type: "node-progress", runId, nodeId: node.id, metrics, at: new Date() });
        },
        log: (message) => onEvent({ type: "node-log", runId, nodeId: node.id, message, at: new Date() }),
      });
    };
    try {
      const { details, ...counts } = await withRetries(run, {
        maxAttempts: retries + 1,
        minTimeout: baseDelayMs,
        maxTimeout: maxDelayMs,
        multiplier: 2,
        jitter,
        budgetMs,
        isRetriable: (error) => !controller.signal.aborted && isTransient(error),
        signal: controller.signal,
        sleep,
        random,
        onRetry: (error, attempt, delayMs) =>
          onEvent({
            type: "node-retry",
            runId,
            nodeId: node.id,
            attempt,
            delayMs,
            error: describeError(error),
            at: new Date(),
          }),
      });
      metrics = { ...metrics, ...counts };
      return done("success", details ? { details } : {});
    } catch (error) {
      return done("failed", {
        error: controller.signal.aborted ? "the run was cancelled" : describeError(error),
      });
    }
  }
}

/** The result of a node that has not started. */
export function emptyResult(nodeId: string): NodeRunResult {
  return {
    nodeId,
    status: "pending",
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    rowsRead: 0,
    rowsWritten: 0,
    rowsRejected: 0,
  };
}

/** The message a person should see: the error's own, without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
