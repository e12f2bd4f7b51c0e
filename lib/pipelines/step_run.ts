import type { DagEvent, NodeRunResult, RunRecorder, RunResult, RunStatus } from "../dag/mod.ts";
import { downstreamOf, listInWords, prerequisitesToRun, StepRunError } from "./step_run_order.ts";
import { LiveRun } from "./live_run.ts";
import { ReadAhead } from "./read_ahead.ts";
import { thisProcess } from "./run_store.ts";
import { type RunOptions, runWorkbench, type Workbench } from "./workbench.ts";

/**
 * Options of {@linkcode startStepRun}: those of a run, without the selection (each step names its node).
 * `source` defaults to `"notebook"`.
 */
export type StepRunOptions = Omit<
  RunOptions,
  "resume" | "from" | "only" | "signal" | "onEvent" | "recorder" | "live"
>;

/** Options of one step. */
export interface StepOptions {
  /** Cancels the node (it is recorded as failed, "the run was cancelled"), e.g. `AbortSignal.timeout(ms)`. */
  signal?: AbortSignal;
  onEvent?: (event: DagEvent) => void;
}

/**
 * One recorded run whose nodes run one call at a time, as a notebook steps through the DAG. It holds the
 * warehouse's lease (and its heartbeat thread keeps the process alive, as a kernel is) until `finish()`;
 * `await using` finishes it at the end of the scope.
 */
export interface StepRun extends AsyncDisposable {
  readonly runId: string;
  readonly startedAt: Date;
  /** Each node's latest result in this run, in the order they first ran. */
  readonly results: ReadonlyMap<string, NodeRunResult>;
  /**
   * Runs one node through the DAG runner under this run's id and records it. Running a node again replaces
   * its result. Throws a `RangeError` when a dependency already ran in this run and did not succeed.
   */
  runNode(nodeId: string, options?: StepOptions): Promise<NodeRunResult>;
  /** Records the run as finished: `success` when every node that ran succeeded; gives the lease back. */
  finish(): Promise<RunResult>;
  /** Whether `finish()` was called: no node can run any more. */
  readonly finished: boolean;
  /**
   * Nodes that ran in this run before a node they depend on was run again, in DAG order: their results
   * are computed from the data as it was before, until they are rerun.
   */
  readonly stale: readonly string[];
  /**
   * Reruns the stale nodes in DAG order (each through `run`, e.g. a notebook's live step, or `runNode`);
   * stops at the first that does not succeed. Returns the nodes rerun.
   */
  rerunStale(run?: (nodeId: string) => Promise<unknown>): Promise<string[]>;
}

/** The step runs of this process that hold their warehouse's lease, by the warehouse's label. */
const holding = new Map<string, StepRun>();

/**
 * Starts a run recorded by the run store like any other, whose nodes are then run one at a time. Until
 * `finish()` the run stays `running` and holds the warehouse's lease, with a heartbeat between calls, so
 * every front end follows it live and no other run starts; when the process dies the heartbeat stops and
 * the run is `abandoned` after the lease timeout. Its node runs count for `--resume` either way. A step run
 * of this process still holding the lease of the same warehouse (a notebook whose first cell ran again) is
 * finished first. While another process's run is live, throws a `LeaseBusyError` (or waits, with `wait`).
 *
 * @example
 * ```ts
 * import { openWorkbench, startStepRun } from "./mod.ts";
 *
 * await using wb = await openWorkbench();
 * const steps = await startStepRun(wb, { dataDir: "data" });
 * await steps.runNode("validate_files");
 * await steps.runNode("create_schema", { signal: AbortSignal.timeout(60_000) });
 * await steps.finish();
 * ```
 */
