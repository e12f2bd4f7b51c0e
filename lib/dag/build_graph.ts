import type { DagNode } from "./types.ts";

/** A validated DAG: nodes by id, in a topological order (dependencies first, otherwise declaration order). */
export interface Graph<S = unknown> {
  readonly nodes: ReadonlyMap<string, DagNode<S>>;
  readonly order: readonly string[];
  /** Ids of the nodes that depend on `id`, directly or not. */
  descendants(id: string): Set<string>;
}

/**
 * Checks the nodes and orders them: duplicate ids, unknown dependencies and cycles are errors that name them.
 *
 * @example
 * ```ts
 * import { buildGraph, type DagNode } from "./mod.ts";
 *
 * declare const extract: DagNode, transform: DagNode, load: DagNode;
 * const graph = buildGraph([extract, transform, load]);
 * ```
 */
export function buildGraph<S>(nodes: readonly DagNode<S>[]): Graph<S> {
  const byId = new Map<string, DagNode<S>>();
  for (const node of nodes) {
    if (byId.has(node.id)) throw new TypeError(`Cannot build the DAG: node "${node.id}" is declared twice`);
    byId.set(node.id, node);
  }
  for (const node of nodes) {
    for (const dependency of node.dependencies) {
      if (!byId.has(dependency)) {
        throw new TypeError(
          `Cannot build the DAG: node "${node.id}" depends on unknown node "${dependency}"`,
        );
      }
    }
  }

  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (id: string) => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new TypeError(`Cannot build the DAG: it has a cycle ${cycle.map((c) => `"${c}"`).join(" -> ")}`);
    }
    state.set(id, "visiting");
    path.push(id);
    for (const dependency of byId.get(id)!.dependencies) visit(dependency);
    path.pop();
    state.set(id, "done");
    order.push(id);
  };
  for (const node of nodes) visit(node.id);

  const dependents = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const node of nodes) for (const d of node.dependencies) dependents.get(d)!.push(node.id);
  const descendants = (id: string) => {
    const found = new Set<string>();
    const stack = [...dependents.get(id) ?? []];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (found.has(next)) continue;
      found.add(next);
      stack.push(...dependents.get(next)!);
    }
    return found;
  };
  return { nodes: byId, order, descendants };
}
