import { formatCount, formatDuration } from "../format/mod.ts";
import {
  CHECKS_TABLE,
  DOCUMENT_NODES,
  type FileQuality,
  RELATIONAL_NODES,
  type StoredNodeRun,
  type WarehouseRunStore,
} from "../pipelines/mod.ts";
import type { Warehouse } from "../warehouse/mod.ts";
import { escapeHtml } from "./_escape_html.ts";
import { htmlTable } from "./html_table.ts";

const NODES = [...RELATIONAL_NODES, ...DOCUMENT_NODES];

/** The table each node fills (or checks), previewed after it runs, with its key order (from the nodes). */
export const NODE_PREVIEWS: Readonly<
  Record<string, { table: string; orderBy: string; columns?: string; rows?: number }>
> = Object.fromEntries(
  NODES.flatMap((n) => n.table ? [[n.id, { ...n.table, table: n.table.name }]] : []),
);

/** The input file whose rejects a node records (from the nodes). */
export const NODE_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  NODES.flatMap((n) => n.input ? [[n.id, n.input]] : []),
);

/** One reject reason of a file, with its count and a few example lines. */
export interface RejectGroup {
  file: string;
  reason: string;
  rows: number;
  examples: { line: number; field: string | null; value: string | null; raw: string | null }[];
}

/** What a notebook shows after a node ran: its recorded run, rejects by reason, and a preview. */
export interface NodeReport {
  node: StoredNodeRun;
  rejects: RejectGroup[];
  /** Values of the node's file stored as NULL or a default, per field, with example lines. */
  coercions?: FileQuality["coercions"];
  preview?: { table: string; total: number; rows: Record<string, unknown>[] };
}

/** Options of {@linkcode readNodeReport}. */
export interface ReadNodeReportOptions {
  /** Example lines per reject reason. @default 3 */
  examples?: number;
  /** Rows of the preview table. @default 5 */
  previewRows?: number;
}

/**
 * Reads what a node did in a run from the warehouse: its node run and its rejects grouped by reason (with
 * the first example lines) from the run store, and the first rows of the table it fills. A `RangeError`
 * when the run has no such node.
 */
