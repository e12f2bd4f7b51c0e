import {
  countryDeviceChart,
  countryGenreChart,
  countryMinutesChart,
  countryTopContentChart,
  deviceCompletionChart,
  deviceQualityChart,
  deviceShareChart,
  favoriteDeviceChart,
  headlessDocument,
  monthDeviceChart,
} from "../charts/mod.ts";
import { readDeviceStats, readGeographyStats } from "../notebook/read_stats.ts";
import type { Warehouse } from "../warehouse/mod.ts";

/** One chart of the Analytics page: its markup is Plot's SVG (or figure), drawn on the server. */
export interface DashboardChart {
  id: string;
  section: "Devices" | "Geography";
  /** The chart's `<figure>` or `<svg>` as HTML. */
  html: string;
}

/** `GET /api/analytics/charts`: the charts, or why there are none yet. */
export interface DashboardCharts {
  width: number;
  charts: DashboardChart[];
  /** Set when the statistics tables do not exist or are empty (no successful run yet). */
  missing: string | null;
}

/**
 * The device and geography charts of notebook 03, from the same statistics tables and by the same
 * `lib/charts` functions, drawn into linkedom's headless document at `width` pixels: one source of truth for
 * the notebook, the report and the dashboard.
 */
export async function renderAnalyticsCharts(wh: Warehouse, width: number): Promise<DashboardCharts> {
  let device, geography;
  try {
    [device, geography] = await Promise.all([readDeviceStats(wh), readGeographyStats(wh)]);
  } catch (error) {
    if (!wh.sql.isMissingTable(error)) throw error;
    return {
      width,
      charts: [],
      missing: "The statistics tables do not exist yet: run both pipelines (Start on the Pipeline page).",
    };
  }
  if (device.usage.length === 0) {
    return {
      width,
      charts: [],
      missing: "The statistics tables are empty: run the relational pipeline (Start on the Pipeline page).",
    };
  }
  const o = { document: headlessDocument(), width };
  const draw: [string, DashboardChart["section"], () => Element][] = [
    ["device-share", "Devices", () => deviceShareChart(device.usage, o)],
    ["country-device", "Devices", () => countryDeviceChart(device.byCountry, o)],
    ["month-device", "Devices", () => monthDeviceChart(device.byMonth, o)],
    ["device-completion", "Devices", () => deviceCompletionChart(device.usage, o)],
    ["device-quality", "Devices", () => deviceQualityChart(device.quality, o)],
    ["favorite-device", "Devices", () => favoriteDeviceChart(device.favorites, o)],
    ["country-minutes", "Geography", () => countryMinutesChart(geography.minutes, o)],
  ];
  if (geography.genres.length > 0) {
    draw.push(["country-genre", "Geography", () => countryGenreChart(geography.genres, o)]);
  }
  if (geography.topContent.length > 0) {
    draw.push(["country-top-content", "Geography", () => countryTopContentChart(geography.topContent, o)]);
  }
  return {
    width,
    charts: draw.map(([id, section, chart]) => ({ id, section, html: chart().outerHTML })),
    missing: null,
  };
}
