import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, marginFor } from "./chart_options.ts";
import { sortedBySum } from "./country_device_chart.ts";

/** A row of `stats_country_top_content`: the title at `place` (1 = most watched) in a country. */
export interface CountryTopContentRow {
  country: string;
  place: number;
  title: string;
  type: string;
  sessions: number;
}

/** The most watched titles per country as a grid: a row per country, a column per rank, shaded by sessions. */
export function countryTopContentChart(
  rows: readonly CountryTopContentRow[],
  options: ChartOptions,
): Element {
  const { document, width } = chartDefaults(options);
  const data = rows.map((r) => ({
    country: r.country,
    place: `#${Number(r.place)}`,
    rank: Number(r.place),
    title: String(r.title),
    type: r.type,
    sessions: Number(r.sessions),
  }));
  const countries = sortedBySum(data, (d) => d.country, (d) => d.sessions);
  const places = [...new Set(data.map((d) => d.rank))].sort((a, b) => a - b).map((p) => `#${p}`);
  const maxSessions = Math.max(...data.map((d) => d.sessions));
  const left = marginFor(countries);
  const column = (width - left - 10) / Math.max(1, places.length);
  return Plot.plot({
    document,
    width,
    height: 60 + countries.length * 40,
    title: options.title ?? "Most watched titles per country",
    caption: options.caption ??
      "The titles with the most sessions in each country, by rank (stats_country_top_content); shade = sessions.",
    marginLeft: left,
    x: { label: "Rank in the country", domain: places, axis: "top" },
    y: { label: null, domain: countries },
    // Binned, so the legend needs no canvas (headless DOMs have none).
    color: { type: "quantize", n: 5, scheme: "oranges", label: "Sessions", legend: true, zero: true },
    marks: [
      Plot.cell(data, {
        x: "place",
        y: "country",
        fill: "sessions",
        inset: 1,
        title: (d) => `${d.country} ${d.place}: ${d.title} (${d.type}), ${d.sessions} sessions`,
      }),
      Plot.text(data, {
        x: "place",
        y: "country",
        text: (d) => `${d.title}\n${d.sessions} session${d.sessions === 1 ? "" : "s"}`,
        fill: (d) => d.sessions > 0.6 * maxSessions ? "white" : "black",
        // lineWidth is in ems: about two characters each at 10 px.
        lineWidth: Math.max(4, (column * 0.85 - 12) / 10),
        textOverflow: "ellipsis",
        fontSize: 10,
      }),
    ],
  });
}
