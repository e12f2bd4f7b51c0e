import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, marginFor } from "./chart_options.ts";

/** A row of `stats_country_minutes`. */
export interface CountryMinutesRow {
  country: string;
  active_users: number;
  minutes: number;
  minutes_per_active_user: number | null;
}

/** Minutes watched per country, most first; each bar labelled with the minutes per active user. */
export function countryMinutesChart(rows: readonly CountryMinutesRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows
    .map((r) => ({
      country: r.country,
      hours: Number(r.minutes) / 60,
      perUser: r.minutes_per_active_user === null ? null : Number(r.minutes_per_active_user),
      activeUsers: Number(r.active_users),
    }))
    .sort((a, b) => b.hours - a.hours || (a.country < b.country ? -1 : 1));
  const countries = data.map((d) => d.country);
  return Plot.plot({
    document,
    width,
    height: 50 + data.length * 28,
    title: options.title ?? "Viewing time per country",
    caption: options.caption ??
      "Hours watched per country (stats_country_minutes); the label gives the hours per active user.",
    marginLeft: marginFor(countries),
    marginRight: 130,
    x: { label: "Hours watched", grid: true, tickFormat: ",d" },
    y: { label: null, domain: countries },
    marks: [
      Plot.barX(data, {
        x: "hours",
        y: "country",
        fill: "#4e79a7",
        title: (d) =>
          `${d.country}: ${Math.round(d.hours).toLocaleString("en-US")} h, ${d.activeUsers} active users`,
      }),
      Plot.text(data, {
        x: "hours",
        y: "country",
        text: (d) => d.perUser === null ? "" : `${(d.perUser / 60).toFixed(1)} h per active user`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}
