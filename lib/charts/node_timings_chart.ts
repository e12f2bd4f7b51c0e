import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, marginFor } from "./chart_options.ts";

/** A node run: its id, status and duration. */
export interface NodeTimingRow {
  nodeId: string;
  status: string;
  durationMs: number | null;
  rowsRead?: number;
}

const STATUS_COLOR = {
  domain: ["success", "failed", "skipped", "running", "pending"],
  range: ["#59a14f", "#e15759", "#bab0ac", "#4e79a7", "#d9d9d9"],
};

/** How long each node of a run took, in the order given (the DAG's), coloured by status. */
export function nodeTimingsChart(rows: readonly NodeTimingRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows.map((r) => ({
    node: r.nodeId,
    status: r.status,
    seconds: (r.durationMs ?? 0) / 1000,
    rowsRead: r.rowsRead ?? 0,
  }));
  const nodes = data.map((d) => d.node);
  const present = new Set(data.map((d) => d.status));
  const statuses = STATUS_COLOR.domain.filter((s) => present.has(s));
  return Plot.plot({
    document,
    width,
    height: 60 + data.length * 26,
    title: options.title ?? "Time per node",
    caption: options.caption ?? "Wall-clock duration of each node run, in the DAG's order (etl_node_runs).",
    marginLeft: marginFor(nodes),
    marginRight: 70,
    x: { label: "Duration (s)", grid: true },
    y: { label: null, domain: nodes },
    color: {
      label: "Status",
      domain: statuses,
      range: statuses.map((s) => STATUS_COLOR.range[STATUS_COLOR.domain.indexOf(s)]),
      legend: true,
    },
    marks: [
      Plot.barX(data, { x: "seconds", y: "node", fill: "status" }),
      Plot.text(data, {
        x: "seconds",
        y: "node",
        text: (d) => d.seconds < 1 ? `${Math.round(d.seconds * 1000)} ms` : `${d.seconds.toFixed(2)} s`,
        textAnchor: "start",
        dx: 4,
      }),
      Plot.ruleX([0]),
    ],
  });
}