export async function readNodeReport(
  warehouse: Warehouse,
  runStore: WarehouseRunStore,
  runId: string,
  nodeId: string,
  options: ReadNodeReportOptions = {},
): Promise<NodeReport> {
  const { examples = 3, previewRows = 5 } = options;
  const node = (await runStore.nodeRuns(runId)).find((n) => n.nodeId === nodeId);
  if (!node) throw new RangeError(`Cannot report on "${nodeId}": run ${runId} has not run it`);
  const rejects: RejectGroup[] = [];
  const file = NODE_FILES[nodeId];
  if (file) {
    const counts = await runStore.rejectCounts(runId, [file]);
    counts.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    for (const { reason, count } of counts) {
      const lines = await runStore.rejectExamples(runId, file, reason, examples);
      rejects.push({ file, reason, rows: count, examples: lines });
    }
  }
  const coercions = file ? (await runStore.fileQuality(runId, { file, examples }))[0]?.coercions : undefined;
  const spec = NODE_PREVIEWS[nodeId];
  let preview: NodeReport["preview"];
  if (spec && node.status === "success" && spec.table === CHECKS_TABLE) {
    const checks = await runStore.checks(runId);
    const rows = checks.slice(0, spec.rows ?? previewRows).map((c) => ({
      check_name: c.name,
      status: c.status,
      observed: c.observed,
      expected: c.expected,
      message: c.message,
    }));
    preview = { table: spec.table, total: checks.length, rows };
  } else if (spec && node.status === "success") {
    const [{ n }] = await warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${spec.table}`);
    const limit = Math.max(0, Math.floor(spec.rows ?? previewRows));
    const rows = await warehouse.query<Record<string, unknown>>(
      `SELECT ${spec.columns ?? "*"} FROM ${spec.table} ORDER BY ${spec.orderBy} LIMIT ${limit}`,
    );
    preview = { table: spec.table, total: Number(n), rows };
  }
  return { node, rejects, coercions, preview };
}

/** Rows a node found unchanged (a load's or a sync's `unchanged`, or the sum over its tables). */
function unchangedIn(details: Record<string, unknown>): number {
  if (typeof details.unchanged === "number") return details.unchanged;
  let sum = 0;
  for (const value of Object.values(details)) {
    const inner = value as Record<string, unknown> | null;
    if (inner && typeof inner === "object" && typeof inner.unchanged === "number") sum += inner.unchanged;
  }
  return sum;
}

/** "N out, M rejected", or what a person would rather read: nothing changed, or valid and rejected. */
function outcomeWords(node: StoredNodeRun): string {
  const d = node.details ?? {};
  if (typeof d.valid === "number" && typeof d.rejected === "number") {
    return `${formatCount(d.valid)} valid, ${formatCount(d.rejected)} rejected`;
  }
  const unchanged = unchangedIn(d);
  if (node.status === "success" && node.rowsWritten === 0 && unchanged > 0) {
    return `nothing changed since the last load (${formatCount(unchanged)} unchanged)${
      node.rowsRejected ? `, ${formatCount(node.rowsRejected)} rejected` : ""
    }`;
  }
  return `${formatCount(node.rowsWritten)} out, ${formatCount(node.rowsRejected)} rejected`;
}

/** A node report as HTML: a summary line, rejects by reason with example raw lines, timings and a preview. */
export function nodeReportHtml(report: NodeReport): string {
  const { node, rejects, preview } = report;
  const rate = node.durationMs && node.rowsRead
    ? `, ${formatCount((node.rowsRead / node.durationMs) * 1000)} rows/s`
    : "";
  const color = node.status === "success"
    ? "#59a14f"
    : node.status === "failed"
    ? "#e15759"
    : node.status === "abandoned"
    ? "#b45309"
    : "#999";
  const parts = [
    `<p><code>${escapeHtml(node.nodeId)}</code> <b style="color:${color}">${node.status}</b>${
      node.durationMs === null ? "" : ` in ${formatDuration(node.durationMs)}`
    }: ${formatCount(node.rowsRead)} rows in, ${escapeHtml(outcomeWords(node))}${rate}${
      node.attempts > 1 ? ` (${node.attempts} attempts)` : ""
    }.${node.error ? ` <span style="color:#e15759">${escapeHtml(node.error)}</span>` : ""}</p>`,
  ];
  // A load's "out" counts changed rows: on a rerun of the same file that is 0, so say what was loaded.
  const d = node.details ?? {};
  if (typeof d.loaded === "number") {
    const changes = ["inserted", "updated", "unchanged"].filter((k) => typeof d[k] === "number")
      .map((k) => `${formatCount(d[k] as number)} ${k}`);
    const duplicates = typeof d.duplicates === "number" && d.duplicates > 0
      ? `, ${formatCount(d.duplicates)} replaced by a later duplicate`
      : "";
    parts.push(
      `<p>${formatCount(d.loaded)} rows loaded${
        changes.length ? ` (${changes.join(", ")})` : ""
      }${duplicates}.</p>`,
    );
  }
  const timings = node.details?.timings;
  if (timings && typeof timings === "object") {
    const phases = Object.entries(timings as Record<string, number>)
      .map(([phase, ms]) => `${escapeHtml(phase.replace(/Ms$/, ""))} ${formatDuration(Number(ms))}`);
    parts.push(`<p>Timings: ${phases.join(", ")}.</p>`);
  }
  if (rejects.length) {
    parts.push(htmlTable(
      rejects.flatMap((g) =>
        g.examples.map((e, i) => ({
          reason: i === 0 ? g.reason : "",
          rows: i === 0 ? g.rows : null,
          line: e.line,
          field: e.field,
          value: e.value,
          "raw line": e.raw,
        }))
      ),
      {
        caption: `Rejects of ${rejects[0].file} by reason, with example lines`,
        limit: 1000,
        columns: ["reason", "rows", "line", "field", "value", "raw line"],
        nullText: "",
      },
    ));
  } else if (NODE_FILES[node.nodeId]) {
    parts.push(`<p>No rejects in ${escapeHtml(NODE_FILES[node.nodeId])}.</p>`);
  }
  if (report.coercions?.length) {
    parts.push(htmlTable(
      report.coercions.flatMap((c) =>
        c.examples.map((e, i) => ({
          field: i === 0 ? c.field : "",
          values: i === 0 ? c.values : null,
          line: e.line,
          "in the file": e.value,
          stored: e.stored ?? "NULL",
        }))
      ),
      {
        caption: `Values of ${
          NODE_FILES[node.nodeId]
        } stored as NULL or a default, by field, with example lines (all: deno task rejects ${node.runId} --coercions)`,
        limit: 1000,
        columns: ["field", "values", "line", "in the file", "stored"],
        nullText: "",
      },
    ));
  }
  if (preview) {
    parts.push(htmlTable(preview.rows, {
      caption: `${preview.table}: ${formatCount(preview.total)} rows`,
      limit: preview.rows.length,
    }));
  }
  if (node.details) {
    parts.push(
      `<details><summary>details (of the node run)</summary><pre>${
        escapeHtml(JSON.stringify(node.details, null, 1))
      }</pre></details>`,
    );
  }
  return `<div class="wb-node-report">${parts.join("\n")}</div>`;
}
