import assert from "node:assert/strict";
import { contentTypeChart } from "./content_type_chart.ts";
import { genreChart } from "./genre_chart.ts";
import { headlessDocument } from "./headless_document.ts";
import { ratingBudgetChart } from "./rating_budget_chart.ts";
import { releaseYearChart } from "./release_year_chart.ts";
import { labelTexts, legendNames, markElements, num, titleAndCaption } from "./_plot_query.ts";

const document = headlessDocument();

Deno.test("genreChart() stacks movies and series per genre, genres with most titles first, totals printed", () => {
  const chart = genreChart([
    { genre: "Crime", movies: 0, series: 4 },
    { genre: "Drama", movies: 6, series: 3 },
  ], { document });
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["Drama", "Crime"]);
  assert.deepEqual(labelTexts(chart, "text"), ["9", "4"]);
  assert.deepEqual(legendNames(chart), ["movie", "series"]);
  assert.equal(labelTexts(chart, "x-axis label")[0], "Titles →");
  const widths = markElements(chart, "bar").map((b) => num(b, "width")).filter((w) => w > 0).sort((a, b) =>
    a - b
  );
  assert.equal(widths.length, 3, "a zero count draws no bar");
  assert.ok(Math.abs(widths[2] / widths[0] - 2) < 0.01, "6 movies are twice 3 series");
});

Deno.test("ratingBudgetChart() plots titles with a budget in million USD on a 0-5 rating axis", () => {
  const docs = [
    { type: "movie", rating: 4, production_budget: 10e6 },
    { type: "movie", rating: 2, production_budget: 30e6 },
    { type: "series", rating: 3, production_budget: 20e6 },
    { type: "series", rating: 5, production_budget: 40e6 },
    { type: "movie", rating: 1, production_budget: null },
  ];
  const chart = ratingBudgetChart(docs, { document });
  assert.equal(markElements(chart, "dot").length, 4);
  assert.equal(markElements(chart, "linear-regression").length, 2, "a trend line per type");
  assert.match(labelTexts(chart, "x-axis label")[0], /Production budget \(million USD\)/);
  assert.match(labelTexts(chart, "y-axis label")[0], /Rating \(0–5\)/);
  assert.deepEqual(labelTexts(chart, "y-axis tick label").at(-1), "5.0");
  assert.deepEqual(legendNames(chart), ["movie", "series"]);
  assert.match(titleAndCaption(chart)[1], /4 of 5/);
});

Deno.test("releaseYearChart() has a bar per year with titles, empty years kept, undated counted aside", () => {
  const docs = [
    { type: "movie", release_year: 2020 },
    { type: "movie", release_year: 2020 },
    { type: "movie", release_year: 2023 },
    { type: "series", release_year: null },
  ];
  const chart = releaseYearChart(docs, { document });
  assert.deepEqual(labelTexts(chart, "x-axis tick label"), ["2020", "2021", "2022", "2023"]);
  const bars = markElements(chart, "bar");
  assert.equal(bars.length, 2);
  assert.equal(num(bars[0], "height"), 2 * num(bars[1], "height"));
  assert.deepEqual(legendNames(chart), ["movie"], "only types with a year are in the legend");
  assert.match(titleAndCaption(chart)[1], /1 without a year/);

  const decades = releaseYearChart(
    Array.from({ length: 60 }, (_, i) => ({ type: "movie", release_year: 1960 + i })),
    { document, width: 640 },
  );
  const ticks = labelTexts(decades, "x-axis tick label");
  assert.ok(ticks.length <= 12, `${ticks.length} year labels fit in 640 px`);
  assert.equal(ticks[0], "1960");
});

Deno.test("contentTypeChart() compares movies and series with their rating, budget and views", () => {
  const chart = contentTypeChart([
    { type: "series", documents: 100, avg_rating: 3.1, avg_budget: 2e8, total_views: 18.3e6 },
    { type: "movie", documents: 200, avg_rating: 2.96, avg_budget: 1.28e8, total_views: 19.4e6 },
  ], { document });
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["movie", "series"]);
  assert.deepEqual(labelTexts(chart, "text"), [
    "200 titles · rating 2.96 · budget 128 M USD · 19.4 M views",
    "100 titles · rating 3.10 · budget 200 M USD · 18.3 M views",
  ]);
  const [movie, series] = markElements(chart, "bar").map((b) => num(b, "width"));
  assert.equal(movie, 2 * series);
});
