import assert from "node:assert/strict";
import { headlessDocument } from "../charts/mod.ts";
import { runWorkbench } from "../pipelines/mod.ts";
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
  });
});

Deno.test("reportHtml() without a run says how to make one", () => {
  const page = reportHtml({ generatedAt: new Date(0), stores: "sqlite:x", nodes: [], charts: [] });
  assert.match(page, /No run recorded yet: run <code>deno task etl<\/code> first/);
});
