import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, marginFor } from "./chart_options.ts";

/** A row of `stats_device_usage`: a device's share of all sessions and of all minutes. */
export interface DeviceShareRow {
  device_type: string;
  share_sessions: number;
  share_minutes: number;
}

const MEASURES = ["sessions", "minutes"];

/**
 * Share of sessions and of minutes watched per device, side by side, devices sorted by their share of
 * sessions (largest first).
 *
 * @example
 * ```ts
 * import { parseHTML } from "linkedom";
 * import type { Warehouse } from "../warehouse/mod.ts";
 * import { deviceShareChart, type DeviceShareRow } from "./mod.ts";
 *
 * declare const wh: Warehouse;
 * const { document } = parseHTML("<html><body></body></html>");
 * deviceShareChart(await wh.query<DeviceShareRow>("SELECT * FROM stats_device_usage"), { document });
 * ```
 */
export function deviceShareChart(rows: readonly DeviceShareRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const devices = [...rows].sort((a, b) => Number(b.share_sessions) - Number(a.share_sessions))
    .map((r) => r.device_type);
  const long = rows.flatMap((r) => [
    { device: r.device_type, measure: "sessions", share: Number(r.share_sessions) },
    { device: r.device_type, measure: "minutes", share: Number(r.share_minutes) },
  ]);
  return Plot.plot({
    document,
    width,
    title: options.title ?? "Share of sessions and minutes per device",
    caption: options.caption ??
      "Share of all viewing sessions and of all minutes watched (stats_device_usage).",
    marginLeft: marginFor(devices),
    marginRight: 50,
    x: { label: "Share of all (%)", percent: true, grid: true },
    y: { label: null, domain: MEASURES, axis: null },
    fy: { label: null, domain: devices, padding: 0.25 },
    color: { domain: MEASURES, range: ["#4e79a7", "#a0cbe8"], legend: true },
    marks: [
      Plot.barX(long, { x: "share", y: "measure", fy: "device", fill: "measure", title: tooltip }),
      Plot.text(long, {
        x: "share",
        y: "measure",
        fy: "device",
        text: (d) => `${(d.share * 100).toFixed(1)} %`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}

function tooltip(d: { device: string; measure: string; share: number }): string {
  return `${d.device}: ${(d.share * 100).toFixed(1)} % of ${d.measure}`;
}
