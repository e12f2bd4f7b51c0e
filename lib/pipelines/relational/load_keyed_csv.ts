import { rowFromValues } from "../../contract/mod.ts";
import { resolveHeader } from "../../contract/mod.ts";
import type { RawRow, RejectReason, RowResult } from "../../contract/mod.ts";
import type { NodeContext, NodeOutcome } from "../../dag/mod.ts";
import { openCsv } from "../../extract/mod.ts";
import type { SqlValue, UpsertCounts } from "../../warehouse/mod.ts";
import type { PipelineServices } from "../services.ts";
import { DATA_TABLES, withoutSecondaryIndexes } from "../schema.ts";
import { syncFromSelect } from "../sql_dialect.ts";
import { RejectSpool } from "./reject_spool.ts";

/** How one CSV input maps to its staging and target tables. */
export interface KeyedCsvSpec<T> {
  kind: "users" | "sessions";
  path: string;
  stage: string;
  table: string;
  key: keyof T & string;
  /** Target columns, in the order `toRow` gives them. */
  columns: readonly (keyof T & string)[];
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
  coerced: Record<string, number>;
  /** Milliseconds per phase: reading, validating and staging; storing rejects; the final upsert. */
  timings: Record<string, number>;
};

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
  await using csv = await openCsv(spec.path, { batchSize, signal: ctx.signal });
  const header = resolveHeader(spec.kind, csv.header, csv.file);
  const fileSize = (await Deno.stat(spec.path)).size;
  const direct = (await wh.query(`SELECT 1 AS one FROM ${spec.table} LIMIT 1`)).length === 0;

  await wh.execute(wh.dialect === "mysql" ? `TRUNCATE TABLE ${spec.stage}` : `DELETE FROM ${spec.stage}`);
  await runStore.clearRejects(ctx.runId, csv.file);

  let rowsRead = 0;
  let accepted = 0;
  let bytesSeen = 0;
  await using rejects = new RejectSpool();
  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  const coerced: Record<string, number> = {};
  const reject = (
    line: number,
    reason: RejectReason,
    field: string | null,
    value: string | null,
    raw: string,
  ) => {
    rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
    rejects.add([ctx.runId, csv.file, line, reason, field, value, raw]);
  };

  async function* stagedRows(): AsyncGenerator<SqlValue[][]> {
    for await (const batch of csv.batches()) {
      const rows: SqlValue[][] = [];
      for (const bad of batch.malformed) reject(bad.line, "malformed", null, null, bad.raw);
      for (const record of batch.records) {
        bytesSeen += record.raw.length + 1;
        const result = spec.validate(rowFromValues(header, record.values));
        if (!result.ok) {
          reject(record.line, result.reject.reason, result.reject.field, result.reject.value, record.raw);
          continue;
        }
        for (const field of result.coerced) coerced[field] = (coerced[field] ?? 0) + 1;
        spec.onAccepted?.(result.record);
        const row: SqlValue[] = direct ? [] : [record.line];
        for (const column of spec.columns) row.push(result.record[column] as SqlValue);
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
  if (direct) {
    const table = DATA_TABLES.find((t) => t.name === spec.table);
    if (!table) throw new RangeError(`Cannot load into "${spec.table}": it is not a table of the schema`);
    await withoutSecondaryIndexes(wh, table, async () => {
      await wh.bulkInsert(spec.table, spec.columns, stagedRows(), { replace: true });
      lap("readAndLoadMs");
    });
    lap("indexMs");
    [{ n: distinct }] = await wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${spec.table}`);
    counts = { inserted: distinct, updated: 0, unchanged: 0 };
    lap("countKeysMs");
  } else {
    await wh.bulkInsert(spec.stage, ["line", ...spec.columns], stagedRows());
    lap("readAndStageMs");
    [{ n: distinct }] = await wh.query<{ n: number }>(
      `SELECT COUNT(DISTINCT ${spec.key}) AS n FROM ${spec.stage}`,
    );
    const columnList = spec.columns.map((c) => `s.${c}`).join(", ");
    // Without repeated keys every staged row is the last of its key, and the costly grouping is skipped.
    const lastPerKey = distinct === accepted
      ? `SELECT ${columnList} FROM ${spec.stage} s`
      : `SELECT ${columnList}
    FROM ${spec.stage} s
    JOIN (SELECT MAX(line) AS line FROM ${spec.stage} GROUP BY ${spec.key}) last_row ON last_row.line = s.line`;
    lap("countKeysMs");
    const { deleted: _, ...synced } = await syncFromSelect(
      wh,
      spec.table,
      spec.columns,
      [spec.key],
      lastPerKey,
      {
        incoming: distinct,
      },
    );
    counts = synced;
    lap("upsertMs");
  }
  await runStore.insertRejects(rejects.batches());
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
