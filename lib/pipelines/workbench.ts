import {
  buildGraph,
  type DagEvent,
  type DagNode,
  type Graph,
  isTransientError,
  runDag,
  type RunRecorder,
  type RunResult,
} from "../dag/mod.ts";
import { selectNodes } from "../dag/mod.ts";
import { type DocStore, openDocStore } from "../docstore/mod.ts";
import type { CsvEncoding } from "../extract/mod.ts";
import { openWarehouse, type Warehouse } from "../warehouse/mod.ts";
import { DOCUMENT_NODES } from "./document/nodes.ts";
import { RELATIONAL_NODES } from "./relational/nodes.ts";
import { repairIndexes } from "./repair_indexes.ts";
import { DATA_TABLES } from "./schema.ts";
import { LiveRun } from "./live_run.ts";
import { DEFAULT_LEASE_TIMEOUT_MS, type LeaseHolder, thisProcess, WarehouseRunStore } from "./run_store.ts";
import { estimateDurations, inputBytes, withDurationEstimates } from "./duration_estimate.ts";
import { inputFilesIn, type PipelineServices } from "./services.ts";
import { ReadAhead } from "./read_ahead.ts";
import { readSessionCube } from "./relational/generate_stats.ts";
import { readSessionTotals, SESSION_TOTALS_READ } from "./relational/validate_data.ts";
import { SESSION_CUBE_READ } from "./session_cubes.ts";
import { sessionPartitionsDir } from "./relational/partitions.ts";

/** Where the workbench keeps its state when nothing else is said. */
export const DEFAULT_STATE_DIR = ".workbench";

/** Options of {@linkcode openWorkbench}. */
export interface OpenWorkbenchOptions {
  /** @default `sqlite:<stateDir>/warehouse.db` */
  warehouseUrl?: string;
  /** @default `embedded:<stateDir>/docstore` */
  docstoreUrl?: string;
  /** @default ".workbench" */
  stateDir?: string;
  /** A run whose heartbeat is older than this is `abandoned` and its lease can be taken. @default 15000 */
  leaseTimeoutMs?: number;
}

/** The stores a run needs, opened once and shared by the CLI, a notebook or the server. */
export interface Workbench extends AsyncDisposable {
  readonly warehouse: Warehouse;
  readonly docstore: DocStore;
  readonly runStore: WarehouseRunStore;
  readonly graph: Graph<PipelineServices>;
  close(): Promise<void>;
}

