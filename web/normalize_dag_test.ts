import assert from "node:assert/strict";
import { isNewerDag, normalizeDag } from "./normalize_dag.ts";

const bare = {
  id: "etl",
  name: "ETL",
  status: "running",
  nodes: [
    { id: "a", name: "A", status: "success", dependencies: [], rowsRead: 10, totalRows: 10 },
    { id: "b", name: "B", status: "running", dependencies: ["a"], rowsRead: 5, totalRows: 20 },
  ],
};

Deno.test("normalizeDag() accepts every response shape of the original project", async (t) => {
  const shapes: [string, unknown][] = [
    ["res.dag", { success: true, dag: bare }],
    ["res.data.dag", { data: { dag: bare } }],
    ["res.result.dag", { result: { dag: bare } }],
    ["an event-stream message", { type: "node-progress", dag: bare }],
    ["bare", bare],
  ];
  for (const [name, response] of shapes) {
    await t.step(name, () => {
      const dag = normalizeDag(response);
      assert.ok(dag);
      assert.equal(dag.id, "etl");
      assert.equal(dag.status, "running");
      assert.deepEqual(dag.nodes.map((n) => [n.id, n.status, n.percent]), [["a", "success", 100], [
        "b",
        "running",
        25,
      ]]);
      assert.equal(dag.currentNode, "b");
      assert.deepEqual(dag.stats, { totalNodes: 2, completed: 1, running: 1, failed: 0, skipped: 0 });
    });
  }
});

Deno.test("normalizeDag() returns null when there is no DAG", () => {
  for (const response of [null, undefined, 42, "x", [], {}, { success: false, error: "boom" }, { dag: {} }]) {
    assert.equal(normalizeDag(response), null, JSON.stringify(response));
  }
});

Deno.test("normalizeDag() fills missing fields and maps the original status words", () => {
  const dag = normalizeDag({
    data: {
      dag: {
        id: "streaming_etl",
        status: "failed",
        startTime: "2026-01-01T00:00:00.000Z",
        endTime: "2026-01-01T00:00:05.000Z",
        nodes: [
          {
            id: "x",
            status: "completed",
            startTime: "2026-01-01T00:00:00Z",
            endTime: "2026-01-01T00:00:02Z",
          },
          { id: "y", status: "error", error: 'Cannot open "users.csv"', recordsProcessed: "12" },
          { id: "z", status: "weird" },
        ],
      },
    },
  });
  assert.ok(dag);
  assert.equal(dag.status, "error");
  assert.equal(dag.elapsedMs, 5000);
  assert.equal(dag.name, "streaming_etl");
  const [x, y, z] = dag.nodes;
  assert.equal(x.status, "success");
  assert.equal(x.durationMs, 2000);
  assert.equal(x.name, "x");
  assert.equal(x.rowsRead, 0);
  assert.equal(x.percent, undefined);
  assert.equal(y.status, "failed");
  assert.equal(y.error, 'Cannot open "users.csv"');
  assert.equal(y.rowsRead, 12);
  assert.equal(z.status, "pending");
  assert.deepEqual(dag.stats, { totalNodes: 3, completed: 1, running: 0, failed: 1, skipped: 0 });
});

Deno.test("normalizeDag() infers the DAG status from the nodes when it is missing", () => {
  const node = (status: string) => ({ id: status, status });
  assert.equal(normalizeDag({ nodes: [node("success"), node("running")] })?.status, "running");
  assert.equal(normalizeDag({ nodes: [node("success"), node("failed")] })?.status, "error");
  assert.equal(normalizeDag({ nodes: [node("success"), node("skipped")] })?.status, "success");
  assert.equal(normalizeDag({ nodes: [node("pending")] })?.status, "idle");
});

Deno.test("isNewerDag() keeps the newest view of one server and accepts any view of a restarted one", () => {
  const view = (instance: string, revision: number) => normalizeDag({ ...bare, instance, revision })!;
  assert.equal(view("a", 7).revision, 7);
  assert.equal(isNewerDag(null, view("a", 0)), true);
  assert.equal(isNewerDag(view("a", 5), view("a", 6)), true);
  assert.equal(isNewerDag(view("a", 5), view("a", 5)), true, "the same revision again is harmless");
  assert.equal(isNewerDag(view("a", 5), view("a", 4)), false, "a late answer must not undo a newer event");
  assert.equal(isNewerDag(view("a", 50), view("b", 1)), true, "a restarted server starts again from 0");
});
