import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, marginFor, QUALITY_COLOR } from "./chart_options.ts";
import { sortedBySum } from "./country_device_chart.ts";

/** Sessions of a device at a quality level (`null`: not recorded). */
export interface DeviceQualityRow {
  device_type: string;
  quality_level: string | null;
  sessions: number;
}

/** Each device's sessions split by streaming quality (100 % per device), devices by sessions. */
export function deviceQualityChart(rows: readonly DeviceQualityRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.device_type, (totals.get(r.device_type) ?? 0) + Number(r.sessions));
  const data = rows.map((r) => ({
    device: r.device_type,
    quality: r.quality_level ?? "Unknown",
    sessions: Number(r.sessions),
    share: Number(r.sessions) / totals.get(r.device_type)!,
  }));
  const devices = sortedBySum(data, (d) => d.device, (d) => d.sessions);
  // Each device's session count beside its name, so that a split of a handful of sessions reads as such.
  const label = (device: string) => `${device} (${totals.get(device)!.toLocaleString("en-US")})`;
  const present = new Set(data.map((d) => d.quality));
  const levels = QUALITY_COLOR.domain.filter((q) => present.has(q));
  return Plot.plot({
    document,
    width,
    height: 60 + devices.length * 28,
    title: options.title ?? "Streaming quality by device",
    caption: options.caption ??
      "Share of each device's sessions by quality_level (viewing_sessions); devices by sessions, their count in brackets.",
    marginLeft: marginFor(devices.map(label)),
    x: { label: "Share of the device's sessions (%)", percent: true, grid: true, domain: [0, 100] },
    y: { label: null, domain: devices, tickFormat: label },
    color: {
      label: "Quality",
      domain: levels,
      range: levels.map((q) => QUALITY_COLOR.range[QUALITY_COLOR.domain.indexOf(q)]),
      legend: true,
    },
    marks: [
      Plot.barX(data, {
        x: "share",
        y: "device",
        fill: "quality",
        order: levels,
        title: (d) => `${d.device}, ${d.quality}: ${(d.share * 100).toFixed(1)} % (${d.sessions} sessions)`,
      }),
      Plot.ruleX([0]),
    ],
  });
}
