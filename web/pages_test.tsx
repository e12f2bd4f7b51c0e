/// <reference lib="dom" />
import assert from "node:assert/strict";
// @ts-types="@types/react-dom/server"
import { renderToStaticMarkup } from "react-dom/server";
import { overallPercent } from "./app.tsx";
import { DagGraph } from "./dag_graph.tsx";
import { ErDiagram, type ErTable } from "./er_diagram.tsx";
import { Gantt } from "./gantt.tsx";
import { NodeTable } from "./node_table.tsx";
import { normalizeDag } from "./normalize_dag.ts";
import { href, parseRoute } from "./router.ts";

const dag = normalizeDag({
  dag: {
    status: "running",
    nodes: [
      { id: "a", name: "A", status: "success", branch: "relational", attempts: 1 },
      {
        id: "b",
        name: "B",
        status: "running",
        branch: "relational",
        attempts: 3,
        rowsRead: 5,
        totalRows: 20,
      },
      { id: "c", name: "C", status: "running", branch: "document", attempts: 1, rowsRead: 1, totalRows: 2 },
      { id: "d", name: "D", status: "pending", branch: "document", attempts: 0 },
    ],
  },
})!;

Deno.test("routes: hashes read back as the page, path and query they were made of", () => {
  const hash = href("rejects", ["run 1/2"], { file: "users.csv", reason: "", page: 2 });
  assert.equal(hash, "#/rejects/run%201%2F2?file=users.csv&page=2");
  const route = parseRoute(hash);
  assert.equal(route.page, "rejects");
  assert.deepEqual(route.rest, ["run 1/2"]);
  assert.equal(route.query.get("file"), "users.csv");
  assert.equal(route.query.get("reason"), null);
  assert.equal(parseRoute("#token=abc").page, "pipeline", "the token hash opens the Pipeline page");
  assert.equal(parseRoute("#/nope").page, "pipeline");
  assert.equal(parseRoute("").page, "pipeline");
});

Deno.test("overallPercent() counts finished nodes whole and running ones by their rows", () => {
  // a: 1, b: 5/20, c: 1/2, d: 0 -> 1.75 of 4.
  assert.equal(overallPercent(dag.nodes), 43.8);
  assert.equal(overallPercent([]), 0);
});

Deno.test("a retried node says so in the node table and the DAG", () => {
  const table = renderToStaticMarkup(<NodeTable nodes={dag.nodes} />);
  assert.match(table, /data-retries="2"[^>]*>2 retries</);
  assert.equal((table.match(/data-retries/g) ?? []).length, 1, "only the retried node");
  const graph = renderToStaticMarkup(<DagGraph nodes={dag.nodes} />);
  assert.match(graph, /25% · 5 rows · try 3/);
});

Deno.test("the timeline draws each node of both branches from its start to its end", () => {
  const node = (nodeId: string, start: string, end: string | null, status = "success") => ({
    runId: "r",
    nodeId,
    status: status as "success",
    startedAt: start,
    finishedAt: end,
    durationMs: null,
    attempts: 1,
    rowsRead: 0,
    rowsWritten: 0,
    rowsRejected: 0,
    error: null,
    details: null,
  });
  const svg = renderToStaticMarkup(
    <Gantt
      run={{
        runId: "r",
        status: "success",
        startedAt: "2026-01-01 00:00:00.000",
        finishedAt: "2026-01-01 00:00:10.000",
        options: null,
        source: "cli",
        host: "lab1",
        pid: 4242,
        message: null,
        durationMs: 10_000,
        nodes: [
          node("a", "2026-01-01 00:00:00.000", "2026-01-01 00:00:05.000"),
          node("c", "2026-01-01 00:00:05.000", "2026-01-01 00:00:10.000"),
        ],
        rejectsByReason: [],
        checks: [],
      }}
      nodes={dag.nodes}
    />,
  );
  const bar = (id: string) => {
    const match = new RegExp(`data-gantt-node="${id}"[^]*?<rect[^>]* x="([\\d.]+)"[^>]* width="([\\d.]+)"`)
      .exec(svg);
    assert.ok(match, `a bar for ${id}`);
    return { x: Number(match[1]), width: Number(match[2]) };
  };
  const a = bar("a");
  const c = bar("c");
  assert.ok(Math.abs(a.width - c.width) < 0.01, "5 s each");
  assert.ok(Math.abs(a.x + a.width - c.x) < 0.01, "c starts where a ends");
  assert.match(svg, />Relational<.*>Documents</s);
  assert.doesNotMatch(svg, /data-gantt-node="b"/, "a node that did not run has no row");
});

Deno.test("the ER diagram draws a line per relationship between the tables it shows", () => {
  const table = (name: string, columns: string[], fks: [string, string, string][] = []): ErTable => ({
    name,
    rowCount: 1,
    columns: columns.map((c, i) => ({ name: c, type: "text", key: i === 0 ? "PRI" : "" })),
    foreignKeys: fks.map(([column, refTable, refColumn]) => ({
      constraintName: `fk_${name}_${column}`,
      columnName: column,
      referencedTable: refTable,
      referencedColumn: refColumn,
    })),
  });
  const tables = [
    table("users", ["user_id"]),
    table("viewing_sessions", ["session_id", "user_id"], [["user_id", "users", "user_id"], [
      "x",
      "nowhere",
      "y",
    ]]),
  ];
  for (const narrow of [false, true]) {
    const svg = renderToStaticMarkup(<ErDiagram tables={tables} narrow={narrow} />);
    assert.equal((svg.match(/data-er-link=/g) ?? []).length, 1, "no line to a table not drawn");
    assert.match(svg, /data-er-link="viewing_sessions.user_id-&gt;users.user_id"/);
    assert.match(svg, /data-er-table="users"/);
  }
});
