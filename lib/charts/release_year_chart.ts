import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, CONTENT_TYPE_COLOR } from "./chart_options.ts";

/** A content document's release year (series have none in the source). */
export interface ReleaseYearRow {
  type: string;
  release_year?: number | null;
}

/**
 * Titles per release year, one bar per year from the first to the last (empty years included), stacked by
 * type; documents without a year are left out and counted in the caption.
 */
export function releaseYearChart(rows: readonly ReleaseYearRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows
    .filter((r) => Number.isInteger(r.release_year))
    .map((r) => ({ type: r.type, year: Number(r.release_year) }));
  const first = Math.min(...data.map((d) => d.year));
  const last = Math.max(...data.map((d) => d.year));
  const years = data.length ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : [];
  // At most one year label per 50 px, on every n-th year.
  const step = Math.max(1, Math.ceil(years.length / Math.floor((width - 80) / 50)));
  const types = CONTENT_TYPE_COLOR.domain.filter((t) => data.some((d) => d.type === t));
  const undated = rows.length - data.length;
  return Plot.plot({
    document,
    width,
    height: 320,
    title: options.title ?? "Titles per release year",
    caption: options.caption ??
      `Titles by release_year${undated ? ` (${undated} without a year, e.g. series, are left out)` : ""}.`,
    marginLeft: 50,
    x: {
      type: "band",
      label: "Release year",
      domain: years,
      ticks: years.filter((_, i) => i % step === 0),
      tickFormat: (y: number) => String(y),
      padding: 0.1,
    },
    y: { label: "Titles", grid: true, zero: true },
    color: {
      domain: types,
      range: types.map((t) => CONTENT_TYPE_COLOR.range[CONTENT_TYPE_COLOR.domain.indexOf(t)]),
      legend: true,
    },
    marks: [
      Plot.barY(data, Plot.groupX({ y: "count" }, { x: "year", fill: "type", order: types })),
      Plot.ruleY([0]),
    ],
  });
}
