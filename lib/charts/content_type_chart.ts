import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, CONTENT_TYPE_COLOR } from "./chart_options.ts";

/** A row of `content_type_stats`. */
export interface ContentTypeRow {
  type: string;
  documents: number;
  avg_rating: number | null;
  avg_budget: number | null;
  total_views: number;
}

/** Movies vs series: titles per type, each bar labelled with the average rating, budget and total views. */
export function contentTypeChart(rows: readonly ContentTypeRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows
    .map((r) => ({
      type: r.type,
      documents: Number(r.documents),
      label: [
        `${Number(r.documents)} titles`,
        r.avg_rating === null ? null : `rating ${Number(r.avg_rating).toFixed(2)}`,
        r.avg_budget === null ? null : `budget ${(Number(r.avg_budget) / 1e6).toFixed(0)} M USD`,
        `${(Number(r.total_views) / 1e6).toFixed(1)} M views`,
      ].filter(Boolean).join(" · "),
    }))
    .sort((a, b) => b.documents - a.documents);
  return Plot.plot({
    document,
    width,
    height: 50 + data.length * 40,
    title: options.title ?? "Movies vs series",
    caption: options.caption ??
      "Titles per type; labels: average rating (0–5), average production budget and total views (content_type_stats).",
    marginLeft: 60,
    // The labels sit right of the bars, where a long one still fits beside the longest bar.
    marginRight: 340,
    x: { label: "Titles", grid: true },
    y: { label: null, domain: data.map((d) => d.type) },
    color: { ...CONTENT_TYPE_COLOR },
    marks: [
      Plot.barX(data, { x: "documents", y: "type", fill: "type" }),
      Plot.text(data, { x: "documents", y: "type", text: "label", textAnchor: "start", dx: 6 }),
      Plot.ruleX([0]),
    ],
  });
}
