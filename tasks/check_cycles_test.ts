import assert from "node:assert/strict";
import { join } from "node:path";
import { findCycles, formatCycle, listModules, readModuleGraph } from "./check_cycles.ts";

Deno.test("findCycles() finds none in a graph without a cycle", () => {
  const graph = new Map([
    ["a.ts", ["b.ts", "c.ts"]],
    ["b.ts", ["c.ts"]],
    ["c.ts", []],
    ["d.ts", ["a.ts"]],
  ]);
  assert.deepEqual(findCycles(graph), []);
});

Deno.test("findCycles() names a two-module cycle once", () => {
  const graph = new Map([
    ["schema.ts", ["content_tables.ts", "warehouse.ts"]],
    ["content_tables.ts", ["schema.ts"]],
    ["warehouse.ts", []],
  ]);
  const cycles = findCycles(graph);
  assert.deepEqual(cycles, [{ path: ["content_tables.ts", "schema.ts", "content_tables.ts"], others: [] }]);
  assert.equal(formatCycle(cycles[0]), "content_tables.ts -> schema.ts -> content_tables.ts");
});

Deno.test("findCycles() reports a self-import and separate cycles separately", () => {
  const graph = new Map([
    ["a.ts", ["a.ts"]],
    ["b.ts", ["c.ts"]],
    ["c.ts", ["d.ts"]],
    ["d.ts", ["b.ts"]],
  ]);
  assert.deepEqual(findCycles(graph), [
    { path: ["a.ts", "a.ts"], others: [] },
    { path: ["b.ts", "c.ts", "d.ts", "b.ts"], others: [] },
  ]);
});

Deno.test("findCycles() gives the shortest path and lists the rest of a tangled group", () => {
  // a -> b -> a and a -> c -> d -> a: one strongly connected component of four modules.
  const graph = new Map([
    ["a.ts", ["c.ts", "b.ts"]],
    ["b.ts", ["a.ts"]],
    ["c.ts", ["d.ts"]],
    ["d.ts", ["a.ts"]],
  ]);
  const cycles = findCycles(graph);
  assert.deepEqual(cycles, [{ path: ["a.ts", "b.ts", "a.ts"], others: ["c.ts", "d.ts"] }]);
  assert.equal(formatCycle(cycles[0]), "a.ts -> b.ts -> a.ts (same cycle group: c.ts, d.ts)");
});

Deno.test("readModuleGraph() follows import type and export from, not dynamic import()", async () => {
  const root = await Deno.makeTempDir({ prefix: "check_cycles_test_" });
  try {
    await Deno.mkdir(join(root, "lib", "sub"), { recursive: true });
    await Deno.writeTextFile(join(root, "deno.json"), "{}\n");
    const files: Record<string, string> = {
      "lib/a.ts": 'import type { B } from "./sub/b.ts";\nexport const a: B = 1;\n',
      "lib/sub/b.ts": 'export * from "../a.ts";\nexport type B = number;\n',
      "lib/c.ts": 'export const c = () => import("./d.ts");\n',
      "lib/d.ts": 'import { c } from "./c.ts";\nexport const d = c;\n',
      "lib/notes.md": 'import "./a.ts";\n',
    };
    for (const [path, text] of Object.entries(files)) await Deno.writeTextFile(join(root, path), text);
    const modules = await listModules(root, ["lib", "missing"]);
    assert.deepEqual(modules, ["lib/a.ts", "lib/c.ts", "lib/d.ts", "lib/sub/b.ts"].map((p) => join(root, p)));
    const graph = await readModuleGraph(root, modules);
    assert.deepEqual(
      Object.fromEntries(graph),
      {
        "lib/a.ts": ["lib/sub/b.ts"],
        "lib/sub/b.ts": ["lib/a.ts"],
        "lib/c.ts": [],
        "lib/d.ts": ["lib/c.ts"],
      },
    );
    assert.deepEqual(findCycles(graph).map(formatCycle), ["lib/a.ts -> lib/sub/b.ts -> lib/a.ts"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
