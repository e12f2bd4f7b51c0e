import assert from "node:assert/strict";
import { headlessDocument } from "../charts/mod.ts";
import { openWorkbench, runWorkbench } from "../pipelines/mod.ts";
import { readReportContent, reportHtml } from "./build_report.ts";
import { withSmallWorkbench } from "./_fixture_for_tests.ts";
import { readContentStats, readDeviceStats, readGeographyStats } from "./read_stats.ts";

Deno.test("reportHtml() is one self-contained page: the last run's summary and every chart inline", async () => {
  await withSmallWorkbench(async (wb, dataDir) => {
    const run = await runWorkbench(wb, { dataDir, missingWatchDateLimit: 1 });
    assert.equal(run.status, "success");

    const device = await readDeviceStats(wb.warehouse);
    assert.ok(device.usage.length > 0 && typeof device.usage[0].sessions === "number");
    const sessions = device.quality.reduce((s, r) => s + r.sessions, 0);
    const [{ n }] = await wb.warehouse.query<{ n: number }>("SELECT COUNT(*) AS n FROM viewing_sessions");
    assert.equal(sessions, Number(n), "quality by device covers every session");
    const users = device.favorites.reduce((s, r) => s + r.users, 0);
    const [{ u }] = await wb.warehouse.query<{ u: number }>("SELECT COUNT(*) AS u FROM user_metrics");
    assert.equal(users, Number(u));
    const geography = await readGeographyStats(wb.warehouse);
    assert.ok(geography.genres.length > 0 && geography.topContent.length > 0);
    const content = await readContentStats(wb.warehouse, wb.docstore);
    assert.equal(content.documents.length, await wb.docstore.collection("content").count());
    assert.ok(content.documents.some((d) => d.release_year !== null && d.production_budget !== null));

    const page = reportHtml(await readReportContent(wb, headlessDocument(), new Date(Date.UTC(2024, 5, 1))));
    assert.match(page, /^<!DOCTYPE html>/);
    assert.match(page, new RegExp(`Run <code>${run.runId}</code>: <b class="success">success</b>`));
    for (const node of run.nodes) assert.ok(page.includes(`<code>${node.nodeId}</code>`), node.nodeId);
    assert.equal((page.match(/<div class="chart">/g) ?? []).length, 15);
    const charts = page.split('<div class="chart">').slice(1);
    assert.ok(charts.every((c) => /<svg[^>]*viewBox/.test(c)), "every chart has an inline SVG");
    assert.doesNotMatch(page, /<script|<link|src="http|href="http/, "nothing to fetch");
    assert.match(page, /Generated 2024-06-01 00:00:00 UTC/);

    // A later partial run is the last run; each node still shows its own latest run, rejects included.
    const partial = await runWorkbench(wb, { dataDir, only: ["generate_stats"], missingWatchDateLimit: 1 });
    const later = await readReportContent(wb, headlessDocument(), new Date(0));
    assert.equal(later.run?.runId, partial.runId);
    assert.deepEqual(later.nodes.map((n) => n.nodeId), wb.graph.order, "every node, in DAG order");
    const byId = new Map(later.nodes.map((n) => [n.nodeId, n.runId]));
    assert.equal(byId.get("generate_stats"), partial.runId);
    assert.equal(byId.get("process_sessions"), run.runId);
    const rejectsChart = later.charts.find((c) =>
      c.element.querySelector("h2")?.textContent === "Rejected rows by reason"
    );
    assert.ok(rejectsChart, "the first run's rejects are still charted");
    const rejected = await wb.runStore.countRejects(run.runId);
    const printed = [...rejectsChart.element.querySelectorAll('g[aria-label="text"] text')]
      .reduce((sum, t) => sum + Number(t.textContent), 0);
    assert.equal(printed, rejected, "the chart's totals add up to the run's rejects");
    assert.match(reportHtml(later), /Each node's latest run/);
  });
});

Deno.test("reportHtml() without a run says how to make one", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "report_empty_" });
  try {
    await using wb = await openWorkbench({ stateDir });
    const content = await readReportContent(wb, headlessDocument(), new Date(0));
    assert.equal(content.run, undefined);
    assert.deepEqual(content.charts, []);
    assert.match(reportHtml(content), /No run recorded yet: run <code>deno task etl<\/code> first/);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
