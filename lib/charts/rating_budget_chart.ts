import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, CONTENT_TYPE_COLOR } from "./chart_options.ts";

/** A content document's rating and production budget (USD). */
export interface RatingBudgetRow {
  type: string;
  rating: number;
  production_budget: number | null;
}

/** Rating against production budget, one dot per title, coloured by type, with a trend line per type. */
export function ratingBudgetChart(rows: readonly RatingBudgetRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows
    .filter((r) => typeof r.production_budget === "number" && Number.isFinite(r.production_budget))
    .map((r) => ({ type: r.type, rating: Number(r.rating), budget: Number(r.production_budget) / 1e6 }));
  return Plot.plot({
    document,
    width,
    height: 400,
    title: options.title ?? "Rating vs production budget",
    caption: options.caption ??
      `One dot per title with a budget (${data.length} of ${rows.length}); lines are least-squares fits per type.`,
    marginLeft: 50,
    x: { label: "Production budget (million USD)", grid: true, zero: true, nice: true },
    y: { label: "Rating (0–5)", domain: [0, 5], grid: true },
    color: { ...CONTENT_TYPE_COLOR, legend: true },
    marks: [
      Plot.dot(data, {
        x: "budget",
        y: "rating",
        stroke: "type",
        r: 3,
        title: (d) => `${d.type}: rating ${d.rating}, ${d.budget.toFixed(1)} M USD`,
      }),
      Plot.linearRegressionY(data, { x: "budget", y: "rating", stroke: "type", ci: 0, strokeWidth: 2 }),
    ],
  });
}
