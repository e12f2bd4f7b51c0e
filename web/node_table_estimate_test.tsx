import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import { NodeTable } from "./node_table.tsx";
import { normalizeDag } from "./normalize_dag.ts";

Deno.test("the node table shows a long statement's elapsed time against its estimate", () => {
  const dag = normalizeDag({
    dag: {
      id: "etl",
      status: "running",
      nodes: [
        { id: "agg", name: "Aggregate", status: "running", durationMs: 30_000, estimatedMs: 40_000 },
        { id: "load", name: "Load", status: "running", rowsRead: 5, totalRows: 20, estimatedMs: 9_000 },
        { id: "slow", name: "Slow", status: "running", durationMs: 50_000, estimatedMs: 40_000 },
      ],
    },
  })!;
  assert.equal(dag.nodes[0].estimatedMs, 40_000);
  const html = renderToStaticMarkup(<NodeTable nodes={dag.nodes} />);
  assert.match(html, />30.00 s of ~40.00 s \(75%\)</);
  assert.match(html, /data-percent="75"/);
  // Rows beat time when the node knows its total; past the estimate it stays below 100 %.
  assert.match(html, /5 \/ 20 \(25\.0%\)/);
  assert.match(html, /\(99%\)/);
});
