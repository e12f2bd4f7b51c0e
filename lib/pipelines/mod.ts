/**
 * The pipelines as DAG nodes over the warehouse (and, for content, the document store), plus the run store
 * that records every run.
 * @module
 */
export { type InputFiles, inputFilesIn, type PipelineServices } from "./services.ts";
export {
  type ColumnSpec,
  DATA_TABLES,
  dropTables,
  ensureIndexes,
  ensureTables,
  indexNames,
  RUN_TABLES,
  SCHEMA_VERSION,
  type TableSpec,
  withoutSecondaryIndexes,
} from "./schema.ts";
export {
  CHECKS_TABLE,
  type CoercionGroup,
  type CoercionRow,
  type CoercionsPage,
  type CoercionsQuery,
  DEFAULT_LEASE_TIMEOUT_MS,
  describeLiveRun,
  describeOrigin,
  type FileQuality,
  formatTimestamp,
  LeaseBusyError,
  type LeaseHolder,
  type ListRunRowsOptions,
  type LiveNode,
  type LiveRunState,
  parseTimestamp,
  type ReadRunQualityOptions,
  type RejectCount,
  type RejectExample,
  type RejectRow,
  type RejectsPage,
  type RejectsQuery,
  type RejectValues,
  type RunOrigin,
  type RunStoreOptions,
  type StoredCheck,
  type StoredLoad,
  type StoredNodeRun,
  type StoredNodeStatus,
  type StoredRun,
  type StoredRunStatus,
  type StoredRunWithNodes,
  thisProcess,
  WarehouseRunStore,
} from "./run_store.ts";
export { LiveRun, type LiveRunOptions } from "./live_run.ts";
export { RELATIONAL_NODES, SUBSCRIPTION_PRICES } from "./relational/nodes.ts";
export {
  capRejectText,
  CSV_LOADS,
  type FileCounts,
  type KeyedCsvSpec,
  loadKeyedCsv,
  REJECT_TEXT_CHARS,
} from "./relational/load_keyed_csv.ts";
export { createUserMetrics, USER_METRICS_COLUMNS, USER_METRICS_SQL } from "./relational/user_metrics.ts";
export { generateStats, STATS_TABLES } from "./relational/generate_stats.ts";
export { COUNTRY_CONTENT_CUBE_COLUMNS, SESSION_CUBE_COLUMNS, SessionCubes } from "./session_cubes.ts";
export {
  type CheckResult,
  MISSING_WATCH_DATE_WARN,
  reconcileLines,
  validateData,
} from "./relational/validate_data.ts";
export {
  CUBES,
  hashFile,
  type LedgerRow,
  listPartitionFiles,
  loadSessionPartitions,
  markDerived,
  type PartitionCounts,
  type PartitionedDetails,
  type PartitionPlanEntry,
  PARTITIONS_LEDGER_COLUMNS,
  type PartitionVerdict,
  planPartitions,
  readDerivedMarks,
  readLedger,
  rebuildCubes,
  sessionPartitionsDir,
  unchangedPartitionFiles,
} from "./relational/partitions.ts";
export {
  CONTENT_CUBE_TABLE,
  DERIVED_MARKS_TABLE,
  PARTITION_TABLES,
  PARTITIONS_TABLE,
  SESSION_CUBE_TABLE,
  SESSION_VERSIONS_TABLE,
  TOUCHED_SESSIONS_TABLE,
  TOUCHED_USERS_TABLE,
  USER_DEVICE_CUBE_TABLE,
} from "./relational/partition_tables.ts";
export {
  crossStoreStatsFromCube,
  generateStatsFromCube,
  loadUsersUnlessUnchanged,
  type SkippedUsers,
  updateUserMetrics,
  userMetricsSqlFor,
} from "./relational/incremental.ts";
export { type PartitionContext, type PartitionOptions, type PartitionRunState } from "./partition_options.ts";
export {
  DEFAULT_STATE_DIR,
  openWorkbench,
  type OpenWorkbenchOptions,
  type RunOptions,
  runWorkbench,
  type Workbench,
} from "./workbench.ts";
export {
  runWorkbenchInWorker,
  type WorkerReply,
  type WorkerRequest,
  type WorkerRunOptions,
} from "./run_in_worker.ts";
export { startStepRun, type StepOptions, type StepRun, type StepRunOptions } from "./step_run.ts";
export {
  CONTENT_BATCH_LIMIT,
  CONTENT_COLLECTION,
  CONTENT_DIM,
  CONTENT_GENRE_STATS,
  CONTENT_GENRES,
  CONTENT_INDEXES,
  CONTENT_STATS_PIPELINES,
  CONTENT_TABLES,
  CONTENT_TOP_RATED,
  CONTENT_TYPE_STATS,
  type ContentLoadCounts,
  type ContentReject,
  contentStats,
  contentStatsRows,
  type ContentValidation,
  createContentIndexes,
  CROSS_STORE_TABLES,
  crossStoreStats,
  DOCUMENT_NODES,
  loadContent,
  STATS_COUNTRY_GENRE,
  STATS_COUNTRY_TOP_CONTENT,
  TOP_CONTENT_PER_COUNTRY,
  TOP_RATED_PER_GENRE,
  validateContentJson,
} from "./document/mod.ts";
export { type Relationship, RELATIONSHIPS, relationshipsOf } from "./relationships.ts";
export { downstreamOf, listInWords, prerequisitesToRun, StepRunError } from "./step_run_order.ts";
export { judgeRejectRate, REJECT_RATE_WARN, type RejectTally } from "./reject_gate.ts";
