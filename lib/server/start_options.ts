import { z } from "zod";
import { DOCUMENT_NODES, RELATIONAL_NODES } from "../pipelines/mod.ts";

/** The body of `POST /api/etl/start`; every field is optional. */
export const StartOptionsSchema = z.strictObject({
  /** Which branch of the DAG to run. */
  pipelines: z.enum(["relational", "document", "both"]).default("both"),
  /** Drop and recreate the data tables first (the history is kept). */
  fresh: z.boolean().default(false),
  /** Rows per batch. */
  batchSize: z.number().int().min(1).max(100_000).default(1000),
});

/** Validated start options. */
export type StartOptions = z.infer<typeof StartOptionsSchema>;

const NODES = [...RELATIONAL_NODES, ...DOCUMENT_NODES];

/** The node ids of a branch, or undefined (the whole DAG) for `both`. */
export function nodesOfPipelines(pipelines: StartOptions["pipelines"]): string[] | undefined {
  if (pipelines === "both") return undefined;
  return NODES.filter((n) => n.pipeline === pipelines).map((n) => n.id);
}

/** The branch a node belongs to, for drawing the two branches apart. */
export function branchOf(nodeId: string): "relational" | "document" {
  return NODES.find((n) => n.id === nodeId)?.pipeline === "document" ? "document" : "relational";
}
