import assert from "node:assert/strict";
import { countryGenreChart } from "./country_genre_chart.ts";
import { countryMinutesChart } from "./country_minutes_chart.ts";
import { countryTopContentChart } from "./country_top_content_chart.ts";
import { headlessDocument } from "./headless_document.ts";
import { labelTexts, markElements, markTitles, num, titleAndCaption } from "./_plot_query.ts";

const document = headlessDocument();

Deno.test("countryMinutesChart() draws hours per country, most first, labelled per active user", () => {
  const chart = countryMinutesChart([
    { country: "Chile", active_users: 10, minutes: 6000, minutes_per_active_user: 600 },
    { country: "Mexico", active_users: 20, minutes: 18000, minutes_per_active_user: 900 },
    { country: "Unknown", active_users: 0, minutes: 0, minutes_per_active_user: null },
  ], { document });
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["Mexico", "Chile", "Unknown"]);
  assert.deepEqual(labelTexts(chart, "text"), ["15.0 h per active user", "10.0 h per active user"]);
  assert.equal(labelTexts(chart, "x-axis label")[0], "Hours watched →");
  const bars = markElements(chart, "bar");
  assert.equal(bars.length, 3);
  assert.ok(
    Math.abs(num(bars[0], "width") / num(bars[1], "width") - 3) < 0.01,
    "Mexico's 300 h vs Chile's 100 h",
  );
});

Deno.test("countryGenreChart() is a grid of country x genre cells with the share printed in each", async (t) => {
  const rows = [
    { country: "Peru", genre: "Drama", sessions: 30, share_sessions: 0.6 },
    { country: "Peru", genre: "Comedy", sessions: 20, share_sessions: 0.4 },
    { country: "Mexico", genre: "Drama", sessions: 40, share_sessions: 0.4 },
    { country: "Mexico", genre: "Comedy", sessions: 60, share_sessions: 0.6 },
  ];
  const chart = countryGenreChart(rows, { document });
  assert.equal(markElements(chart, "cell").length, 4);
  assert.deepEqual(labelTexts(chart, "x-axis tick label"), ["Mexico", "Peru"], "countries by sessions");
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["Comedy", "Drama"], "genres by sessions");
  assert.deepEqual(labelTexts(chart, "text").sort(), ["40.0", "40.0", "60.0", "60.0"]);
  assert.match(
    chart.outerHTML,
    /Share of the country's sessions \(%\)/,
    "the colour legend says what it encodes",
  );
  assert.match(titleAndCaption(chart)[1], /add up to 100 %/);

  await t.step("long country names are rotated when columns are narrow", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      country: `Republic of Somewhere ${i}`,
      genre: "Drama",
      sessions: 10,
      share_sessions: 1,
    }));
    const narrow = countryGenreChart(many, { document });
    assert.match(narrow.querySelector('g[aria-label="x-axis tick label"]')!.outerHTML, /rotate\(-35\)/);
    assert.doesNotMatch(chart.querySelector('g[aria-label="x-axis tick label"]')!.outerHTML, /rotate/);
  });
});

Deno.test("countryTopContentChart() puts each country's titles in rank columns", () => {
  const chart = countryTopContentChart([
    { country: "Peru", place: 2, title: "B side", type: "movie", sessions: 5 },
    { country: "Peru", place: 1, title: "A Story", type: "series", sessions: 9 },
    { country: "Chile", place: 1, title: "Lonely", type: "movie", sessions: 1 },
  ], { document });
  assert.deepEqual(labelTexts(chart, "x-axis tick label"), ["#1", "#2"]);
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["Peru", "Chile"]);
  assert.equal(markElements(chart, "cell").length, 3);
  assert.ok(markTitles(chart, "cell").includes("Peru #1: A Story (series), 9 sessions"));
  const texts = [...chart.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
  assert.ok(texts.some((t) => t?.includes("Lonely") && t.includes("1 session") && !t.includes("sessions")));
});