/** Opens the warehouse (creating the run tables) and builds the DAG. */
export async function openWorkbench(options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const { stateDir = DEFAULT_STATE_DIR } = options;
  const warehouseUrl = options.warehouseUrl ?? `sqlite:${stateDir}/warehouse.db`;
  const warehouse = await openWarehouse(warehouseUrl, { stateDir });
  let docstore: DocStore | undefined;
  let live: Warehouse | undefined;
  try {
    docstore = await openDocStore(options.docstoreUrl ?? `embedded:${stateDir}/docstore`, { stateDir });
    const channel = warehouse.liveChannel ?? null;
    const sidecar = channel !== null && channel !== "self" ? channel.sidecarUrl : undefined;
    if (sidecar) live = await openWarehouse(sidecar, { stateDir });
    // The heartbeat thread opens the live channel itself: the sidecar, or the server (not `:memory:`).
    const liveUrl = sidecar ?? (channel === "self" ? warehouseUrl : undefined);
    const runStore = await WarehouseRunStore.open(warehouse, {
      live,
      leaseTimeoutMs: options.leaseTimeoutMs ?? DEFAULT_LEASE_TIMEOUT_MS,
      liveUrl: liveUrl ? { url: liveUrl, stateDir } : undefined,
    });
    const nodes: DagNode<PipelineServices>[] = [...RELATIONAL_NODES, ...DOCUMENT_NODES];
    const graph = buildGraph(nodes);
    const opened = docstore;
    const openedLive = live;
    const close = async () => {
      await runStore.close();
      await Promise.allSettled([warehouse.close(), opened.close(), openedLive?.close()]);
    };
    return { warehouse, docstore, runStore, graph, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await Promise.allSettled([warehouse.close(), docstore?.close(), live?.close()]);
    throw error;
  }
}

/** Options of one run. */
export interface RunOptions {
  /** Folder with users.csv, viewing_sessions.csv and content.json. */
  dataDir: string;
  /** @default 1000 */
  batchSize?: number;
  /** Drop and recreate the data tables. @default false */
  fresh?: boolean;
  /** Rerun only what failed or was skipped in earlier runs, and what depends on it. */
  resume?: boolean;
  /** Rerun this node and everything downstream. */
  from?: string;
  /** Run exactly these nodes. */
  only?: readonly string[];
  /** @default 2 */
  concurrency?: number;
  /**
   * A partitioned dataset (`viewing_sessions/` of daily files): reload every file and recompute every
   * derived table from all sessions. @default false
   */
  fullRefresh?: boolean;
  /** A partitioned dataset: reload only these partitions, by name (`["2024-09-01", "2024-09-07"]`). */
  partitions?: readonly [from: string, to: string];
  /** @default 0.05 */
  missingWatchDateLimit?: number;
  /** Encoding of the CSV inputs. @default "utf-8" (strict: a line that is not UTF-8 is rejected) */
  encoding?: CsvEncoding;
  /** Longest CSV line in bytes, a longer one is rejected `line_too_long`. @default 1_048_576 */
  maxLineBytes?: number;
  /** Wall-clock budget for retrying a node's transient errors (and recording), in ms. @default 60_000 */
  retryBudgetMs?: number;
  /** Share of a file's rows that may be rejected before its load node fails. @default 0.05 */
  maxRejectRate?: number;
  /** Validate the CSV files in a worker thread (`true`) or on the calling one. @default by size: 1 MiB on */
  validateInWorker?: boolean;
  /** Drop in a file's rows read since its previous successful load above which `validate_data` warns. @default 0.5 */
  maxVolumeDrop?: number;
  /** Empty the content collection before loading. @default false */
  purge?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: DagEvent) => void;
  /** Stored with the run, for the history. */
  label?: Record<string, unknown>;
  /** Records the nodes under this run id (a step run continues one run over several calls). @default a new UUID */
  runId?: string;
  /** Wraps the run store's recorder, e.g. to record one run over several calls. @default the run store */
  recorder?: (store: RunRecorder) => RunRecorder;
  /** Who starts the run, recorded with it and shown by every front end. @default "library" */
  source?: string;
  /** While another run holds the warehouse's lease, wait for it instead of throwing a `LeaseBusyError`. */
  wait?: boolean;
  /** Called once when the run starts waiting for the lease, with the live run. */
  onWait?: (holder: LeaseHolder) => void;
  /** Write each running node's live counters (the lease's heartbeat goes either way). @default true */
  liveWrites?: boolean;
  /** How often the live counters are written; the heartbeat goes about once a second. @default 500 */
  liveIntervalMs?: number;
  /** The live run (and lease) this run belongs to, held by a step run across calls. @default a new one */
  live?: LiveRun;
  /**
   * The reads and the rows handed from node to node (the cubes `process_sessions` sums), kept by a step run
   * across calls; the caller settles it. @default a new one for the run, settled at its end
   */
  readAhead?: ReadAhead;
}

/**
 * Runs the DAG (or the selected part of it) and records it in the warehouse. Takes the warehouse's lease
 * first: while another run is live on it, throws a `LeaseBusyError` naming that run (or waits, with `wait`).
 * A run that fails outside any node is recorded `error` with its message, and rethrows.
 */
