import { createHash } from "node:crypto";
import {
  fieldsOf,
  type InputSpec,
  type RawRow,
  type RejectReason,
  resolveHeader,
  rowFromValues,
  type RowResult,
  SESSIONS_INPUT,
  USERS_INPUT,
} from "../../contract/mod.ts";
import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import { countLines, type CsvLineUse, type LineCount, openCsv } from "../../extract/mod.ts";
import { type SqlValue, syncFromSelect, type UpsertCounts, type Warehouse } from "../../warehouse/mod.ts";
import type { PipelineServices } from "../services.ts";
import { DATA_TABLES, withoutSecondaryIndexes } from "../schema.ts";
import { judgeRejectRate, type RejectTally } from "../reject_gate.ts";
import { CoercionLog } from "./coercion_log.ts";
import { RejectSpool } from "./reject_spool.ts";

/** The CSV inputs and the node that loads each (`validate_data` reconciles each file's latest load). */
export const CSV_LOADS: readonly { nodeId: string; input: InputSpec }[] = [
  { nodeId: "process_users", input: USERS_INPUT },
  { nodeId: "process_sessions", input: SESSIONS_INPUT },
];

/** One CSV input to load, from where, with which validator. */
export interface KeyedCsvSpec<T> {
  /** The input's declaration: header names, key, target and staging tables, columns. */
  input: InputSpec<keyof T & string>;
  path: string;
  validate(raw: RawRow): RowResult<T>;
  /** Called for every accepted record, e.g. to count missing watch dates. */
  onAccepted?(record: T): void;
}

/** The per-file reconciliation, stored with the run's file statistics and checked by `validate_data`. */
export type FileCounts = {
  file: string;
  /** `direct`: streamed into the empty target table; `staged`: staged, then upserted. */
  mode: "direct" | "staged";
  rowsRead: number;
  loaded: number;
  rejected: number;
  duplicates: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Values stored as NULL (or a default) per field; the first ones of each are in `etl_coercions`. */
  coerced: Record<string, number>;
  /** Milliseconds per phase: reading, validating and staging; storing rejects; the final upsert. */
  timings: Record<string, number>;
  /**
   * The file's physical lines counted on their own, and how the reader used those that were not rows:
   * `validate_data` checks `rowsRead + header + blank + continuation = physical.lines`.
   */
  lines?: CsvLineUse & { physical: LineCount };
};

/** Characters of a reject's raw line and value that are stored; a longer text is cut, with its length. */
export const REJECT_TEXT_CHARS = 4096;

/** A reject's text as stored: at most {@linkcode REJECT_TEXT_CHARS}, then a note of what was cut. */
export function capRejectText(text: string | null): string | null {
  if (text === null || text.length <= REJECT_TEXT_CHARS) return text;
  const sha256 = createHash("sha256").update(text).digest("hex");
  return `${text.slice(0, REJECT_TEXT_CHARS)}... [cut: ${text.length} characters in all, sha256 ${sha256}]`;
}
/** Loads of at least this many rows are followed by `ANALYZE TABLE` on a cluster. */
const ANALYZE_AFTER_ROWS = 10_000;

/**
 * Loads one keyed CSV file: every row is validated on its own, rejects go to the run store, and the last row
 * of each key ends up in the target table.
 *
 * Into an empty table (a first or `--fresh` load) accepted rows stream straight in, each replacing an
 * earlier row with its key, in one pass. Otherwise they are appended to a staging table with their line
 * number, then one set-based upsert moves the last row of each key into the target, changing only rows that
 * differ, so that a rerun reports what changed. Either way "the last row wins" holds whatever the batching,
 * and memory stays bounded: no key set is held in memory.
 */
