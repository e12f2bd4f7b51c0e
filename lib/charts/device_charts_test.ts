import assert from "node:assert/strict";
import { countryDeviceChart } from "./country_device_chart.ts";
import { deviceCompletionChart } from "./device_completion_chart.ts";
import { deviceQualityChart } from "./device_quality_chart.ts";
import { deviceShareChart } from "./device_share_chart.ts";
import { favoriteDeviceChart } from "./favorite_device_chart.ts";
import { headlessDocument } from "./headless_document.ts";
import { monthDeviceChart, monthStart } from "./month_device_chart.ts";
import { labelTexts, legendNames, markElements, markTitles, num, titleAndCaption } from "./_plot_query.ts";

const document = headlessDocument();

const USAGE = [
  {
    device_type: "Mobile",
    sessions: 300,
    minutes: 9000,
    share_sessions: 0.3,
    share_minutes: 0.25,
    avg_completion: 70.5,
  },
  {
    device_type: "Smart TV",
    sessions: 500,
    minutes: 20000,
    share_sessions: 0.5,
    share_minutes: 0.55,
    avg_completion: 82,
  },
  {
    device_type: "Tablet",
    sessions: 200,
    minutes: 7000,
    share_sessions: 0.2,
    share_minutes: 0.2,
    avg_completion: null,
  },
];

Deno.test("deviceShareChart() draws two bars per device, sorted by share of sessions, with a legend", () => {
  const chart = deviceShareChart(USAGE, { document });
  const bars = markElements(chart, "bar");
  assert.equal(bars.length, 6);
  assert.deepEqual(labelTexts(chart, "fy-axis tick label"), ["Smart TV", "Mobile", "Tablet"]);
  assert.deepEqual(legendNames(chart), ["sessions", "minutes"]);
  assert.match(labelTexts(chart, "x-axis label")[0], /Share of all \(%\)/);
  assert.deepEqual(labelTexts(chart, "text").slice(0, 2), ["50.0 %", "55.0 %"], "Smart TV first");
  // Bar lengths follow the data: Smart TV's 55 % of minutes is 2.75 times Tablet's 20 %.
  const width = (title: string) => num(bars[markTitles(chart, "bar").indexOf(title)], "width");
  assert.ok(
    Math.abs(width("Smart TV: 55.0 % of minutes") / width("Tablet: 20.0 % of minutes") - 2.75) < 0.01,
  );
  assert.equal(titleAndCaption(chart)[0], "Share of sessions and minutes per device");
});

Deno.test("countryDeviceChart() stacks each country to 100 %, countries by sessions, devices in contract order", () => {
  const rows = [
    { country: "Chile", device_type: "Mobile", sessions: 30, share_sessions: 0.75 },
    { country: "Chile", device_type: "Smart TV", sessions: 10, share_sessions: 0.25 },
    { country: "Peru", device_type: "Mobile", sessions: 100, share_sessions: 1 },
  ];
  const chart = countryDeviceChart(rows, { document });
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["Peru", "Chile"]);
  assert.deepEqual(legendNames(chart), ["Smart TV", "Mobile"]);
  assert.deepEqual(labelTexts(chart, "x-axis tick label").at(-1), "100");
  const bars = markElements(chart, "bar");
  assert.equal(bars.length, 3);
  const full = Math.max(...bars.map((b) => num(b, "width")));
  const chile = bars.filter((_, i) => markTitles(chart, "bar")[i].startsWith("Chile"));
  assert.ok(
    Math.abs(chile.reduce((s, b) => s + num(b, "width"), 0) - full) < 0.5,
    "Chile's bars fill the row",
  );
});

Deno.test("monthDeviceChart() draws a line per device over time with month ticks", async (t) => {
  const rows = ["2024-01", "2024-02", "2024-03"].flatMap((month, i) => [
    { month, device_type: "Mobile", sessions: 10 + i },
    { month, device_type: "Desktop", sessions: 5 },
  ]);
  const chart = monthDeviceChart(rows, { document });
  assert.equal(markElements(chart, "line").length, 2);
  assert.equal(markElements(chart, "dot").length, 6);
  assert.deepEqual(legendNames(chart), ["Mobile", "Desktop"]);
  assert.deepEqual(labelTexts(chart, "x-axis tick label"), ["Jan 2024", "Feb 2024", "Mar 2024"]);
  assert.match(labelTexts(chart, "y-axis label")[0], /Sessions per month/);

  await t.step("two years of months get fewer ticks than months", () => {
    const long = Array.from({ length: 24 }, (_, i) => ({
      month: `${2023 + Math.floor(i / 12)}-${String(i % 12 + 1).padStart(2, "0")}`,
      device_type: "Mobile",
      sessions: i,
    }));
    const ticks = labelTexts(monthDeviceChart(long, { document, width: 600 }), "x-axis tick label");
    assert.ok(ticks.length <= 8 && ticks.length >= 4, `${ticks.length} ticks`);
  });
  await t.step("monthStart() rejects other formats", () => {
    assert.equal(monthStart("2024-03").toISOString(), "2024-03-01T00:00:00.000Z");
    assert.throws(() => monthStart("2024-3"), RangeError);
  });
});

Deno.test("deviceCompletionChart() sorts by completion, skips unknowns, labels percentages on a 0-100 axis", () => {
  const chart = deviceCompletionChart(USAGE, { document });
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["Smart TV", "Mobile"]);
  assert.deepEqual(labelTexts(chart, "text"), ["82.0 % (500 sessions)", "70.5 % (300 sessions)"]);
  assert.equal(labelTexts(chart, "x-axis tick label").at(-1), "100");
  assert.match(labelTexts(chart, "x-axis label")[0], /Average completion \(%\)/);
});

Deno.test("deviceQualityChart() splits each device by quality, unknown quality named, legend best first", () => {
  const chart = deviceQualityChart([
    { device_type: "Mobile", quality_level: "SD", sessions: 3 },
    { device_type: "Mobile", quality_level: "4K", sessions: 1 },
    { device_type: "Mobile", quality_level: null, sessions: 1 },
    { device_type: "Smart TV", quality_level: "4K", sessions: 10 },
  ], { document });
  assert.deepEqual(legendNames(chart), ["4K", "SD", "Unknown"]);
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["Smart TV (10)", "Mobile (5)"]);
  assert.ok(markTitles(chart, "bar").includes("Mobile, SD: 60.0 % (3 sessions)"));
});

Deno.test("favoriteDeviceChart() counts users per favourite device, users without sessions named", () => {
  const chart = favoriteDeviceChart([
    { favorite_device: "Mobile", users: 30 },
    { favorite_device: null, users: 10 },
    { favorite_device: "Smart TV", users: 60 },
  ], { document });
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["Smart TV", "Mobile", "No sessions"]);
  assert.deepEqual(labelTexts(chart, "text"), ["60 (60.0 %)", "30 (30.0 %)", "10 (10.0 %)"]);
  assert.equal(labelTexts(chart, "x-axis label")[0], "Users →");
});

Deno.test("chart functions need a DOM document", () => {
  assert.throws(() => deviceShareChart(USAGE, {} as never), TypeError);
  assert.throws(() => deviceShareChart(USAGE, { document, width: 10 }), RangeError);
});
