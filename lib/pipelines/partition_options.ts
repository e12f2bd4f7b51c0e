/**
 * The per-run options and shared state of partitioned loading (`PipelineServices.partitions`). A leaf
 * module, so that the services and the partition nodes can both name it.
 *
 * @module
 */

/** Options of partitioned loading, per run. */
export interface PartitionOptions {
  /** Reload every file and recompute every derived table from all sessions (dbt's `--full-refresh`). */
  fullRefresh?: boolean;
  /** Only these partitions (by name, inclusive), reloaded even when unchanged: a backfill. */
  range?: readonly [from: string, to: string];
}

/** What the sessions' load of this run did, for the derived nodes that follow it in the same run. */
export interface PartitionRunState {
  /** `full`: everything was rebuilt; `incremental`: only touched rows; `unchanged`: nothing to do. */
  mode: "full" | "incremental" | "unchanged";
  touchedSessions: number;
  touchedUsers: number;
  /** The users whose metrics `create_aggregations` derived in this run (incremental runs), for `validate_data`. */
  metricsUsers?: string[];
}

/** Shared by the nodes of one run. */
export interface PartitionContext extends PartitionOptions {
  /** Set by `process_users` on a partitioned dataset: whether users.csv changed (forces a full refresh). */
  usersChanged?: boolean;
  /** Set by `process_sessions` on a partitioned dataset. */
  state?: PartitionRunState;
}
