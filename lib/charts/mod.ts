/**
 * Charts of the workbench's tables: functions `(rows, { document }) -> element` over Observable Plot. The DOM
 * `document` is injected (linkedom's headless one in tests, notebooks and the report), so the same code draws
 * in a notebook, a static page and a test.
 *
 * @example
 * ```ts
 * import { parseHTML } from "linkedom";
 * import { deviceShareChart, type DeviceShareRow } from "./mod.ts";
 *
 * declare const rows: DeviceShareRow[];
 * const { document } = parseHTML("<html><body></body></html>");
 * const svg = deviceShareChart(rows, { document }).outerHTML;
 * ```
 * @module
 */
export * from "./chart_options.ts";
export * from "./headless_document.ts";
export * from "./device_share_chart.ts";
export * from "./country_device_chart.ts";
export * from "./month_device_chart.ts";
export * from "./device_completion_chart.ts";
export * from "./device_quality_chart.ts";
export * from "./favorite_device_chart.ts";
export * from "./country_minutes_chart.ts";
export * from "./country_genre_chart.ts";
export * from "./country_top_content_chart.ts";
export * from "./genre_chart.ts";
export * from "./rating_budget_chart.ts";
export * from "./release_year_chart.ts";
export * from "./content_type_chart.ts";
export * from "./node_timings_chart.ts";
export * from "./reject_reasons_chart.ts";
