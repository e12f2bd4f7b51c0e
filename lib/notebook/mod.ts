/**
 * What the notebooks and `deno task report` share, as plain functions: parameters from the environment, the
 * dataset, a progress table fed by DAG events, a node's report (rejects by reason, timings, a preview), the
 * statistics the charts draw, and the report page. Nothing here calls `Deno.jupyter`: notebooks pass in a
 * {@linkcode LiveDisplay} that does.
 * @module
 */
export { type NotebookParams, readNotebookParams } from "./notebook_params.ts";
export { ensureDataset } from "./ensure_dataset.ts";
export { HtmlBlock, JUPYTER_DISPLAY } from "./html_block.ts";
export { htmlTable, type HtmlTableOptions } from "./html_table.ts";
export { ProgressTable, TICKING_CSS } from "./progress_table.ts";
export { type LiveDisplay, runNodeLive, type RunNodeLiveOptions } from "./run_node_live.ts";
export {
  NODE_FILES,
  NODE_PREVIEWS,
  type NodeReport,
  nodeReportHtml,
  readNodeReport,
  type ReadNodeReportOptions,
  type RejectGroup,
} from "./node_report.ts";
export {
  type ContentStats,
  type DeviceStats,
  type DeviceUsageRow,
  type GeographyStats,
  readContentStats,
  readDeviceStats,
  readGeographyStats,
  readRejectReasons,
} from "./read_stats.ts";
export {
  latestNodeRuns,
  readReportContent,
  type ReportChart,
  reportCharts,
  type ReportContent,
  reportHtml,
} from "./build_report.ts";
export { nodesToCatchUp } from "./nodes_to_catch_up.ts";
export {
  clearOutputs,
  hasKernel,
  inspectNotebook,
  nbconvertArgs,
  type NbconvertArgsOptions,
  type NotebookCell,
  type NotebookInspection,
  type NotebookOutput,
} from "./inspect_notebook.ts";
export {
  type DisplayOptions,
  type JupyterLike,
  type NotebookSession,
  openNotebook,
  type OpenNotebookOptions,
} from "./notebook_session.ts";
export { stepRunSummaryHtml } from "./step_run_summary.ts";
export { coercionsSummaryHtml } from "./coercions_summary.ts";
export { failureSentence } from "./notebook_failure.ts";
export { cleanNotebookText } from "./clean_notebook.ts";
