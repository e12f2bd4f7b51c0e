import assert from "node:assert/strict";
import { buildGraph, type DagNode, type NodeStatus } from "../dag/mod.ts";
import { nodesToCatchUp } from "./nodes_to_catch_up.ts";

const node = (id: string, dependencies: string[]): DagNode => ({
  id,
  name: id,
  dependencies,
  run: () => Promise.resolve({ rowsRead: 0, rowsWritten: 0, rowsRejected: 0 }),
});
// a -> b -> c, a -> d, (c, d) -> e
const graph = buildGraph([
  node("a", []),
  node("b", ["a"]),
  node("c", ["b"]),
  node("d", ["a"]),
  node("e", ["c", "d"]),
]);
const statuses = (s: Record<string, NodeStatus>) => new Map(Object.entries(s));

Deno.test("nodesToCatchUp() lists what must run before targets can be shown", async (t) => {
  await t.step("nothing ran yet: targets and all their ancestors", () => {
    assert.deepEqual(nodesToCatchUp(graph, new Map(), ["c"]), ["a", "b", "c"]);
    assert.deepEqual(nodesToCatchUp(graph, new Map(), ["e"]), ["a", "b", "c", "d", "e"]);
  });
  await t.step("a failed ancestor is rerun with what depends on it, not unrelated branches", () => {
    const latest = statuses({ a: "success", b: "failed", c: "skipped", d: "success", e: "skipped" });
    assert.deepEqual(nodesToCatchUp(graph, latest, ["e"]), ["b", "c", "e"]);
    assert.deepEqual(nodesToCatchUp(graph, latest, ["d"]), []);
  });
  await t.step("everything succeeded: nothing to do", () => {
    const latest = statuses({ a: "success", b: "success", c: "success", d: "success", e: "success" });
    assert.deepEqual(nodesToCatchUp(graph, latest, ["e"]), []);
  });
  await t.step("unknown targets are a TypeError", () => {
    assert.throws(() => nodesToCatchUp(graph, new Map(), ["zz"]), TypeError);
  });
});