export async function startStepRun(workbench: Workbench, options: StepRunOptions): Promise<StepRun> {
  const { runId = crypto.randomUUID(), source = "notebook", wait, onWait, ...rest } = options;
  const earlier = holding.get(workbench.warehouse.label);
  if (earlier) {
    holding.delete(workbench.warehouse.label);
    try {
      await earlier.finish();
    } catch {
      // Its workbench was closed (a notebook that opened a new one): free the lease through this one.
      await workbench.runStore.releaseLease(earlier.runId).catch(() => {});
    }
  }
  const origin = thisProcess(source);
  const live = await LiveRun.start(workbench.runStore, {
    runId,
    origin,
    wait,
    onWait,
    liveWrites: rest.liveWrites,
    intervalMs: rest.liveIntervalMs,
  });
  const startedAt = new Date();
  const results = new Map<string, NodeRunResult>();
  const store = workbench.runStore.withOptions({
    dataDir: rest.dataDir,
    batchSize: rest.batchSize ?? 1000,
    fresh: rest.fresh ?? false,
    purge: rest.purge ?? false,
    steps: true,
    ...rest.label,
  }, origin);
  try {
    await store.runStarted(runId, startedAt);
  } catch (error) {
    await live.end("error", (error as Error).message).catch(() => {});
    throw error;
  }
  let finished = false;
  const stale = new Set<string>();
  // What one node hands the next across cells, as in a DAG run: the cubes process_sessions summed go to
  // generate_stats and cross_store_stats instead of a scan of the sessions (session_cubes.ts).
  const readAhead = new ReadAhead();
  /** The node whose rows the read-ahead holds: running it or a node above it again makes them stale. */
  const provider = "process_sessions";
  // The node runs go to the store; the run's own start and end are this object's to record.
  const nodesOnly = (inner: RunRecorder): RunRecorder => ({
    runStarted: () => Promise.resolve(),
    nodeStarted: (id, node, at) => inner.nodeStarted(id, node, at),
    nodeFinished: (id, result) => inner.nodeFinished(id, result),
    runFinished: () => Promise.resolve(),
  });

  const stepRun: StepRun = {
    runId,
    startedAt,
    results,
    async runNode(nodeId, { signal, onEvent } = {}) {
      if (finished) {
        const error = new TypeError(
          `Cannot run "${nodeId}": run ${runId} is finished (steps.finish() was called); run the setup cell again to start a new run`,
        );
        error.stack = `TypeError: ${error.message}`;
        throw error;
      }
      const node = workbench.graph.nodes.get(nodeId);
      if (!node) {
        throw new TypeError(
          `Unknown node "${nodeId}" (known: ${workbench.graph.order.map((n) => `"${n}"`).join(", ")})`,
        );
      }
      const blocker = node.dependencies.find((d) => results.has(d) && results.get(d)!.status !== "success");
      if (blocker) {
        throw new StepRunError(
          `Cannot run "${nodeId}": its dependency "${blocker}" ${results.get(blocker)!.status} in this run`,
        );
      }
      const succeeded = new Set([...results].filter(([, r]) => r.status === "success").map(([id]) => id));
      const first = prerequisitesToRun(
        workbench.graph,
        nodeId,
        succeeded,
        await workbench.runStore.latestNodeStatuses(),
      );
      if (first.length > 0) {
        throw new StepRunError(`Cannot run "${nodeId}" yet: run ${listInWords(first)} first`);
      }
      if (nodeId === provider || downstreamOf(workbench.graph, nodeId).includes(provider)) readAhead.clear();
      const run = await runWorkbench(workbench, {
        ...rest,
        runId,
        only: [nodeId],
        signal,
        onEvent,
        recorder: nodesOnly,
        live,
        readAhead,
      });
      const result = run.nodes[0];
      results.set(nodeId, result);
      stale.delete(nodeId);
      // A node run again (on changed data, say) makes what was computed from it in this run stale.
      if (result.status === "success") {
        for (const id of downstreamOf(workbench.graph, nodeId)) if (results.has(id)) stale.add(id);
      }
      return result;
    },
    get finished() {
      return finished;
    },
    get stale() {
      return workbench.graph.order.filter((id) => stale.has(id));
    },
    async rerunStale(run) {
      const rerun: string[] = [];
      for (const id of workbench.graph.order.filter((n) => stale.has(n))) {
        if (run) await run(id);
        else await stepRun.runNode(id);
        rerun.push(id);
        if (results.get(id)?.status !== "success") break;
      }
      return rerun;
    },
    async finish() {
      if (holding.get(workbench.warehouse.label) === stepRun) holding.delete(workbench.warehouse.label);
      finished = true;
      await readAhead.settle();
      const nodes = [...results.values()];
      const status: RunStatus = nodes.some((n) => n.error === "the run was cancelled")
        ? "cancelled"
        : nodes.every((n) => n.status === "success")
        ? "success"
        : "failed";
      const result: RunResult = { runId, status, startedAt, finishedAt: new Date(), nodes };
      try {
        await store.runFinished(result);
      } finally {
        await live.end(status);
      }
      return result;
    },
    async [Symbol.asyncDispose]() {
      if (!finished) await stepRun.finish();
    },
  };
  holding.set(workbench.warehouse.label, stepRun);
  return stepRun;
}
