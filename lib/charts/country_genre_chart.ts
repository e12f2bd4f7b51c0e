import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, marginFor } from "./chart_options.ts";
import { sortedBySum } from "./country_device_chart.ts";

/** A row of `stats_country_genre`: a genre's share of a country's genre-sessions. */
export interface CountryGenreRow {
  country: string;
  genre: string;
  sessions: number;
  share_sessions: number;
}

/**
 * Genre preference by country as a heat map: one column per country, one row per genre (most watched
 * overall first), each cell the genre's share of the country's sessions, printed in the cell.
 */
export function countryGenreChart(rows: readonly CountryGenreRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows.map((r) => ({
    country: r.country,
    genre: r.genre,
    sessions: Number(r.sessions),
    share: Number(r.share_sessions),
  }));
  const genres = sortedBySum(data, (d) => d.genre, (d) => d.sessions);
  const countries = sortedBySum(data, (d) => d.country, (d) => d.sessions);
  const left = marginFor(genres);
  // Country names stand upright while a column is wide enough for the longest, else they are rotated.
  const column = (width - left - 20) / Math.max(1, countries.length);
  const rotate = Math.max(...countries.map((c) => c.length)) * 6.5 > column - 6;
  return Plot.plot({
    document,
    width,
    height: 40 + genres.length * 26 + (rotate ? 90 : 30),
    title: options.title ?? "Genre preference by country",
    caption: options.caption ??
      "Share of each country's genre-sessions per genre (stats_country_genre); a title with several genres counts in each. Columns add up to 100 %.",
    marginLeft: left,
    marginBottom: rotate ? 90 : 30,
    x: { label: null, domain: countries, axis: "bottom", tickRotate: rotate ? -35 : 0 },
    y: { label: null, domain: genres },
    color: {
      // A binned scale: its legend is drawn with rects (a continuous ramp needs a canvas, which headless DOMs lack).
      type: "quantize",
      n: 6,
      scheme: "blues",
      percent: true,
      label: "Share of the country's sessions (%)",
      legend: true,
      zero: true,
    },
    marks: [
      Plot.cell(data, {
        x: "country",
        y: "genre",
        fill: "share",
        inset: 0.5,
        title: (d) => `${d.country}, ${d.genre}: ${(d.share * 100).toFixed(1)} % (${d.sessions} sessions)`,
      }),
      Plot.text(data, {
        x: "country",
        y: "genre",
        text: (d) => `${(d.share * 100).toFixed(1)}`,
        fill: (d) => d.share > 0.6 * Math.max(...data.map((e) => e.share)) ? "white" : "black",
      }),
    ],
  });
}
