import {
  fieldsOf,
  type InputSpec,
  type RejectReason,
  resolveHeader,
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
import { lineChunks } from "./line_chunks.ts";
import type { ValidatorChoice } from "./row_validators.ts";
import { validatedBatches } from "./validated_batches.ts";
import {
  clearLoadProgress,
  ensureLoadProgressTable,
  type FileIdentity,
  fileIdentity,
  type LoadProgress,
  readLoadProgress,
  saveLoadProgress,
  whyNotResumable,
} from "./load_progress.ts";
import {
  assertOnStageNode,
  assertStagedRows,
  chooseStaging,
  resetStaging,
  type Staging,
} from "./node_local_stage.ts";

/** The CSV inputs and the node that loads each (`validate_data` reconciles each file's latest load). */
export const CSV_LOADS: readonly { nodeId: string; input: InputSpec }[] = [
  { nodeId: "process_users", input: USERS_INPUT },
  { nodeId: "process_sessions", input: SESSIONS_INPUT },
];

export { capRejectText, REJECT_TEXT_CHARS } from "./row_validators.ts";

/** Files from this size on are validated in a worker while the main thread writes (`row_validators.ts`). */
export const VALIDATE_IN_WORKER_BYTES = 1 << 20;

/** One CSV input to load, from where, with which validator. */
export interface KeyedCsvSpec {
  /** The input's declaration: header names, key, target and staging tables, columns. */
  input: InputSpec;
  path: string;
  /**
   * The validator, by name and what it is built from (`row_validators.ts`), given how the rows will be
   * written and whether an earlier load is resumed; called once, before the first row.
   */
  validator(mode: FileCounts["mode"], resumed: boolean): ValidatorChoice | Promise<ValidatorChoice>;
  /**
   * Sees the accepted rows of each batch, in file order, on this thread while the next batches are validated
   * (`ValidatedBatch.rows`: flat, each row its line, then the input's columns), including those of a resumed
   * load that are not written again.
   */
  onAccepted?(rows: readonly SqlValue[], columns: readonly string[]): void;
}

/** The per-file reconciliation, stored with the run's file statistics and checked by `validate_data`. */
export type FileCounts = {
  file: string;
  /** `direct`: streamed into the empty target table; `staged`: staged, then upserted. */
  mode: "direct" | "staged";
  /** The table a staged load staged into, when not the input's own (a node-local one on a cluster). */
  stagingTable?: string;
  /**
   * With a node-local staging table: the staged keys found in the target, counted by the load on the staging
   * table's server (`validate_data` may run on another one after a failover, where that table is empty).
   */
  presentAtLoad?: number;
  /**
   * A load that went on from where an earlier attempt or run stopped: the first line it wrote, and what was
   * committed before (the lines before were read and validated again, not written).
   */
  resumedAt?: { line: number; runId: string; rowsCommitted: number; phase: "stage" | "upsert" };
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
export async function loadKeyedCsv(
  ctx: NodeContext<PipelineServices>,
  spec: KeyedCsvSpec,
): Promise<NodeOutcome & { details: FileCounts; validation: unknown }> {
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
  // Bounded transactions: each chunk commits with a record of where the next one starts (etl_load_progress),
  // so that a failed or killed load can go on from there; unbounded, the file is one transaction as before.
  const chunkLines = wh.traits?.maxTransactionRows;
  const stageSpec = DATA_TABLES.find((t) => t.name === stage);
  if (!stageSpec) throw new RangeError(`Cannot stage into "${stage}": it is not a table of the schema`);
  let staging: Staging = { table: stage, node: null };
  let resumed: LoadProgress | undefined;
  let identity: FileIdentity | undefined;
  if (chunkLines !== undefined) {
    await ensureLoadProgressTable(wh);
    identity = await fileIdentity(spec.path);
    staging = await chooseStaging(wh, stageSpec);
    resumed = await resumableProgress(ctx, csv.file, target, identity, staging);
  }
  const direct = resumed
    ? resumed.mode === "direct"
    : (await wh.query(`SELECT 1 AS one FROM ${target} LIMIT 1`)).length === 0;
  const choice = await spec.validator(direct ? "direct" : "staged", resumed !== undefined);
  const source = validatedBatches(csv, input, header, choice, {
    inWorker: ctx.services.validateInWorker ?? fileSize >= VALIDATE_IN_WORKER_BYTES,
    open: { batchSize, encoding, maxLineBytes },
    signal: ctx.signal,
  });

  if (chunkLines === undefined) await wh.execute(wh.sql.truncate(stage));
  else if (!resumed) staging = await resetStaging(wh, stageSpec, staging);
  await runStore.clearRejects(ctx.runId, csv.file);
  await runStore.clearCoercions(ctx.runId, csv.file);
  const { maxRejectRate = 0.05 } = ctx.services;

  let rowsRead = 0;
  let accepted = 0;
  let bytesSeen = 0;
  // A resumed load reads and validates the whole file again (its counts, rejects, coercions and line tally
  // come out as in one run) but writes only the rows from the first line not committed.
  const writeFrom = !resumed ? 0 : resumed.phase === "upsert" ? Infinity : resumed.nextLine;
  let acceptedBefore = 0;
  const checkSkipped = () => {
    if (!resumed || acceptedBefore === resumed.rowsCommitted) return;
    throw new Error(
      `Cannot resume ${csv.file}: before line ${resumed.nextLine} it now has ${acceptedBefore} accepted ` +
        `rows, run ${resumed.runId} had committed ${resumed.rowsCommitted}; run it again without --resume`,
    );
  };
  let checkedSkipped = writeFrom === 0;
  // Chunked loads keep the line first in every row, for the progress record (a direct load drops it).
  const withLine = !direct || chunkLines !== undefined;
  await using rejects = new RejectSpool();
  const rejectedByReason: Partial<Record<RejectReason, number>> = {};
  const firstReject: Partial<Record<RejectReason, { line: number; field: string | null }>> = {};
  const coercions = new CoercionLog(ctx.runId, csv.file);
  const coerced = coercions.counts;
  // Each row of a validated batch: its line, then its columns.
  const width = columns.length + 1;
  async function* stagedRows(): AsyncGenerator<SqlValue[][]> {
    for await (const batch of source.batches()) {
      spec.onAccepted?.(batch.rows, columns);
      for (const [line, reason, field, value, raw] of batch.rejects) {
        rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
        firstReject[reason] ??= { line, field };
        rejects.add([ctx.runId, csv.file, line, reason, field, value, raw]);
      }
      for (const [line, field, value, stored] of batch.coercions) coercions.add(line, field, value, stored);
      const rows: SqlValue[][] = [];
      const flat = batch.rows;
      for (let at = 0; at < flat.length; at += width) {
        const line = flat[at] as number;
        accepted++;
        if (line < writeFrom) {
          acceptedBefore++;
          continue;
        }
        if (!checkedSkipped) {
          checkSkipped();
          checkedSkipped = true;
        }
        rows.push(flat.slice(withLine ? at : at + 1, at + width));
      }
      bytesSeen += batch.bytes;
      rowsRead += batch.read;
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
  let presentAtLoad: number | undefined;
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
  /** What a chunk's progress record says, but for where the next chunk starts. */
  const progressOf = (): Omit<LoadProgress, "phase" | "nextLine" | "rowsCommitted"> => ({
    file: csv.file,
    runId: ctx.runId,
    mode: direct ? "direct" : "staged",
    fileSize: identity!.size,
    fileMtimeMs: identity!.mtimeMs,
    stageTable: staging.table,
    stageNode: staging.node,
    upsertFrom: null,
    inserted: 0,
    updated: 0,
  });
  let committed = resumed?.rowsCommitted ?? 0;
  let nextLine = resumed?.nextLine ?? 1;
  /** Writes the rows in chunks of `chunkLines`, each committed with its progress record. */
  const writeChunks = async (table: string, chunkRows: number) => {
    for await (const chunk of lineChunks(stagedRows(), chunkRows)) {
      // Each chunk's rows stream into its transaction as they are validated; the record goes last.
      const batches = direct ? withoutLines(chunk.batches) : chunk.batches;
      const record = (tx: Warehouse) =>
        saveLoadProgress(tx, {
          ...progressOf(),
          phase: "stage",
          nextLine: chunk.lastLine + 1,
          rowsCommitted: committed + chunk.rows,
        });
      if (!direct && staging.node !== null) {
        // Node-local staging cannot share a transaction with the record: the chunk, then its record.
        await wh.bulkInsert(table, ["line", ...columns], batches);
        await wh.transaction(async (tx) => {
          await assertOnStageNode(tx, staging);
          await assertStagedRows(tx, staging, committed + chunk.rows);
          await record(tx);
        });
      } else {
        // The chunk and its record commit together, or neither.
        await wh.transaction(async (tx) => {
          await tx.bulkInsert(table, direct ? columns : ["line", ...columns], batches, { replace: direct });
          await record(tx);
        });
      }
      committed += chunk.rows;
      nextLine = chunk.lastLine + 1;
    }
    if (!checkedSkipped) checkSkipped();
  };
  if (direct) {
    const table = DATA_TABLES.find((t) => t.name === target);
    if (!table) throw new RangeError(`Cannot load into "${target}": it is not a table of the schema`);
    await withoutSecondaryIndexes(wh, table, async () => {
      if (chunkLines === undefined) await wh.bulkInsert(target, columns, stagedRows(), { replace: true });
      else await writeChunks(target, chunkLines);
      lap("readAndLoadMs");
    });
    lap("indexMs");
    if (await rejectGate()) {
      await wh.execute(`DELETE FROM ${target}`);
      if (chunkLines !== undefined) await clearLoadProgress(wh, csv.file);
      throw gateError;
    }
    [{ n: distinct }] = await wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${target}`);
    counts = { inserted: distinct, updated: 0, unchanged: 0 };
    lap("countKeysMs");
  } else {
    const staged = staging.table;
    if (chunkLines === undefined) await wh.bulkInsert(stage, ["line", ...columns], stagedRows());
    else await writeChunks(staged, chunkLines);
    lap("readAndStageMs");
    if (await rejectGate()) {
      if (chunkLines !== undefined) await clearLoadProgress(wh, csv.file);
      throw gateError;
    }
    // On the node-local staging table's server (a connection that failed over would count an empty one).
    distinct = await wh.transaction(async (tx) => {
      await assertOnStageNode(tx, staging);
      const [{ n }] = await tx.query<{ n: number }>(`SELECT COUNT(DISTINCT ${key}) AS n FROM ${staged}`);
      return n;
    });
    const columnList = columns.map((c) => `s.${c}`).join(", ");
    // Without repeated keys every staged row is the last of its key, and the costly grouping is skipped.
    const lastPerKey = distinct === accepted ? `SELECT ${columnList} FROM ${staged} s` : `SELECT ${columnList}
    FROM ${staged} s
    JOIN (SELECT MAX(line) AS line FROM ${staged} GROUP BY ${key}) last_row ON last_row.line = s.line`;
    lap("countKeysMs");
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
      const done = resumed?.phase === "upsert"
        ? { from: resumed.upsertFrom, inserted: resumed.inserted, updated: resumed.updated }
        : undefined;
      counts = await upsertInLineRanges(wh, target, columns, key, lastPerKey, staged, distinct, chunkLines, {
        done,
        beforeRange: (tx) => assertOnStageNode(tx, staging),
        // Each range commits with the record of the next one, and of what the committed ones did.
        afterRange: (tx, next) =>
          saveLoadProgress(tx, {
            ...progressOf(),
            phase: "upsert",
            nextLine,
            rowsCommitted: committed,
            upsertFrom: next.from,
            inserted: next.inserted,
            updated: next.updated,
          }),
      });
    }
    lap("upsertMs");
    if (staging.node !== null) {
      presentAtLoad = await wh.transaction(async (tx) => {
        await assertOnStageNode(tx, staging);
        const [{ n }] = await tx.query<{ n: number }>(
          `SELECT COUNT(DISTINCT s.${key}) AS n FROM ${staged} s JOIN ${target} t ON t.${key} = s.${key}`,
        );
        return Number(n);
      });
      lap("presentMs");
    }
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
    ...(!direct && staging.table !== stage ? { stagingTable: staging.table } : {}),
    ...(presentAtLoad !== undefined ? { presentAtLoad } : {}),
    ...(resumed
      ? {
        resumedAt: {
          line: resumed.nextLine,
          runId: resumed.runId,
          rowsCommitted: resumed.rowsCommitted,
          phase: resumed.phase,
        },
      }
      : {}),
    rowsRead,
    loaded: distinct,
    rejected: rejects.count,
    duplicates: accepted - distinct,
    ...counts,
    rejectedByReason,
    coerced,
    timings,
    lines: { ...source.lineUse(), physical: await physical },
  };
  await runStore.writeFileStats(ctx.runId, {
    file: csv.file,
    rowsRead,
    loaded: distinct,
    rejected: rejects.count,
    duplicates: accepted - distinct,
    details,
  });
  if (chunkLines !== undefined) await clearLoadProgress(wh, csv.file);
  return {
    rowsRead,
    rowsWritten: counts.inserted + counts.updated,
    rowsRejected: rejects.count,
    totalRows: rowsRead,
    details,
    validation: source.result(),
  };
}

/** The rows of `batches` without their first value, the line. */
async function* withoutLines(batches: AsyncIterable<SqlValue[][]>): AsyncGenerator<SqlValue[][]> {
  for await (const batch of batches) yield batch.map((row) => row.slice(1));
}

/** Where {@linkcode upsertInLineRanges} starts, when earlier ranges were committed, and what they did. */
interface RangesDone {
  /** The first staged line of the next range (`null`: none committed). */
  from: number | null;
  inserted: number;
  updated: number;
}

/** Options of {@linkcode upsertInLineRanges}. */
interface RangeOptions {
  done?: RangesDone;
  /** Run first in each range's transaction. */
  beforeRange?: (tx: Warehouse) => Promise<void>;
  /** Run last in each range's transaction, with what is done once it commits (to record it). */
  afterRange?: (tx: Warehouse, next: RangesDone & { from: number }) => Promise<void>;
}

/**
 * The staged upsert in bounded transactions: the last rows of each key, by ranges of staged lines, each
 * range committed on its own (each key's last row lies in exactly one range, so a rerun after a failure
 * redoes the same upserts: the result is the same). With `done`, the ranges before `done.from` are skipped
 * and their counts added.
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
  options: RangeOptions = {},
): Promise<UpsertCounts> {
  const [{ lo, hi }] = await wh.query<{ lo: number | null; hi: number | null }>(
    `SELECT MIN(line) AS lo, MAX(line) AS hi FROM ${stage}`,
  );
  let inserted = options.done?.inserted ?? 0;
  let updated = options.done?.updated ?? 0;
  // On s.line, the staged row: with the JOIN form the range narrows the join, not the grouping of last rows.
  const where = /\bJOIN\b/.test(lastPerKey) ? " AND" : " WHERE";
  for (let from = options.done?.from ?? lo ?? 0; hi !== null && from <= hi; from += chunkLines) {
    const ranged = `${lastPerKey}${where} s.line >= ${from} AND s.line < ${from + chunkLines}`;
    const { beforeRange, afterRange } = options;
    if (!beforeRange && !afterRange) {
      const synced = await syncFromSelect(wh, target, columns, [key], ranged, { incoming: 0 });
      inserted += synced.inserted;
      updated += synced.updated;
      continue;
    }
    [inserted, updated] = await wh.transaction(async (tx) => {
      await beforeRange?.(tx);
      const synced = await syncFromSelect(tx, target, columns, [key], ranged, { incoming: 0 });
      const next = {
        from: from + chunkLines,
        inserted: inserted + synced.inserted,
        updated: updated + synced.updated,
      };
      await afterRange?.(tx, next);
      return [next.inserted, next.updated];
    });
  }
  return { inserted, updated, unchanged: distinct - inserted - updated };
}

/**
 * The stored progress of `file` that this load may continue, or `undefined` (after saying why, when it was
 * asked to resume): only with `--resume` or in a retry of the same run, of the same file, with the staged
 * rows where they were committed.
 */
async function resumableProgress(
  ctx: NodeContext<PipelineServices>,
  file: string,
  target: string,
  identity: FileIdentity,
  staging: Staging,
): Promise<LoadProgress | undefined> {
  const wh = ctx.services.warehouse;
  const stored = await readLoadProgress(wh, file);
  if (!stored) return undefined;
  // An earlier run's chunks went into tables that `--fresh` dropped since.
  const asked = stored.runId === ctx.runId || (ctx.services.resume === true && !ctx.services.fresh);
  if (!asked) {
    await clearLoadProgress(wh, file);
    return undefined;
  }
  let why = whyNotResumable(stored, identity, staging);
  if (!why && stored.mode === "staged") {
    try {
      why = await wh.transaction(async (tx) => {
        await assertOnStageNode(tx, staging);
        // A staging table outside transactions (node-local) may hold rows of a chunk that did not commit.
        await tx.execute(`DELETE FROM ${staging.table} WHERE line >= ?`, [stored.nextLine]);
        const [{ n }] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${staging.table}`);
        return Number(n) === stored.rowsCommitted ? undefined : `${staging.table} holds ${n} rows, ` +
          `run ${stored.runId} had committed ${stored.rowsCommitted}`;
      });
    } catch (error) {
      if (wh.sql.isTransient(error)) throw error;
      why = `${staging.table} cannot be read (${(error as Error).message})`;
    }
  }
  if (!why && stored.mode === "direct" && stored.rowsCommitted > 0) {
    const [{ n }] = await wh.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${target}`);
    if (Number(n) === 0) {
      why = `${target} is empty, run ${stored.runId} had loaded ${stored.rowsCommitted} rows`;
    }
  }
  if (why) {
    ctx.log(`not resuming ${file} at line ${stored.nextLine}: ${why}; loading it from line 1`);
    await clearLoadProgress(wh, file);
    return undefined;
  }
  const where = stored.phase === "upsert"
    ? `every row was staged; upserting from staged line ${stored.upsertFrom}`
    : `${stored.rowsCommitted} rows were committed before it`;
  ctx.log(
    `resuming ${file} at line ${stored.nextLine} (run ${stored.runId}: ${where}); the lines before are ` +
      `read again for the counts, not written`,
  );
  return stored;
}