export async function runWorkbench(workbench: Workbench, options: RunOptions): Promise<RunResult> {
  const {
    dataDir,
    batchSize = 1000,
    fresh = false,
    resume = false,
    from,
    only,
    concurrency = 2,
    missingWatchDateLimit = 0.05,
    maxRejectRate = 0.05,
    maxVolumeDrop = 0.5,
    purge = false,
    signal,
    onEvent,
  } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Batch size must be a positive integer (got ${batchSize})`);
  }
  if (!(missingWatchDateLimit >= 0 && missingWatchDateLimit <= 1)) {
    throw new RangeError(
      `The missing watch date limit must be between 0 and 1 (got ${missingWatchDateLimit})`,
    );
  }
  for (
    const [name, value] of [["maximum reject rate", maxRejectRate], ["maximum volume drop", maxVolumeDrop]]
  ) {
    if (!(Number(value) >= 0 && Number(value) <= 1)) {
      throw new RangeError(`The ${name} must be between 0 and 1 (got ${value})`);
    }
  }
  const runId = options.runId ?? crypto.randomUUID();
  const origin = options.live?.origin ?? thisProcess(options.source ?? "library");
  const owned = options.live === undefined;
  const live = options.live ?? await LiveRun.start(workbench.runStore, {
    runId,
    origin,
    wait: options.wait,
    onWait: options.onWait,
    signal,
    liveWrites: options.liveWrites,
    intervalMs: options.liveIntervalMs,
  });
  let started = false;
  try {
    const result = await runHoldingLease();
    if (owned) await live.end(result.status);
    return result;
  } catch (error) {
    if (owned && started) {
      const message = (error as Error).message;
      await workbench.runStore.runFailed(runId, message).catch(() => {});
      await live.end("error", message).catch(() => {});
    }
    throw error;
  } finally {
    if (owned) await live.release();
  }

  async function runHoldingLease(): Promise<RunResult> {
    // Every run path checks the schema's indexes first: a run killed between a load and its index rebuild
    // left one missing, and a `--resume` might never run that load again.
    const repaired = await repairIndexes(workbench.warehouse, DATA_TABLES);
    const resumeFrom = resume ? await workbench.runStore.latestNodeStatuses() : undefined;
    const select = selectNodes(workbench.graph, { only, from, resumeFrom });
    if (select && select.size === 0) {
      throw new RangeError("Nothing to resume: every node succeeded in the last runs");
    }
    const services: PipelineServices = {
      warehouse: workbench.warehouse,
      docstore: workbench.docstore,
      runStore: workbench.runStore,
      files: inputFilesIn(dataDir),
      batchSize,
      fresh,
      purge,
      missingWatchDateLimit,
      encoding: options.encoding,
      maxLineBytes: options.maxLineBytes,
      maxRejectRate,
      maxVolumeDrop,
      validateInWorker: options.validateInWorker,
      resume,
      partitions: { fullRefresh: options.fullRefresh ?? false, range: options.partitions },
      readAhead: options.readAhead ?? new ReadAhead(),
    };
    // generate_stats' cube and validate_data's totals need only the loaded sessions and users: their scans
    // start when process_sessions succeeded, beside create_aggregations, instead of after it (a cube the
    // load summed on the way is there already: see session_cubes.ts).
    const readAheadOn = (event: DagEvent) => {
      if (
        event.type !== "node-finished" || event.nodeId !== "process_sessions" ||
        event.result.status !== "success" || sessionPartitionsDir(services.files)
      ) return;
      const wanted = (id: string) => !select || select.has(id);
      const { readAhead } = services;
      if (wanted("validate_data")) {
        readAhead!.start(SESSION_TOTALS_READ, () => readSessionTotals(workbench.warehouse));
      }
      if (wanted("generate_stats")) {
        readAhead!.start(SESSION_CUBE_READ, () => readSessionCube(workbench.warehouse));
      }
    };
    const recorder = workbench.runStore.withOptions({
      dataDir,
      batchSize,
      fresh,
      purge,
      resume,
      from: from ?? null,
      only: only ?? null,
      ...(repaired.length > 0 ? { repairedIndexes: repaired.map((m) => `${m.table}.${m.index}`) } : {}),
      ...(options.fullRefresh ? { fullRefresh: true } : {}),
      ...(options.partitions ? { partitions: options.partitions.join("..") } : {}),
      ...options.label,
    }, origin);
    const inner = options.recorder ? options.recorder(recorder) : recorder;
    if (owned) {
      await live.setNodeIds(workbench.graph.order.filter((id) => !select || select.has(id)), new Date());
    }
    const { warehouse, docstore } = workbench;
    // Expected durations from the last successful runs at this scale, for nodes that report no rows meanwhile.
    const estimates = await estimateDurations(
      workbench.runStore,
      select ? [...select] : workbench.graph.order,
      await inputBytes(services.files),
    );
    const run = runDag(withDurationEstimates(workbench.graph, estimates), {
      services,
      isTransient: (error) =>
        isTransientError(error) || warehouse.sql.isTransient(error) || docstore.isTransient(error),
      runId,
      select,
      concurrency,
      signal: signal ? AbortSignal.any([signal, live.lost]) : live.lost,
      onEvent: (event) => {
        if (event.type === "run-started") started = true;
        readAheadOn(event);
        live.onEvent(event);
        onEvent?.(event);
      },
      retry: options.retryBudgetMs === undefined ? undefined : { budgetMs: options.retryBudgetMs },
      recorder: live.wrap(inner),
    });
    try {
      return await run;
    } finally {
      // A read-ahead whose node was skipped (e.g. validate_data failed) ends before the connections close.
      if (!options.readAhead) await services.readAhead!.settle();
    }
  }
}
