import type { Graph } from "./build_graph.ts";
import type { NodeStatus } from "./types.ts";

/** Which nodes a run should execute, from the CLI's `--only`, `--from` and `--resume`. */
export interface SelectOptions {
  /** Exactly these nodes. */
  only?: readonly string[];
  /** This node and everything downstream of it. */
  from?: string;
  /** Each node's latest status in earlier runs: reruns what did not succeed, and what depends on it. */
  resumeFrom?: ReadonlyMap<string, NodeStatus>;
}

/**
 * Resolves the selection options to a set of node ids (undefined = the whole graph). Unknown node ids are a
 * `TypeError` that lists the known ones.
 */
export function selectNodes(graph: Graph<unknown>, options: SelectOptions): Set<string> | undefined {
  const { only, from, resumeFrom } = options;
  const check = (id: string) => {
    if (!graph.nodes.has(id)) {
      throw new TypeError(`Unknown node "${id}" (known: ${graph.order.map((n) => `"${n}"`).join(", ")})`);
    }
  };
  let selected: Set<string> | undefined;
  const narrow = (ids: Set<string>) => {
    selected = selected ? new Set([...selected].filter((id) => ids.has(id))) : ids;
  };
  if (only) {
    only.forEach(check);
    narrow(new Set(only));
  }
  if (from !== undefined) {
    check(from);
    narrow(new Set([from, ...graph.descendants(from)]));
  }
  if (resumeFrom) {
    const redo = new Set<string>();
    for (const id of graph.order) {
      if (resumeFrom.get(id) === "success") continue;
      redo.add(id);
      for (const d of graph.descendants(id)) redo.add(d);
    }
    narrow(redo);
  }
  return selected;
}
