/**
 * Fails on an import cycle between the repository's modules (a gate of `deno task gates`).
 *
 *   deno run -A tasks/check_cycles.ts
 *
 * Reads the module graph of every `.ts`/`.tsx` file under `lib/`, `tasks/`, `web/` and `tests/` from
 * `deno info --json` (Deno's own parser: `import`, `import type`, `export ... from`; dynamic `import()` does
 * not count, it loads later), then prints each cycle as `a.ts -> b.ts -> a.ts` and exits with code 1.
 */
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Module -> the modules it imports statically. */
export type ModuleGraph = ReadonlyMap<string, readonly string[]>;

/** The folders whose modules are checked, relative to the repository root. */
export const CHECKED_FOLDERS: readonly string[] = ["lib", "tasks", "web", "tests"];

/**
 * Finds the import cycles of a graph: one per strongly connected component of more than one module, and one
 * per module that imports itself. Each cycle is a path that starts and ends at the same module, the shortest
 * through the component's first module (in sort order); modules of the component the path misses are in
 * `others`. Sorted, so the output is the same on every run.
 *
 * @example
 * ```ts
 * import { findCycles } from "./check_cycles.ts";
 *
 * findCycles(new Map([["a.ts", ["b.ts"]], ["b.ts", ["a.ts"]], ["c.ts", ["a.ts"]]]));
 * // [{ path: ["a.ts", "b.ts", "a.ts"], others: [] }]
 * ```
 */
export function findCycles(graph: ModuleGraph): { path: string[]; others: string[] }[] {
  const cycles: { path: string[]; others: string[] }[] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    const members = new Set(component);
    const [first] = component;
    const selfImport = graph.get(first)?.includes(first) ?? false;
    if (component.length === 1 && !selfImport) continue;
    const path = shortestCycle(graph, first, members);
    const onPath = new Set(path);
    cycles.push({ path, others: component.filter((module) => !onPath.has(module)) });
  }
  return cycles.sort((a, b) => a.path[0].localeCompare(b.path[0]));
}

/** Tarjan's algorithm, iterative (no recursion limit); each component sorted. */
function stronglyConnectedComponents(graph: ModuleGraph): string[][] {
  const nodes = new Set<string>(graph.keys());
  for (const targets of graph.values()) for (const target of targets) nodes.add(target);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  for (const root of [...nodes].sort()) {
    if (index.has(root)) continue;
    const work: { node: string; edges: string[]; at: number }[] = [];
    const visit = (node: string) => {
      index.set(node, next);
      low.set(node, next);
      next++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: [...(graph.get(node) ?? [])].sort(), at: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.at < frame.edges.length) {
        const target = frame.edges[frame.at++];
        if (!index.has(target)) visit(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components;
}

/** Breadth-first from `start` inside `members` back to `start`: the path, first module repeated at the end. */
function shortestCycle(graph: ModuleGraph, start: string, members: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const target of [...(graph.get(node) ?? [])].sort()) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) path.push(at);
        path.push(start);
        return path.slice(0, 1).concat(path.slice(1, -1).reverse(), [start]);
      }
      if (cameFrom.has(target)) continue;
      cameFrom.set(target, node);
      queue.push(target);
    }
  }
  throw new RangeError(`No cycle through "${start}" in its component (the graph changed while searching)`);
}

/** Formats a cycle for the terminal: `a.ts -> b.ts -> a.ts`, plus the component's other modules. */
export function formatCycle(cycle: { path: string[]; others: string[] }): string {
  const line = cycle.path.join(" -> ");
  return cycle.others.length ? `${line} (same cycle group: ${cycle.others.join(", ")})` : line;
}

/** Every `.ts`/`.tsx` file under the folders, as absolute paths, sorted. */
export async function listModules(root: string, folders: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && /\.tsx?$/.test(entry.name)) found.push(path);
    }
  };
  for (const folder of folders) {
    const dir = join(root, folder);
    try {
      await walk(dir);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return found.sort();
}

/**
 * The static import graph of `modules` (absolute paths) as `deno info --json` resolves it with the root's
 * `deno.json`: modules are paths relative to `root`, and only edges between `modules` are kept.
 */
export async function readModuleGraph(
  root: string,
  modules: readonly string[],
): Promise<Map<string, string[]>> {
  const tempDir = await Deno.makeTempDir({ prefix: "check_cycles_" });
  try {
    const entry = join(tempDir, "all_modules.ts");
    await Deno.writeTextFile(entry, modules.map((m) => `import "${pathToFileURL(m).href}";\n`).join(""));
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", join(root, "deno.json"), entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(
        `Cannot read the module graph: deno info failed\n${new TextDecoder().decode(output.stderr)}`,
      );
    }
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as DenoInfo;
    const wanted = new Set(modules.map((m) => resolve(m)));
    const graph = new Map<string, string[]>();
    for (const module of info.modules) {
      if (!module.specifier.startsWith("file:")) continue;
      const from = fileURLToPath(module.specifier);
      if (!wanted.has(from)) continue;
      const targets = new Set<string>();
      for (const dependency of module.dependencies ?? []) {
        if (dependency.isDynamic) continue;
        for (const resolved of [dependency.code, dependency.type]) {
          if (!resolved?.specifier?.startsWith("file:")) continue;
          const to = fileURLToPath(resolved.specifier);
          if (wanted.has(to)) targets.add(relative(root, to));
        }
      }
      graph.set(relative(root, from), [...targets].sort());
    }
    return graph;
  } finally {
    await Deno.remove(tempDir, { recursive: true });
  }
}

/** The part of `deno info --json` read here. */
interface DenoInfo {
  modules: {
    specifier: string;
    dependencies?: {
      isDynamic?: boolean;
      code?: { specifier?: string };
      type?: { specifier?: string };
    }[];
  }[];
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const modules = await listModules(root, CHECKED_FOLDERS);
  const cycles = findCycles(await readModuleGraph(root, modules));
  if (cycles.length === 0) {
    console.log(`No import cycles among ${modules.length} modules in ${CHECKED_FOLDERS.join("/, ")}/`);
  } else {
    console.error(`Found ${cycles.length} import cycle${cycles.length === 1 ? "" : "s"}:`);
    for (const cycle of cycles) console.error(`  ${formatCycle(cycle)}`);
    console.error("Break each by moving what both sides share into a module that imports neither.");
    Deno.exit(1);
  }
}
