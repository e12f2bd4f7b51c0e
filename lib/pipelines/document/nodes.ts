import { basename } from "node:path";
import type { DagNode } from "../../dag/mod.ts";
import { readContentFile } from "../../extract/mod.ts";
import type { SqlValue } from "../../warehouse/mod.ts";
import { judgeRejectRate, type RejectTally } from "../reject_gate.ts";
import type { PipelineServices } from "../services.ts";
import { contentStats } from "./content_stats.ts";
import { createContentIndexes } from "./create_content_indexes.ts";
import { crossStoreStats } from "./cross_store_stats.ts";
import { crossStoreStatsFromCube } from "../relational/incremental.ts";
import { sessionPartitionsDir } from "../relational/partitions.ts";
import { loadContent } from "./load_content.ts";
import { validateContentJson } from "./validate_content_json.ts";

type Node = DagNode<PipelineServices>;

const validateContentNode: Node = {
  id: "validate_content",
  pipeline: "document",
  input: "content.json",
  name: "Validate content",
  description:
    "Validates content.json document by document, stores rejects with their reason, counts duplicates.",
  dependencies: [],
  async run({ services, runId, progress, log }) {
    const store = services.runStore;
    const file = basename(services.files.content);
    const result = validateContentJson(await readContentFile(services.files.content));
    progress({
      rowsRead: result.documents,
      rowsRejected: result.rejects.length,
      totalRows: result.documents,
    });
    // Rejects and file statistics are the run store's, whose tables exist before any node runs.
    await store.clearRejects(runId, file);
    const rejects: SqlValue[][] = result.rejects.map((
      r,
    ) => [runId, file, r.position, r.reason, r.field, r.value, r.raw]);
    if (rejects.length > 0) await store.insertRejects([rejects]);
    const details = {
      file,
      documents: result.documents,
      valid: result.valid,
      loaded: result.accepted.length,
      duplicates: result.duplicates,
      rejected: result.rejects.length,
      rejectedByReason: result.rejectedByReason,
      byType: result.byType,
    };
    await store.writeFileStats(runId, {
      file,
      rowsRead: result.documents,
      loaded: result.accepted.length,
      rejected: result.rejects.length,
      duplicates: result.duplicates,
      details,
    });
    // The same quality gate as the CSV loads: fail past --max-reject-rate (rejects stored), warn above 1 %.
    const byReason: RejectTally["byReason"] = {};
    for (const r of result.rejects) {
      byReason[r.reason] ??= { rows: 0, line: r.position, field: r.field };
      byReason[r.reason].rows++;
    }
    const verdict = judgeRejectRate(
      { file, rowsRead: result.documents, rejected: result.rejects.length, byReason, runId },
      services.maxRejectRate ?? 0.05,
    );
    if (verdict.status === "fail") throw new Error(verdict.message);
    if (verdict.status === "warn") log(verdict.message);
    return {
      rowsRead: result.documents,
      rowsWritten: rejects.length,
      rowsRejected: result.rejects.length,
      totalRows: result.documents,
      details,
    };
  },
};

const loadContentNode: Node = {
  id: "load_content",
  pipeline: "document",
  name: "Load content",
  description:
    "Upserts the valid content documents by content_id, then deletes those gone from the file (--purge: empty first).",
  dependencies: ["validate_content"],
  run: (ctx) => loadContent(ctx),
};

const createContentIndexesNode: Node = {
  id: "create_content_indexes",
  pipeline: "document",
  name: "Create content indexes",
  description:
    "Creates the content indexes: content_id (unique), genre, release_year and rating descending, type.",
  dependencies: ["load_content"],
  run: ({ services }) => createContentIndexes(services.docstore),
};

const contentStatsNode: Node = {
  id: "content_stats",
  pipeline: "document",
  table: { name: "content_genre_stats", orderBy: "documents DESC" },
  name: "Content stats",
  description:
    "Aggregates the content by type and genre, and the top rated titles per genre, into the warehouse.",
  dependencies: ["create_content_indexes", "create_schema"],
  run: (ctx) => contentStats(ctx),
};

const crossStoreStatsNode: Node = {
  id: "cross_store_stats",
  pipeline: "document",
  table: { name: "stats_country_top_content", orderBy: "country, place" },
  name: "Cross-store stats",
  description:
    "Joins sessions with the content's genres and titles: genre preference and top titles per country.",
  dependencies: ["content_stats", "process_sessions", "process_users"],
  run: (ctx) =>
    sessionPartitionsDir(ctx.services.files) ? crossStoreStatsFromCube(ctx) : crossStoreStats(ctx),
};

/** The five nodes of the document pipeline, in order; they depend on relational nodes by id. */
export const DOCUMENT_NODES: readonly Node[] = [
  validateContentNode,
  loadContentNode,
  createContentIndexesNode,
  contentStatsNode,
  crossStoreStatsNode,
];
