import assert from "node:assert/strict";
import { buildGraph } from "./build_graph.ts";
import { runDag } from "./run_dag.ts";
import { selectNodes } from "./select_nodes.ts";
import type { DagEvent, DagNode, NodeOutcome } from "./types.ts";

interface Log {
  events: string[];
  active: number;
  maxActive: number;
}

/** A node that records its start and end and waits for `ms` of real work (a timer stands in for I/O). */
function node(
  id: string,
  dependencies: string[],
  log: Log,
  behaviour: (attempt: number) => Promise<NodeOutcome | void> = () => Promise.resolve(),
): DagNode<Log> {
  return {
    id,
    name: id,
    dependencies,
    async run({ attempt }) {
      log.events.push(`start ${id}`);
      log.active++;
      log.maxActive = Math.max(log.maxActive, log.active);
      try {
        await new Promise((r) => setTimeout(r, 5));
        const outcome = await behaviour(attempt);
        return outcome ?? { rowsRead: 1, rowsWritten: 1, rowsRejected: 0 };
      } finally {
        log.active--;
        log.events.push(`end ${id}`);
      }
    },
  };
}

const newLog = (): Log => ({ events: [], active: 0, maxActive: 0 });
const noSleep = () => Promise.resolve();

Deno.test("buildGraph() rejects unknown dependencies, duplicates and cycles, naming them", async (t) => {
  const log = newLog();
  await t.step("unknown dependency", () => {
    assert.throws(() => buildGraph([node("a", ["x"], log)]), {
      name: "TypeError",
      message: 'Cannot build the DAG: node "a" depends on unknown node "x"',
    });
  });
  await t.step("duplicate id", () => {
    assert.throws(() => buildGraph([node("a", [], log), node("a", [], log)]), /node "a" is declared twice/);
  });
  await t.step("cycle", () => {
    assert.throws(
      () =>
        buildGraph([
          node("a", [], log),
          node("b", ["a", "d"], log),
          node("c", ["b"], log),
          node("d", ["c"], log),
        ]),
      { message: 'Cannot build the DAG: it has a cycle "b" -> "d" -> "c" -> "b"' },
    );
  });
  await t.step("topological order keeps declaration order where free", () => {
    const graph = buildGraph([node("c", ["a"], log), node("a", [], log), node("b", [], log)]);
    assert.deepEqual(graph.order, ["a", "c", "b"]);
  });
});

Deno.test("runDag() runs nodes after their dependencies, in parallel up to the concurrency", async (t) => {
  for (const concurrency of [1, 2, 3]) {
    await t.step(`concurrency ${concurrency}`, async () => {
      const log = newLog();
      const graph = buildGraph([
        node("root", [], log),
        node("a", ["root"], log),
        node("b", ["root"], log),
        node("c", ["root"], log),
        node("join", ["a", "b", "c"], log),
      ]);
      const result = await runDag(graph, { services: log, concurrency });
      assert.equal(result.status, "success");
      assert.equal(log.maxActive, concurrency);
      const at = (e: string) => log.events.indexOf(e);
      for (const mid of ["a", "b", "c"]) {
        assert.ok(at(`end root`) < at(`start ${mid}`));
        assert.ok(at(`end ${mid}`) < at(`start join`));
      }
      assert.deepEqual(result.nodes.map((n) => n.status), Array(5).fill("success"));
    });
  }
});

Deno.test("runDag() skips the dependents of a failed node and lets independent branches finish", async () => {
  const log = newLog();
  const graph = buildGraph([
    node("bad", [], log, () => Promise.reject(new Error('Cannot read "users.csv": the file does not exist'))),
    node("after_bad", ["bad"], log),
    node("after_after", ["after_bad"], log),
    node("good", [], log),
    node("after_good", ["good"], log),
  ]);
  const result = await runDag(graph, { services: log });
  const status = Object.fromEntries(result.nodes.map((n) => [n.nodeId, [n.status, n.error]]));
  assert.deepEqual(status, {
    bad: ["failed", 'Cannot read "users.csv": the file does not exist'],
    after_bad: ["skipped", 'dependency "bad" failed'],
    after_after: ["skipped", 'dependency "after_bad" skipped'],
    good: ["success", null],
    after_good: ["success", null],
  });
  assert.equal(result.status, "failed");
  assert.ok(!log.events.includes("start after_bad"));
});

