import { type Graph, type NodeStatus, selectNodes } from "../dag/mod.ts";

/**
 * The nodes, in DAG order, among `targets` and everything they depend on, that `--resume` would rerun given
 * each node's latest status: what a notebook must run before it can show `targets`' tables.
 *
 * @example
 * ```ts
 * import type { Workbench } from "../pipelines/mod.ts";
 * import { nodesToCatchUp } from "./mod.ts";
 *
 * declare const wb: Workbench;
 * nodesToCatchUp(wb.graph, await wb.runStore.latestNodeStatuses(), ["cross_store_stats"]);
 * // e.g. ["process_sessions", "cross_store_stats"] after a run that failed in process_sessions
 * ```
 */
export function nodesToCatchUp(
  graph: Graph<unknown>,
  latest: ReadonlyMap<string, NodeStatus>,
  targets: readonly string[],
): string[] {
  const wanted = new Set<string>();
  const visit = (id: string) => {
    const node = graph.nodes.get(id);
    if (!node) throw new TypeError(`Unknown node "${id}"`);
    if (wanted.has(id)) return;
    wanted.add(id);
    node.dependencies.forEach(visit);
  };
  targets.forEach(visit);
  const redo = selectNodes(graph, { resumeFrom: latest }) ?? new Set(graph.order);
  return graph.order.filter((id) => wanted.has(id) && redo.has(id));
}
