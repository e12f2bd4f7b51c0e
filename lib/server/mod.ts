/**
 * The workbench's HTTP server as pure request handling: the status API, start/reset, run history, the event
 * stream, content queries, and the dashboard's files. `tasks/serve.ts` binds it to a port.
 *
 * @example
 * ```ts
 * import { openWorkbench } from "../pipelines/mod.ts";
 * import { createApp, EtlMonitor } from "./mod.ts";
 *
 * await using workbench = await openWorkbench();
 * await using monitor = new EtlMonitor({ workbench, dataDir: "data" });
 * const app = createApp({ monitor });
 * const res = await app.request("/api/etl/status"); // in-process, no port
 * ```
 * @module
 */
export { errorResponse, HttpError, jsonResponse } from "./http_error.ts";
export { type DagState, type DagView, type GraphOutline, LiveDag, type NodeView } from "./dag_status.ts";
export { branchOf, nodesOfPipelines, type StartOptions, StartOptionsSchema } from "./start_options.ts";
export { EtlMonitor, type EtlMonitorOptions, type MonitorEvent } from "./etl_monitor.ts";
export { type FailureNotice, failureNotice, postWebhook, type PostWebhookOptions } from "./notify_webhook.ts";
export { listRunHistory, type RunDetails, runDetails, type RunSummary } from "./run_history.ts";
export {
  CONTENT_SORT_FIELDS,
  contentFilter,
  type ContentPage,
  type ContentQuery,
  ContentQuerySchema,
  type ContentStatTables,
  findContent,
  readContentStatTables,
} from "./content_query.ts";
export { type App, createApp, type CreateAppOptions, type StaticAsset } from "./create_app.ts";
export { buildDashboard, type BuildDashboardOptions } from "./build_dashboard.ts";
export { normalizeOrigin, OriginGuard } from "./origin_guard.ts";
export {
  type Analytics,
  type CollectionSchema,
  findDocument,
  findMovies,
  findUsers,
  MOVIE_SORT_FIELDS,
  type MovieDoc,
  MoviesQuerySchema,
  type MovieStats,
  type Pagination,
  readAnalytics,
  readCollectionSchema,
  readMovieStats,
  readUserStats,
  type UserRow,
  UsersQuerySchema,
  type UserStats,
} from "./original_api.ts";
export {
  type DatabaseSchema,
  listTableNames,
  readDatabaseSchema,
  readTableRows,
  type SchemaColumn,
  type SchemaForeignKey,
  type SchemaTable,
  type TableRowsPage,
  TableRowsQuerySchema,
} from "./warehouse_browser.ts";
export { type DashboardChart, type DashboardCharts, renderAnalyticsCharts } from "./analytics_charts.ts";
export { type PartitionsAnswer, type PartitionView, readPartitions } from "./partitions_query.ts";
