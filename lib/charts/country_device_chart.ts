import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, DEVICE_COLOR, marginFor } from "./chart_options.ts";

/** A row of `stats_country_device`: sessions of a device in a country, and its share within the country. */
export interface CountryDeviceRow {
  country: string;
  device_type: string;
  sessions: number;
  share_sessions: number;
}

/** Each country's sessions split by device (100 % per country), countries by sessions, largest first. */
export function countryDeviceChart(rows: readonly CountryDeviceRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const countries = sortedBySum(rows, (r) => r.country, (r) => Number(r.sessions));
  const present = new Set(rows.map((r) => r.device_type));
  const devices = DEVICE_COLOR.domain.filter((d) => present.has(d));
  return Plot.plot({
    document,
    width,
    height: 60 + countries.length * 28,
    title: options.title ?? "Devices by country",
    caption: options.caption ??
      "Share of each country's viewing sessions by device (stats_country_device); countries by sessions.",
    marginLeft: marginFor(countries),
    x: { label: "Share of the country's sessions (%)", percent: true, grid: true, domain: [0, 100] },
    y: { label: null, domain: countries },
    color: {
      domain: devices,
      range: devices.map((d) => DEVICE_COLOR.range[DEVICE_COLOR.domain.indexOf(d)]),
      legend: true,
    },
    marks: [
      Plot.barX(rows, {
        x: (r: CountryDeviceRow) => Number(r.share_sessions),
        y: "country",
        fill: "device_type",
        order: devices,
        title: (r: CountryDeviceRow) =>
          `${r.country}, ${r.device_type}: ${(Number(r.share_sessions) * 100).toFixed(1)} % (${
            Number(r.sessions).toLocaleString("en-US")
          } sessions)`,
      }),
      Plot.ruleX([0]),
    ],
  });
}

/** Distinct keys sorted by the sum of value, largest first (ties by key). */
export function sortedBySum<T>(
  rows: readonly T[],
  key: (row: T) => string,
  value: (row: T) => number,
): string[] {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + value(row));
  return [...sums].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
}
