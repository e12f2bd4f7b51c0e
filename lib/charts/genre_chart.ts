import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, CONTENT_TYPE_COLOR, marginFor } from "./chart_options.ts";

/** A row of `content_genre_stats`: titles of a genre by type. */
export interface GenreRow {
  genre: string;
  movies: number;
  series: number;
}

/** Titles per genre, movies and series stacked, genres with most titles first. */
export function genreChart(rows: readonly GenreRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const sorted = [...rows].sort((a, b) =>
    (Number(b.movies) + Number(b.series)) - (Number(a.movies) + Number(a.series)) ||
    (a.genre < b.genre ? -1 : 1)
  );
  const genres = sorted.map((r) => r.genre);
  const data = sorted.flatMap((r) => [
    { genre: r.genre, type: "movie", titles: Number(r.movies) },
    { genre: r.genre, type: "series", titles: Number(r.series) },
  ]);
  const totals = sorted.map((r) => ({ genre: r.genre, titles: Number(r.movies) + Number(r.series) }));
  return Plot.plot({
    document,
    width,
    height: 60 + genres.length * 26,
    title: options.title ?? "Titles per genre",
    caption: options.caption ??
      "Movies and series per genre (content_genre_stats); a title with several genres counts in each.",
    marginLeft: marginFor(genres),
    marginRight: 40,
    x: { label: "Titles", grid: true },
    y: { label: null, domain: genres },
    color: { ...CONTENT_TYPE_COLOR, legend: true },
    marks: [
      Plot.barX(data, { x: "titles", y: "genre", fill: "type", order: CONTENT_TYPE_COLOR.domain }),
      Plot.text(totals, {
        x: "titles",
        y: "genre",
        text: (d) => String(d.titles),
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}
