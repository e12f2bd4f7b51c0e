import assert from "node:assert/strict";
import { headlessDocument } from "./headless_document.ts";
import { nodeTimingsChart } from "./node_timings_chart.ts";
import { rejectReasonsChart } from "./reject_reasons_chart.ts";
import { labelTexts, legendNames, markElements, num } from "./_plot_query.ts";

const document = headlessDocument();

Deno.test("nodeTimingsChart() keeps the DAG order and colours by status", () => {
  const chart = nodeTimingsChart([
    { nodeId: "validate_files", status: "success", durationMs: 40 },
    { nodeId: "create_schema", status: "failed", durationMs: 2500 },
    { nodeId: "load_dimensions", status: "skipped", durationMs: null },
  ], { document });
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), [
    "validate_files",
    "create_schema",
    "load_dimensions",
  ]);
  assert.deepEqual(legendNames(chart), ["success", "failed", "skipped"]);
  assert.deepEqual(labelTexts(chart, "text"), ["40 ms", "2.50 s", "0 ms"]);
  assert.equal(labelTexts(chart, "x-axis label")[0], "Duration (s) →");
});

Deno.test("rejectReasonsChart() sorts reasons by rows and stacks files", () => {
  const chart = rejectReasonsChart([
    { file: "users.csv", reason: "malformed", rows: 2 },
    { file: "viewing_sessions.csv", reason: "malformed", rows: 20 },
    { file: "viewing_sessions.csv", reason: "unknown_user", rows: 40 },
  ], { document });
  assert.deepEqual(labelTexts(chart, "y-axis tick label"), ["unknown_user", "malformed"]);
  assert.deepEqual(labelTexts(chart, "text"), ["40", "22"]);
  assert.deepEqual(legendNames(chart), ["users.csv", "viewing_sessions.csv"]);
  const widths = markElements(chart, "bar").map((b) => num(b, "width"));
  assert.equal(widths.length, 3);
  assert.ok(Math.abs(widths[1] / widths[0] - 10) < 0.01, "20 session rows vs 2 user rows");
});

Deno.test("rejectReasonsChart() says so when nothing was rejected", () => {
  const chart = rejectReasonsChart([], { document });
  assert.ok(chart.querySelector("svg"), "still an SVG chart");
  assert.deepEqual(labelTexts(chart, "text"), ["No row was rejected: every input row was loaded"]);
  assert.deepEqual(markElements(chart, "bar"), []);
});
