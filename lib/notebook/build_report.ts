import {
  contentTypeChart,
  countryDeviceChart,
  countryGenreChart,
  countryMinutesChart,
  countryTopContentChart,
  deviceCompletionChart,
  deviceQualityChart,
  deviceShareChart,
  favoriteDeviceChart,
  genreChart,
  monthDeviceChart,
  nodeTimingsChart,
  ratingBudgetChart,
  rejectReasonsChart,
  releaseYearChart,
} from "../charts/mod.ts";
import { formatCount, formatDuration } from "../format/mod.ts";
import type { StoredNodeRun, StoredRun, Workbench } from "../pipelines/mod.ts";
import { escapeHtml } from "./_escape_html.ts";
import { NODE_FILES } from "./node_report.ts";
import { readContentStats, readDeviceStats, readGeographyStats, readRejectReasons } from "./read_stats.ts";

/** A chart of the report, ready to inline. */
export interface ReportChart {
  section: string;
  element: Element;
}

/** What the report page shows. */
export interface ReportContent {
  /** When the page was made, shown in its header. */
  generatedAt: Date;
  /** The warehouse and document store, safe to print. */
  stores: string;
  /** The newest run. */
  run?: StoredRun;
  /** Each node's latest run, in DAG order: a run may have run only part of the DAG. */
  nodes: StoredNodeRun[];
  charts: ReportChart[];
}

/** Each node's latest node run over the runs (newest first), in the DAG's order; nodes never run are left out. */
export async function latestNodeRuns(workbench: Workbench, maxRuns = 200): Promise<StoredNodeRun[]> {
  const order = workbench.graph.order;
  const latest = new Map<string, StoredNodeRun>();
  for (const run of await workbench.runStore.listRunsWithNodes(maxRuns)) {
    for (const node of run.nodes) {
      if (!latest.has(node.nodeId)) latest.set(node.nodeId, node);
    }
    if (latest.size === order.length) break;
  }
  return order.filter((id) => latest.has(id)).map((id) => latest.get(id)!);
}

/**
 * Every chart of the workbench, built with `document` from the statistics tables and, given the nodes' latest
 * runs, their timings and the rejects each load recorded.
 */
export async function reportCharts(
  workbench: Workbench,
  document: Document,
  nodes: readonly StoredNodeRun[] = [],
): Promise<ReportChart[]> {
  const wh = workbench.warehouse;
  const [device, geography, content] = await Promise.all([
    readDeviceStats(wh),
    readGeographyStats(wh),
    readContentStats(wh, workbench.docstore),
  ]);
  const o = { document };
  const charts: ReportChart[] = [];
  if (nodes.length) {
    charts.push({ section: "The runs", element: nodeTimingsChart(nodes, o) });
    // Each file's rejects from the run that last loaded it.
    const rejects = (await Promise.all(
      nodes.filter((n) => NODE_FILES[n.nodeId]).map((n) =>
        readRejectReasons(workbench.runStore, n.runId, [NODE_FILES[n.nodeId]])
      ),
    )).flat();
    charts.push({ section: "The runs", element: rejectReasonsChart(rejects, o) });
  }
  charts.push(
    { section: "Devices", element: deviceShareChart(device.usage, o) },
    { section: "Devices", element: countryDeviceChart(device.byCountry, o) },
    { section: "Devices", element: monthDeviceChart(device.byMonth, o) },
    { section: "Devices", element: deviceCompletionChart(device.usage, o) },
    { section: "Devices", element: deviceQualityChart(device.quality, o) },
    { section: "Devices", element: favoriteDeviceChart(device.favorites, o) },
    { section: "Geography", element: countryMinutesChart(geography.minutes, o) },
    { section: "Geography", element: countryGenreChart(geography.genres, o) },
    { section: "Geography", element: countryTopContentChart(geography.topContent, o) },
    { section: "Content", element: genreChart(content.genres, o) },
    { section: "Content", element: ratingBudgetChart(content.documents, o) },
    { section: "Content", element: releaseYearChart(content.documents, o) },
    { section: "Content", element: contentTypeChart(content.types, o) },
  );
  return charts;
}

/** Reads the last run and each node's latest run, and draws every chart: the content of `deno task report`. */
export async function readReportContent(
  workbench: Workbench,
  document: Document,
  generatedAt: Date,
): Promise<ReportContent> {
  const [run] = await workbench.runStore.listRuns(1);
  const nodes = run ? await latestNodeRuns(workbench) : [];
  // Without a run the statistics tables may not even exist yet: the page just says how to make one.
  const charts = run ? await reportCharts(workbench, document, nodes) : [];
  return {
    generatedAt,
    stores: `${workbench.warehouse.label}, ${workbench.docstore.label}`,
    run,
    nodes,
    charts,
  };
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px;margin:1em 0}th,td{padding:3px 8px;border-bottom:1px solid #eee}
th{text-align:left;background:#f6f6f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:2em 0}figure h2{font-size:1.15em;border:0;margin:0 0 .2em}figure h3{font-size:.95em;font-weight:normal;color:#555;margin:0}figcaption{font-size:.85em;color:#555}.chart{margin:1.5em 0}.failed,.error{color:#e15759}.abandoned{color:#b45309}.success{color:#59a14f}`;

/** One self-contained HTML page: the last run's summary and every chart as inline SVG, no script, no link. */
export function reportHtml(content: ReportContent): string {
  const { run, nodes, charts } = content;
  const summary = run
    ? `<p>Run <code>${escapeHtml(run.runId)}</code>: <b class="${escapeHtml(run.status)}">${
      escapeHtml(run.status)
    }</b>, started ${escapeHtml(run.startedAt)} UTC${
      run.finishedAt ? `, finished ${escapeHtml(run.finishedAt)} UTC` : ""
    }${run.options?.notebook ? ` by notebook ${escapeHtml(run.options.notebook)}` : ""}${
      run.message ? `: <span class="${escapeHtml(run.status)}">${escapeHtml(run.message)}</span>` : ""
    }.</p>
<h3>Each node's latest run</h3>
<table><thead><tr><th>node</th><th>status</th><th>run</th><th>read</th><th>written</th><th>rejected</th><th>duration</th></tr></thead><tbody>${
      nodes.map((n) =>
        `<tr><td><code>${escapeHtml(n.nodeId)}</code></td><td class="${escapeHtml(n.status)}">${
          escapeHtml(n.status)
        }</td><td><code title="${escapeHtml(n.runId)}">${
          escapeHtml(n.runId.slice(0, 8))
        }</code></td><td class="n">${formatCount(n.rowsRead)}</td><td class="n">${
          formatCount(n.rowsWritten)
        }</td><td class="n">${formatCount(n.rowsRejected)}</td><td class="n">${
          n.durationMs === null ? "" : formatDuration(n.durationMs)
        }</td></tr>`
      ).join("")
    }</tbody></table>`
    : "<p>No run recorded yet: run <code>deno task etl</code> first.</p>";
  const sections: string[] = [];
  let current = "";
  for (const chart of charts) {
    if (chart.section !== current) {
      current = chart.section;
      sections.push(`<h2>${escapeHtml(current)}</h2>`);
    }
    sections.push(`<div class="chart">${chart.element.outerHTML}</div>`);
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Streaming ETL workbench report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><h1>Streaming ETL workbench report</h1>
<p>Generated ${escapeHtml(content.generatedAt.toISOString().replace("T", " ").slice(0, 19))} UTC from ${
    escapeHtml(content.stores)
  }.</p>
<h2>The last run</h2>
${summary}
${sections.join("\n")}
</body></html>
`;
}
