import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, DEVICE_COLOR, marginFor } from "./chart_options.ts";

/** How many users have a device as favourite (`null`: users without sessions). */
export interface FavoriteDeviceRow {
  favorite_device: string | null;
  users: number;
}

/** Users per favourite device (from `user_metrics`), most common first, bars labelled with count and share. */
export function favoriteDeviceChart(rows: readonly FavoriteDeviceRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const total = rows.reduce((sum, r) => sum + Number(r.users), 0);
  const data = rows
    .map((r) => ({ device: r.favorite_device ?? "No sessions", users: Number(r.users) }))
    .sort((a, b) => b.users - a.users || (a.device < b.device ? -1 : 1));
  const devices = data.map((d) => d.device);
  return Plot.plot({
    document,
    width,
    height: 50 + data.length * 30,
    title: options.title ?? "Favourite device of each user",
    caption: options.caption ??
      "Users by the device of most of their sessions (user_metrics.favorite_device).",
    marginLeft: marginFor(devices),
    marginRight: 110,
    x: { label: "Users", grid: true },
    y: { label: null, domain: devices },
    color: { domain: [...DEVICE_COLOR.domain, "No sessions"], range: [...DEVICE_COLOR.range, "#bab0ac"] },
    marks: [
      Plot.barX(data, { x: "users", y: "device", fill: "device" }),
      Plot.text(data, {
        x: "users",
        y: "device",
        text: (d) => `${d.users.toLocaleString("en-US")} (${(d.users / total * 100).toFixed(1)} %)`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}