Deno.test("runDag() retries transient errors with backoff and jitter, and not others", async (t) => {
  const lost = () => Object.assign(new Error("Connection lost"), { code: "PROTOCOL_CONNECTION_LOST" });
  await t.step("recovers after two transient failures", async () => {
    const log = newLog();
    const delays: number[] = [];
    const graph = buildGraph([
      node("flaky", [], log, (attempt) => attempt < 3 ? Promise.reject(lost()) : Promise.resolve()),
    ]);
    const result = await runDag(graph, {
      services: log,
      retry: { retries: 3, baseDelayMs: 100, jitter: 0.5 },
      random: () => 0.5,
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    assert.equal(result.nodes[0].status, "success");
    assert.equal(result.nodes[0].attempts, 3);
    assert.deepEqual(delays, [75, 150]);
  });
  await t.step("gives up after the configured retries", async () => {
    const log = newLog();
    const graph = buildGraph([{
      ...node("down", [], log, () => Promise.reject(lost())),
      retry: { retries: 2 },
    }]);
    const result = await runDag(graph, { services: log, sleep: noSleep });
    assert.equal(result.nodes[0].status, "failed");
    assert.equal(result.nodes[0].attempts, 3);
    assert.equal(result.nodes[0].error, "Connection lost");
  });
  await t.step("does not retry a data error", async () => {
    const log = newLog();
    const graph = buildGraph([node("bug", [], log, () => Promise.reject(new RangeError("bad batch size")))]);
    const result = await runDag(graph, { services: log, sleep: noSleep });
    assert.equal(result.nodes[0].attempts, 1);
    assert.equal(result.nodes[0].status, "failed");
  });
});

Deno.test("runDag() cancels: running nodes see the signal, pending ones are skipped", async () => {
  const log = newLog();
  const controller = new AbortController();
  const slow: DagNode<Log> = {
    id: "slow",
    name: "slow",
    dependencies: [],
    run: ({ signal }) =>
      new Promise((_, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        setTimeout(() => controller.abort(new Error("stopped by the user")), 1);
      }),
  };
  const graph = buildGraph([slow, node("next", ["slow"], log)]);
  const result = await runDag(graph, { services: log, signal: controller.signal });
  assert.equal(result.status, "cancelled");
  assert.deepEqual(result.nodes.map((n) => [n.status, n.error]), [
    ["failed", "the run was cancelled"],
    ["skipped", "the run was cancelled"],
  ]);
});

Deno.test("runDag() with an already aborted signal runs nothing and reports the run cancelled", async () => {
  const log = newLog();
  const graph = buildGraph([node("a", [], log), node("b", ["a"], log)]);
  const result = await runDag(graph, { services: log, signal: AbortSignal.abort() });
  assert.equal(result.status, "cancelled");
  assert.deepEqual(log.events, []);
  assert.deepEqual(result.nodes.map((n) => [n.status, n.error]), [
    ["skipped", "the run was cancelled"],
    ["skipped", "the run was cancelled"],
  ]);
});

Deno.test("runDag() emits throttled progress and records every step", async () => {
  const events: DagEvent[] = [];
  const calls: string[] = [];
  const counting: DagNode<null> = {
    id: "count",
    name: "count",
    dependencies: [],
    run({ progress }) {
      for (let i = 1; i <= 10_000; i++) progress({ rowsRead: i });
      return Promise.resolve({
        rowsRead: 10_000,
        rowsWritten: 9_990,
        rowsRejected: 10,
        details: { note: "ok" },
      });
    },
  };
  const result = await runDag(buildGraph([counting]), {
    services: null,
    runId: "run-1",
    progressIntervalMs: 60_000,
    onEvent: (e) => events.push(e),
    recorder: {
      runStarted: (id, _at, ids) => Promise.resolve(void calls.push(`run ${id} ${ids.join()}`)),
      nodeStarted: (id, nodeId) => Promise.resolve(void calls.push(`node ${id} ${nodeId}`)),
      nodeFinished: (id, r) =>
        Promise.resolve(void calls.push(`done ${id} ${r.nodeId} ${r.status} ${r.rowsWritten}`)),
      runFinished: (r) => Promise.resolve(void calls.push(`end ${r.runId} ${r.status}`)),
    },
  });
  const progress = events.filter((e) => e.type === "node-progress");
  assert.equal(progress.length, 1, "10,000 updates within the interval give one event");
  assert.deepEqual(calls, [
    "run run-1 count",
    "node run-1 count",
    "done run-1 count success 9990",
    "end run-1 success",
  ]);
  assert.deepEqual(events.map((e) => e.type), [
    "run-started",
    "node-started",
    "node-progress",
    "node-finished",
    "run-finished",
  ]);
  assert.deepEqual(result.nodes[0].details, { note: "ok" });
  assert.equal(result.nodes[0].rowsRejected, 10);
});

Deno.test("selectNodes() resolves --only, --from and --resume", async (t) => {
  const log = newLog();
  const graph = buildGraph([
    node("a", [], log),
    node("b", ["a"], log),
    node("c", ["b"], log),
    node("x", [], log),
    node("y", ["x"], log),
  ]);
  await t.step("--from reruns the node and everything downstream", () => {
    assert.deepEqual([...selectNodes(graph, { from: "b" })!].sort(), ["b", "c"]);
  });
  await t.step("--only runs exactly those", () => {
    assert.deepEqual([...selectNodes(graph, { only: ["x", "c"] })!].sort(), ["c", "x"]);
  });
  await t.step("--resume reruns failed and skipped nodes and their dependents", () => {
    const last = new Map(
      [["a", "success"], ["b", "failed"], ["c", "skipped"], ["x", "success"], ["y", "success"]] as const,
    );
    assert.deepEqual([...selectNodes(graph, { resumeFrom: last })!].sort(), ["b", "c"]);
  });
  await t.step("no options select everything", () => {
    assert.equal(selectNodes(graph, {}), undefined);
  });
  await t.step("unknown ids are named", () => {
    assert.throws(
      () => selectNodes(graph, { from: "z" }),
      /Unknown node "z" \(known: "a", "b", "c", "x", "y"\)/,
    );
  });
  await t.step("a selected node still waits for selected nodes upstream of unselected ones", async () => {
    const runLog = newLog();
    const g = buildGraph([node("a", [], runLog), node("b", ["a"], runLog), node("c", ["b"], runLog)]);
    await runDag(g, { services: runLog, select: new Set(["a", "c"]), concurrency: 2 });
    assert.deepEqual(runLog.events, ["start a", "end a", "start c", "end c"]);
  });
  await t.step("a run of a selection treats unselected dependencies as done", async () => {
    const runLog = newLog();
    const g = buildGraph([node("a", [], runLog), node("b", ["a"], runLog), node("c", ["b"], runLog)]);
    const result = await runDag(g, { services: runLog, select: selectNodes(g, { from: "b" }) });
    assert.deepEqual(runLog.events, ["start b", "end b", "start c", "end c"]);
    assert.deepEqual(result.nodes.map((n) => n.nodeId), ["b", "c"]);
  });
});

Deno.test("runDag() retries recording, and says what could not be recorded instead of failing the run", async () => {
  const lost = () => Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  const log = newLog();
  let down = 0;
  const writes: string[] = [];
  const recorder = {
    runStarted: () => Promise.resolve(),
    nodeStarted: () => Promise.resolve(),
    // The store is down for the first two tries of "a", and for good once "b" finishes.
    nodeFinished: (_runId: string, result: { nodeId: string }) => {
      if (result.nodeId === "a" && down++ < 2) return Promise.reject(lost());
      if (result.nodeId === "b") return Promise.reject(lost());
      writes.push(result.nodeId);
      return Promise.resolve();
    },
    runFinished: () => Promise.reject(lost()),
  };
  const graph = buildGraph([node("a", [], log), node("b", ["a"], log)]);
  const result = await runDag(graph, {
    services: log,
    recorder,
    retry: { budgetMs: 1000, baseDelayMs: 100, jitter: 0 },
    sleep: noSleep,
  });
  assert.equal(result.status, "success");
  assert.deepEqual(writes, ["a"], "a was recorded once the store was back");
  assert.match(result.unrecorded ?? "", /^node "b" \(success\) could not be recorded: connect ECONNREFUSED$/);
});
