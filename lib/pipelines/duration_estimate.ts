/**
 * How long each node should take, from its last successful run at the same scale: what the front ends show
 * against the elapsed time of a node that runs one long SQL statement and so reports no rows meanwhile.
 *
 * @module
 */
import type { DagNode, Graph } from "../dag/mod.ts";
import { buildGraph } from "../dag/mod.ts";
import type { WarehouseRunStore } from "./run_store.ts";
import type { InputFiles, PipelineServices } from "./services.ts";

/** How often a node with an estimate reports progress, counts changed or not. */
export const HEARTBEAT_MS = 1000;

/** Input sizes within this share of each other count as the same scale. */
export const SAME_SCALE_TOLERANCE = 0.1;

/** Bytes of the three input files, 0 for a file that cannot be read. */
export async function inputBytes(files: InputFiles): Promise<number> {
  const sizes = await Promise.all(
    [files.users, files.sessions, files.content].map((path) => Deno.stat(path).then((s) => s.size, () => 0)),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * Each node's expected duration in ms: its latest successful run, if `validate_files` of that same run saw
 * inputs of about the same size as now (within {@linkcode SAME_SCALE_TOLERANCE}), scaled by the size ratio.
 * Nodes without such a run have no estimate.
 */
export async function estimateDurations(
  runStore: Pick<WarehouseRunStore, "latestSuccess" | "nodeRuns">,
  nodeIds: readonly string[],
  bytesNow: number,
): Promise<Map<string, number>> {
  const estimates = new Map<string, number>();
  if (bytesNow <= 0) return estimates;
  const scaleOf = new Map<string, Promise<number | undefined>>();
  const scaleOfRun = (runId: string) => {
    let scale = scaleOf.get(runId);
    if (!scale) {
      scale = runStore.nodeRuns(runId).then((runs) => {
        const files = runs.find((r) => r.nodeId === "validate_files" && r.status === "success")?.details
          ?.files;
        if (!Array.isArray(files)) return undefined;
        return files.reduce((sum, f) => sum + (typeof f?.bytes === "number" ? f.bytes : 0), 0);
      });
      scaleOf.set(runId, scale);
    }
    return scale;
  };
  for (const nodeId of nodeIds) {
    const last = await runStore.latestSuccess(nodeId);
    if (!last || last.durationMs === null) continue;
    const bytesThen = await scaleOfRun(last.runId);
    if (!bytesThen) continue;
    const ratio = bytesNow / bytesThen;
    if (Math.abs(ratio - 1) > SAME_SCALE_TOLERANCE) continue;
    estimates.set(nodeId, Math.round(last.durationMs * ratio));
  }
  return estimates;
}

/**
 * The graph with each estimated node reporting its `estimatedMs` as soon as it starts. */
export function withDurationEstimates(
  graph: Graph<PipelineServices>,
  estimates: ReadonlyMap<string, number>,
): Graph<PipelineServices> {
  if (estimates.size === 0) return graph;
  const nodes = graph.order.map((id): DagNode<PipelineServices> => {
    const node = graph.nodes.get(id)!;
    const estimatedMs = estimates.get(id);
    if (estimatedMs === undefined) return node;
    return {
      ...node,
      run: async (ctx) => {
        ctx.progress({ estimatedMs });
        // A heartbeat, so that front ends drawing on events see the time pass during one long statement.
        const heartbeat = setInterval(() => ctx.progress({}), HEARTBEAT_MS);
        try {
          return await node.run(ctx);
        } finally {
          clearInterval(heartbeat);
        }
      },
    };
  });
  return buildGraph(nodes);
}
