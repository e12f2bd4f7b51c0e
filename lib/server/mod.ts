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
export * from "./http_error.ts";
export * from "./dag_status.ts";
export * from "./start_options.ts";
export * from "./etl_monitor.ts";
export * from "./notify_webhook.ts";
export * from "./run_history.ts";
export * from "./content_query.ts";
export * from "./create_app.ts";
export * from "./parse_serve_args.ts";
export * from "./build_dashboard.ts";
export * from "./origin_guard.ts";
export * from "./original_api.ts";
export * from "./warehouse_browser.ts";
export * from "./analytics_charts.ts";
export * from "./partitions_query.ts";
