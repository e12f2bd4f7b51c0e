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
export {
  chartDefaults,
  type ChartOptions,
  CONTENT_TYPE_COLOR,
  DEVICE_COLOR,
  marginFor,
  QUALITY_COLOR,
} from "./chart_options.ts";
export { headlessDocument } from "./headless_document.ts";
export { deviceShareChart, type DeviceShareRow } from "./device_share_chart.ts";
export { countryDeviceChart, type CountryDeviceRow, sortedBySum } from "./country_device_chart.ts";
export { monthDeviceChart, type MonthDeviceRow, monthStart } from "./month_device_chart.ts";
export { deviceCompletionChart, type DeviceCompletionRow } from "./device_completion_chart.ts";
export { deviceQualityChart, type DeviceQualityRow } from "./device_quality_chart.ts";
export { favoriteDeviceChart, type FavoriteDeviceRow } from "./favorite_device_chart.ts";
export { countryMinutesChart, type CountryMinutesRow } from "./country_minutes_chart.ts";
export { countryGenreChart, type CountryGenreRow } from "./country_genre_chart.ts";
export { countryTopContentChart, type CountryTopContentRow } from "./country_top_content_chart.ts";
export { genreChart, type GenreRow } from "./genre_chart.ts";
export { ratingBudgetChart, type RatingBudgetRow } from "./rating_budget_chart.ts";
export { releaseYearChart, type ReleaseYearRow } from "./release_year_chart.ts";
export { contentTypeChart, type ContentTypeRow } from "./content_type_chart.ts";
export { type NodeTimingRow, nodeTimingsChart } from "./node_timings_chart.ts";
export { type RejectReasonRow, rejectReasonsChart } from "./reject_reasons_chart.ts";
