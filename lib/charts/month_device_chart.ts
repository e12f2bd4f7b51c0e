import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, DEVICE_COLOR } from "./chart_options.ts";

/** A row of `stats_month_device`: sessions of a device in a month (`YYYY-MM`). */
export interface MonthDeviceRow {
  month: string;
  device_type: string;
  sessions: number;
}

/** Sessions per month, one line per device, devices in the legend in the contract's order. */
export function monthDeviceChart(rows: readonly MonthDeviceRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows
    .map((r) => ({ month: monthStart(r.month), device: r.device_type, sessions: Number(r.sessions) }))
    .sort((a, b) => a.month.getTime() - b.month.getTime());
  const present = new Set(data.map((r) => r.device));
  const devices = DEVICE_COLOR.domain.filter((d) => present.has(d));
  // One tick a month while "Mar 2024" labels (about 60 px) fit, else every few months.
  const months = new Set(data.map((d) => d.month.getTime())).size;
  const every = Math.max(1, Math.ceil(months / Math.floor((width - 100) / 75)));
  return Plot.plot({
    document,
    width,
    height: 360,
    title: options.title ?? "Sessions per month by device",
    caption: options.caption ?? "Viewing sessions per calendar month (UTC) and device (stats_month_device).",
    marginLeft: 60,
    marginRight: 30,
    x: { label: "Month", type: "utc", tickFormat: "%b %Y", ticks: every === 1 ? "month" : `${every} months` },
    y: { label: "Sessions per month", grid: true, zero: true, tickFormat: ",d" },
    color: {
      domain: devices,
      range: devices.map((d) => DEVICE_COLOR.range[DEVICE_COLOR.domain.indexOf(d)]),
      legend: true,
    },
    marks: [
      Plot.lineY(data, { x: "month", y: "sessions", stroke: "device", strokeWidth: 2 }),
      Plot.dot(data, {
        x: "month",
        y: "sessions",
        fill: "device",
        r: 3,
        title: (d) =>
          `${d.device}, ${d.month.toISOString().slice(0, 7)}: ${d.sessions.toLocaleString("en-US")}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

/** `2024-03` as the first instant of that month in UTC; a `RangeError` for anything else. */
export function monthStart(month: string): Date {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new RangeError(`Cannot read month "${month}": expected YYYY-MM`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}
