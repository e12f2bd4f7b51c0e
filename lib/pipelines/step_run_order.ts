import type { Graph, NodeStatus } from "../dag/mod.ts";

/** Every node that depends on `nodeId`, directly or not, in DAG order. */
export function downstreamOf(graph: Graph<unknown>, nodeId: string): string[] {
  const below = new Set<string>([nodeId]);
  for (const id of graph.order) {
    if (graph.nodes.get(id)!.dependencies.some((d) => below.has(d))) below.add(id);
  }
  below.delete(nodeId);
  return graph.order.filter((id) => below.has(id));
}

/**
 * The nodes `nodeId` needs, directly or not, that neither succeeded in this step run nor in the latest run
 * that ran them, in DAG order: what to run first before `nodeId` can work (on a fresh warehouse, everything
 * above it).
 */
export function prerequisitesToRun(
  graph: Graph<unknown>,
  nodeId: string,
  succeededHere: ReadonlySet<string>,
  latest: ReadonlyMap<string, NodeStatus>,
): string[] {
  const above = new Set<string>();
  const visit = (id: string) => {
    for (const d of graph.nodes.get(id)?.dependencies ?? []) {
      if (above.has(d)) continue;
      above.add(d);
      visit(d);
    }
  };
  visit(nodeId);
  return graph.order.filter((id) => above.has(id) && !succeededHere.has(id) && latest.get(id) !== "success");
}

/** "a", "a and b", "a, b and c". */
export const listInWords = (items: readonly string[]): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/**
 * An error meant for a person at a notebook: its stack is its message alone, so that a kernel shows one
 * sentence, not a trace through the library.
 */
export class StepRunError extends RangeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StepRunError";
    this.stack = `${this.name}: ${message}`;
  }
}
