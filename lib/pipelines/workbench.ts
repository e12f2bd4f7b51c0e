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
import { openWarehouse, type Warehouse } from "../warehouse/mod.ts";
import { DOCUMENT_NODES } from "./document/nodes.ts";
import { RELATIONAL_NODES } from "./relational/nodes.ts";
import { WarehouseRunStore } from "./run_store.ts";
import { inputFilesIn, type PipelineServices } from "./services.ts";

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
  try {
    docstore = await openDocStore(options.docstoreUrl ?? `embedded:${stateDir}/docstore`, { stateDir });
    const runStore = await WarehouseRunStore.open(warehouse);
    const nodes: DagNode<PipelineServices>[] = [...RELATIONAL_NODES, ...DOCUMENT_NODES];
    const graph = buildGraph(nodes);
    const opened = docstore;
    const close = async () => {
      await Promise.allSettled([warehouse.close(), opened.close()]);
    };
    return { warehouse, docstore, runStore, graph, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await Promise.allSettled([warehouse.close(), docstore?.close()]);
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
}

/** Runs the DAG (or the selected part of it) and records it in the warehouse. */
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
    partitions: { fullRefresh: options.fullRefresh ?? false, range: options.partitions },
  };
  const recorder = workbench.runStore.withOptions({
    dataDir,
    batchSize,
    fresh,
    purge,
    resume,
    from: from ?? null,
    only: only ?? null,
    ...(options.fullRefresh ? { fullRefresh: true } : {}),
    ...(options.partitions ? { partitions: options.partitions.join("..") } : {}),
    ...options.label,
  });
  const { warehouse, docstore } = workbench;
  return await runDag(workbench.graph, {
    services,
    isTransient: (error) =>
      isTransientError(error) || warehouse.sql.isTransient(error) || docstore.isTransient(error),
    runId: options.runId,
    select,
    concurrency,
    signal,
    onEvent,
    recorder: options.recorder ? options.recorder(recorder) : recorder,
  });
}
