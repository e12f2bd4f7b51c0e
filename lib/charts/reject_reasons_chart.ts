import * as Plot from "@observablehq/plot";
import { chartDefaults, type ChartOptions, marginFor } from "./chart_options.ts";
import { sortedBySum } from "./country_device_chart.ts";

/** Rejected rows of a file for one reason. */
export interface RejectReasonRow {
  file: string;
  reason: string;
  rows: number;
}

const FILE_COLOR = {
  domain: ["users.csv", "viewing_sessions.csv", "content.json"],
  range: ["#4e79a7", "#f28e2c", "#59a14f"],
};

/** Rejected rows per reason (most first), stacked by input file. */
export function rejectReasonsChart(rows: readonly RejectReasonRow[], options: ChartOptions): Element {
  const { document, width } = chartDefaults(options);
  const data = rows.map((r) => ({ file: r.file, reason: r.reason, rows: Number(r.rows) }));
  if (data.length === 0) {
    // A clean run is worth saying so, in the same place and shape as the chart it replaces.
    return Plot.plot({
      document,
      width,
      height: 70,
      title: options.title ?? "Rejected rows by reason",
      caption: options.caption ?? "Rows rejected by the data contract (etl_rejects).",
      x: { axis: null, domain: [0, 1] },
      y: { axis: null, domain: [0, 1] },
      marks: [
        Plot.frame({ stroke: "#ccc" }),
        Plot.text(["No row was rejected: every input row was loaded"], {
          frameAnchor: "middle",
          fontSize: 13,
        }),
      ],
    });
  }
  const reasons = sortedBySum(data, (d) => d.reason, (d) => d.rows);
  const files = [
    ...new Set([
      ...FILE_COLOR.domain.filter((f) => data.some((d) => d.file === f)),
      ...data.map((d) => d.file),
    ]),
  ];
  const totals = reasons.map((reason) => ({
    reason,
    rows: data.filter((d) => d.reason === reason).reduce((s, d) => s + d.rows, 0),
  }));
  return Plot.plot({
    document,
    width,
    height: 60 + reasons.length * 26,
    title: options.title ?? "Rejected rows by reason",
    caption: options.caption ??
      "Rows rejected by the data contract, per reason and input file (etl_rejects).",
    marginLeft: marginFor(reasons),
    marginRight: 50,
    x: { label: "Rejected rows", grid: true },
    y: { label: null, domain: reasons },
    color: {
      label: "File",
      domain: files,
      range: files.map((f, i) =>
        FILE_COLOR.range[FILE_COLOR.domain.indexOf(f)] ?? ["#af7aa1", "#9c755f"][i % 2]
      ),
      legend: true,
    },
    marks: [
      Plot.barX(data, { x: "rows", y: "reason", fill: "file", order: files }),
      Plot.text(totals, { x: "rows", y: "reason", text: (d) => String(d.rows), textAnchor: "start", dx: 4 }),
      Plot.ruleX([0]),
    ],
  });
}