export async function loadKeyedCsv<T>(
  ctx: NodeContext<PipelineServices>,
  spec: KeyedCsvSpec<T>,
): Promise<NodeOutcome & { details: FileCounts }> {
  const { warehouse: wh, runStore, batchSize } = ctx.services;
  const { encoding, maxLineBytes } = ctx.services;
  const { input } = spec;
  const { table: target, stage, key } = input;
  const columns = fieldsOf(input);
  // Counted apart from the reader, so that a reader that merges or drops lines cannot hide it.
  const physical = countLines(spec.path, ctx.signal);
  physical.catch(() => {});
  await using csv = await openCsv(spec.path, { batchSize, signal: ctx.signal, encoding, maxLineBytes });
  const header = resolveHeader(input, csv.header, csv.file);
  const fileSize = (await Deno.stat(spec.path)).size;
  const direct = (await wh.query(`SELECT 1 AS one FROM ${target} LIMIT 1`)).length === 0;

  await wh.execute(wh.sql.truncate(stage));
  await runStore.clearRejects(ctx.runId, csv.file);
  await runStore.clearCoercions(ctx.runId, csv.file);
  const { maxRejectRate = 0.05 } = ctx.services;

  let rowsRead = 0;
  let accepted = 0;
  let bytesSeen = 0;
  await using rejects = new RejectSpool();
  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  const firstReject: Partial<Record<RejectReason, { line: number; field: string | null }>> = {};
  const coercions = new CoercionLog(ctx.runId, csv.file);
  const coerced = coercions.counts;
  const reject = (
    line: number,
    reason: RejectReason,
    field: string | null,
    value: string | null,
    raw: string,
  ) => {
    rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
    firstReject[reason] ??= { line, field };
    rejects.add([ctx.runId, csv.file, line, reason, field, capRejectText(value), capRejectText(raw)]);
  };

  async function* stagedRows(): AsyncGenerator<SqlValue[][]> {
    for await (const batch of csv.batches()) {
      const rows: SqlValue[][] = [];
      for (const bad of batch.malformed) {
        // An over-long or undecodable line keeps a prefix as raw; value says its length and hash.
        const note = bad.bad ? `${bad.bad.bytes} bytes, sha256 ${bad.bad.sha256}` : null;
        reject(bad.line, bad.bad?.reason ?? "malformed", null, note, bad.raw);
      }
      for (const record of batch.records) {
        bytesSeen += record.raw.length + 1;
        const raw = rowFromValues(header, record.values);
        const result = spec.validate(raw);
        if (!result.ok) {
          reject(record.line, result.reject.reason, result.reject.field, result.reject.value, record.raw);
          continue;
        }
        for (const field of result.coerced) {
          coercions.add(record.line, field, raw[field], result.record[field as keyof T]);
        }
        spec.onAccepted?.(result.record);
        const row: SqlValue[] = direct ? [] : [record.line];
        for (const column of columns) row.push(result.record[column] as SqlValue);
        rows.push(row);
      }
      rowsRead += batch.records.length + batch.malformed.length;
      accepted += rows.length;
      const totalRows = bytesSeen > 0
        ? Math.max(rowsRead, Math.round(fileSize / (bytesSeen / rowsRead)))
        : undefined;
      ctx.progress({ rowsRead, rowsRejected: rowsRead - accepted, totalRows });
      await rejects.spillIfFull();
      yield rows;
    }
  }
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  let counts: UpsertCounts;
  let distinct: number;
  let gateError: Error | undefined;
  /**
   * Past `maxRejectRate` the load fails, with the reasons in its error; the rejects are still stored, so
   * that they can be looked at and fixed. A staged load then leaves the target as it was, a direct one
   * empties the table it filled (it was empty). Above 1 % it only warns.
   */
  const rejectGate = async (): Promise<boolean> => {
    const byReason: RejectTally["byReason"] = {};
    for (const [reason, rows] of Object.entries(rejectedByReason)) {
      byReason[reason] = { rows: rows ?? 0, ...firstReject[reason as RejectReason] };
    }
    const verdict = judgeRejectRate(
      { file: csv.file, rowsRead, rejected: rejects.count, byReason, runId: ctx.runId },
      maxRejectRate,
    );
    if (verdict.status === "warn") ctx.log(verdict.message);
    if (verdict.status !== "fail") return false;
    await runStore.insertRejects(rejects.batches());
    await runStore.insertCoercions(coercions.batches());
    // The file's counts too, so that the run's summary and `deno task rejects` show what went wrong.
    await runStore.writeFileStats(ctx.runId, {
      file: csv.file,
      rowsRead,
      loaded: 0,
      rejected: rejects.count,
      duplicates: 0,
      details: { file: csv.file, rowsRead, loaded: 0, rejected: rejects.count, rejectedByReason, coerced },
    });
    gateError = new Error(verdict.message);
    return true;
  };
  if (direct) {
    const table = DATA_TABLES.find((t) => t.name === target);
    if (!table) throw new RangeError(`Cannot load into "${target}": it is not a table of the schema`);
    await withoutSecondaryIndexes(wh, table, async () => {
      await wh.bulkInsert(target, columns, stagedRows(), { replace: true });
      lap("readAndLoadMs");
    });
    lap("indexMs");
    if (await rejectGate()) {
      await wh.execute(`DELETE FROM ${target}`);
      throw gateError;
    }
    [{ n: distinct }] = await wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${target}`);
    counts = { inserted: distinct, updated: 0, unchanged: 0 };
    lap("countKeysMs");
  } else {
    await wh.bulkInsert(stage, ["line", ...columns], stagedRows());
    lap("readAndStageMs");
    if (await rejectGate()) throw gateError;
    [{ n: distinct }] = await wh.query<{ n: number }>(
      `SELECT COUNT(DISTINCT ${key}) AS n FROM ${stage}`,
    );
    const columnList = columns.map((c) => `s.${c}`).join(", ");
    // Without repeated keys every staged row is the last of its key, and the costly grouping is skipped.
    const lastPerKey = distinct === accepted ? `SELECT ${columnList} FROM ${stage} s` : `SELECT ${columnList}
    FROM ${stage} s
    JOIN (SELECT MAX(line) AS line FROM ${stage} GROUP BY ${key}) last_row ON last_row.line = s.line`;
    lap("countKeysMs");
    const chunkLines = wh.traits?.maxTransactionRows;
    if (chunkLines === undefined) {
      const { deleted: _, ...synced } = await syncFromSelect(
        wh,
        target,
        columns,
        [key],
        lastPerKey,
        {
          incoming: distinct,
        },
      );
      counts = synced;
    } else {
      counts = await upsertInLineRanges(wh, target, columns, key, lastPerKey, stage, distinct, chunkLines);
    }
    lap("upsertMs");
  }
  // On a cluster the indexes were kept through the load: fresh statistics keep the plans of what follows.
  if (wh.traits?.cluster && distinct >= ANALYZE_AFTER_ROWS) {
    const analyze = wh.sql.analyze([target]);
    if (analyze) await wh.query(analyze);
    lap("analyzeMs");
  }
  await runStore.insertRejects(rejects.batches());
  await runStore.insertCoercions(coercions.batches());
  lap("rejectsMs");

  const details: FileCounts = {
    file: csv.file,
    mode: direct ? "direct" : "staged",
    rowsRead,
    loaded: distinct,
    rejected: rejects.count,
    duplicates: accepted - distinct,
    ...counts,
    rejectedByReason,
    coerced,
    timings,
    lines: { ...csv.lineUse(), physical: await physical },
  };
  await runStore.writeFileStats(ctx.runId, {
    file: csv.file,
    rowsRead,
    loaded: distinct,
    rejected: rejects.count,
    duplicates: accepted - distinct,
    details,
  });
  return {
    rowsRead,
    rowsWritten: counts.inserted + counts.updated,
    rowsRejected: rejects.count,
    totalRows: rowsRead,
    details,
  };
}

/**
 * The staged upsert in bounded transactions: the last rows of each key, by ranges of staged lines, each
 * range committed on its own (each key's last row lies in exactly one range, so a rerun after a failure
 * redoes the same upserts: the result is the same).
 */
async function upsertInLineRanges(
  wh: Warehouse,
  target: string,
  columns: readonly string[],
  key: string,
  lastPerKey: string,
  stage: string,
  distinct: number,
  chunkLines: number,
): Promise<UpsertCounts> {
  const [{ lo, hi }] = await wh.query<{ lo: number | null; hi: number | null }>(
    `SELECT MIN(line) AS lo, MAX(line) AS hi FROM ${stage}`,
  );
  let inserted = 0;
  let updated = 0;
  // On s.line, the staged row: with the JOIN form the range narrows the join, not the grouping of last rows.
  const where = /\bJOIN\b/.test(lastPerKey) ? " AND" : " WHERE";
  for (let from = lo ?? 0; hi !== null && from <= hi; from += chunkLines) {
    const ranged = `${lastPerKey}${where} s.line >= ${from} AND s.line < ${from + chunkLines}`;
    const synced = await syncFromSelect(wh, target, columns, [key], ranged, { incoming: 0 });
    inserted += synced.inserted;
    updated += synced.updated;
  }
  return { inserted, updated, unchanged: distinct - inserted - updated };
}
