import assert from "node:assert/strict";
import type { NodeRunResult, RunResult } from "../dag/mod.ts";
import { formatSummary, ProgressView } from "./progress_view.ts";

const at = new Date("2024-01-01T00:00:00Z");
const result = (nodeId: string, extra: Partial<NodeRunResult>): NodeRunResult => ({
  nodeId,
  status: "success",
  attempts: 1,
  startedAt: at,
  finishedAt: at,
  durationMs: 2000,
  error: null,
  rowsRead: 0,
  rowsWritten: 0,
  rowsRejected: 0,
  ...extra,
});

Deno.test("ProgressView follows events: plain lines and a live block with bars", () => {
  let now = at.getTime();
  const view = new ProgressView(["load", "stats"], () => now);
  assert.equal(
    view.apply({ type: "run-started", runId: "r", nodeIds: ["load", "stats"], at }),
    "run r started: 2 nodes",
  );
  assert.equal(
    view.apply({ type: "node-started", runId: "r", nodeId: "load", attempt: 1, at }),
    "load: started",
  );
  now = at.getTime() + 1000;
  assert.equal(
    view.apply({
      type: "node-progress",
      runId: "r",
      nodeId: "load",
      metrics: { rowsRead: 500, rowsWritten: 0, rowsRejected: 3, totalRows: 1000 },
      at,
    }),
    undefined,
  );
  const block = view.render().split("\n");
  assert.match(block[0], /^▶ load {2}█{10}░{10}\s+500 rows \(3 rejected\)\s+1.00 s 500 rows\/s$/);
  assert.match(block[1], /^· stats/);
  const line = view.apply({
    type: "node-finished",
    runId: "r",
    nodeId: "stats",
    result: result("stats", { status: "failed", error: 'dependency "load" failed' }),
    at,
  });
  assert.equal(line, 'stats: FAILED: dependency "load" failed');
  assert.match(view.render().split("\n")[1], /^✘ stats .* dependency "load" failed$/);
});

Deno.test("formatSummary() prints one aligned row per node and the run's status", () => {
  const run: RunResult = {
    runId: "r1",
    status: "failed",
    startedAt: at,
    finishedAt: new Date(at.getTime() + 3500),
    nodes: [
      result("process_sessions", {
        rowsRead: 222785,
        rowsWritten: 222780,
        rowsRejected: 5,
        durationMs: 2000,
      }),
      result("generate_stats", { status: "skipped", durationMs: null, error: "dependency failed" }),
    ],
  };
  const lines = formatSummary(run).split("\n");
  assert.match(lines[0], /^node\s+status\s+read\s+written\s+rejected\s+duration\s+rows\/s$/);
  assert.match(lines[2], /^process_sessions\s+success\s+222,785\s+222,780\s+5\s+2.00 s\s+111,393$/);
  assert.match(lines[3], /^generate_stats\s+skipped\s+0\s+0\s+0$/);
  assert.equal(lines.at(-1), "run r1: failed in 3.50 s");
});

Deno.test("ProgressView.render() fits a terminal's width and height", async (t) => {
  const ids = [
    "validate_files",
    "create_schema",
    "process_sessions",
    "create_content_indexes",
    "generate_stats",
  ];
  const view = new ProgressView(ids, () => at.getTime() + 3000);
  view.apply({ type: "run-started", runId: "r", nodeIds: ids, at });
  for (const id of ids.slice(0, 2)) {
    view.apply({ type: "node-finished", runId: "r", nodeId: id, result: result(id, { rowsRead: 10 }), at });
  }
  view.apply({ type: "node-started", runId: "r", nodeId: "process_sessions", attempt: 1, at });
  view.apply({
    type: "node-progress",
    runId: "r",
    nodeId: "process_sessions",
    metrics: { rowsRead: 123456, rowsWritten: 0, rowsRejected: 4321 },
    at,
  });
  await t.step("no line is wider than columns - 1", () => {
    for (const columns of [120, 80, 60, 40, 20]) {
      const lines = view.render({ columns, rows: 24 }).split("\n");
      assert.equal(lines.length, ids.length);
      for (const line of lines) assert.ok([...line].length <= columns - 1, `${columns}: "${line}"`);
    }
  });
  await t.step("a running node without a total gets a moving block, not an empty bar", () => {
    const line = view.render({ columns: 120, rows: 24 }).split("\n")[2];
    assert.match(line, /^▶ process_sessions +░*█+░* +123,456 rows/);
  });
  await t.step("when short, finished then pending nodes collapse into one line each", () => {
    const four = view.render({ columns: 80, rows: 5 }).split("\n");
    assert.deepEqual(four.map((l) => l.slice(0, 20).trimEnd()), [
      "✔ 2 done: validate_f",
      "▶ process_sessions",
      "· create_content_ind",
      "· generate_stats",
    ]);
    const three = view.render({ columns: 80, rows: 3 }).split("\n");
    assert.equal(three.length, 2);
    assert.match(three[1], /^· 2 pending: create_content_indexes, generate_stats$/);
    assert.match(three[0], /^▶ process_sessions/);
  });
});

Deno.test("formatSummary() fits 60 columns by leaving out rows/s and abbreviating ids", () => {
  const run: RunResult = {
    runId: "r1",
    status: "success",
    startedAt: at,
    finishedAt: at,
    nodes: [result("create_content_indexes", { rowsRead: 150300, rowsWritten: 150300, durationMs: 12345 })],
  };
  const lines = formatSummary(run, { columns: 60 }).split("\n");
  for (const line of lines) assert.ok(line.length <= 59, line);
  assert.doesNotMatch(lines[0], /rows\/s/);
  assert.match(lines[2], /^creat\w+ success 150,300 150,300 +0 +12.35 s$/);
});

Deno.test("wrapText() wraps at spaces, keeps the first line's indent and indents the rest", async () => {
  const { wrapText } = await import("./fit_text.ts");
  assert.equal(
    wrapText("  process_users: Cannot accept users.csv: 1,006 of 1,007 rows rejected", 30, "    "),
    "  process_users: Cannot accept\n    users.csv: 1,006 of 1,007\n    rows rejected",
  );
  assert.equal(wrapText("short", Infinity), "short");
});
