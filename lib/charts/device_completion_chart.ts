import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, DEVICE_COLOR, marginFor } from "./chart_options.ts";

/** A row of `stats_device_usage`: a device's sessions and their average completion in percent. */
export interface DeviceCompletionRow {
  device_type: string;
  sessions: number;
  avg_completion: number | null;
}

/** Average completion per device (0 to 100 %), highest first, each bar labelled with its value. */
export function deviceCompletionChart(rows: readonly DeviceCompletionRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows
    .filter((r) => r.avg_completion !== null)
    .map((r) => ({
      device: r.device_type,
      completion: Number(r.avg_completion),
      sessions: Number(r.sessions),
    }))
    .sort((a, b) => b.completion - a.completion || (a.device < b.device ? -1 : 1));
  const devices = data.map((d) => d.device);
  return Plot.plot({
    document,
    width,
    height: 50 + data.length * 30,
    title: options.title ?? "Average completion by device",
    caption: options.caption ??
      "Mean completion_percentage of the sessions with one, per device (stats_device_usage).",
    marginLeft: marginFor(devices),
    marginRight: 140,
    x: { label: "Average completion (%)", domain: [0, 100], grid: true },
    y: { label: null, domain: devices },
    color: { domain: DEVICE_COLOR.domain, range: DEVICE_COLOR.range },
    marks: [
      Plot.barX(data, {
        x: "completion",
        y: "device",
        fill: "device",
        title: (d) =>
          `${d.device}: ${d.completion.toFixed(1)} % over ${d.sessions.toLocaleString("en-US")} sessions`,
      }),
      Plot.text(data, {
        x: "completion",
        y: "device",
        // The session count tells a reliable average from one over a handful of sessions.
        text: (d) => `${d.completion.toFixed(1)} % (${d.sessions.toLocaleString("en-US")} sessions)`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}
