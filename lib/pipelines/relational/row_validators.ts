/**
 * The validators of the CSV loads, by name, and the one function that runs a validator over a batch of
 * records. Both the main thread and the validation worker (`_validate_worker.ts`) build a validator from its
 * name and a plain `init` value, so that a load validates the same way wherever it runs: in the worker for a
 * large file (the main thread then only writes), on the main thread for a small one.
 *
 * This module's imports are kept to the contract, the CSV reader's types and the users' index: the worker
 * loads it. (The sessions' cubes are summed on the main thread, from the batches: the worker has the more
 * work of the two.)
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { RawRow, RejectReason, RowResult, SessionRecord, UserRecord } from "../../contract/types.ts";
import type { ResolvedHeader } from "../../contract/resolve_header.ts";
import { rowFromValues } from "../../contract/row_from_values.ts";
import { validateSession } from "../../contract/validate_session.ts";
import { validateUser } from "../../contract/validate_user.ts";
import type { CsvBatch } from "../../extract/open_csv.ts";
import type { SqlValue } from "../../warehouse/types.ts";
import { type UserGroups, UserIndex } from "../session_cubes.ts";

/** Characters of a reject's raw line and value that are stored; a longer text is cut, with its length. */
export const REJECT_TEXT_CHARS = 4096;

/** A reject's text as stored: at most {@linkcode REJECT_TEXT_CHARS}, then a note of what was cut. */
export function capRejectText(text: string | null): string | null {
  if (text === null || text.length <= REJECT_TEXT_CHARS) return text;
  const sha256 = createHash("sha256").update(text).digest("hex");
  return `${text.slice(0, REJECT_TEXT_CHARS)}... [cut: ${text.length} characters in all, sha256 ${sha256}]`;
}

/** A row validator: checks and converts one raw row; may watch the accepted ones and report at the end. */
export interface RowValidator<T> {
  validate(raw: RawRow): RowResult<T>;
  /** Called for every accepted record, in file order. */
  onAccepted?(record: T): void;
  /** What the validator gathered, once every batch is validated (a plain value: it may cross threads). */
  finish?(): unknown;
}

/** What the sessions' validator is built from. */
export interface SessionsValidatorInit {
  /** The loaded users (a session of another user is rejected `unknown_user`), with their cube groups. */
  users: UserGroups;
}

/** What the sessions' validator reports at the end. */
export interface SessionsValidation {
  missingWatchDate: number;
}

/** The validators by name, each built from a plain value. */
export const ROW_VALIDATORS = {
  users: (_init: null): RowValidator<UserRecord> => ({ validate: validateUser }),
  sessions: (init: SessionsValidatorInit): RowValidator<SessionRecord> => {
    const users = new UserIndex(init.users.index);
    const isKnownUser = (id: string) => users.get(id) !== undefined;
    let missingWatchDate = 0;
    return {
      validate: (raw) => validateSession(raw, { isKnownUser }),
      onAccepted: (record) => {
        if (record.watch_date === null) missingWatchDate++;
      },
      finish: (): SessionsValidation => ({ missingWatchDate }),
    };
  },
};

/** A validator's name with what it is built from. */
export type ValidatorChoice = {
  [K in keyof typeof ROW_VALIDATORS]: { name: K; init: Parameters<(typeof ROW_VALIDATORS)[K]>[0] };
}[keyof typeof ROW_VALIDATORS];

/** Builds the validator `choice` names. */
export function buildValidator(choice: ValidatorChoice): RowValidator<Record<string, unknown>> {
  const make = ROW_VALIDATORS[choice.name] as unknown as (
    init: unknown,
  ) => RowValidator<Record<string, unknown>>;
  return make(choice.init);
}

/** One reject: line, reason, field, value and raw line (both capped by {@linkcode capRejectText}). */
export type RejectEntry = [number, RejectReason, string | null, string | null, string];
/** One coerced value: line, field, the file's value, what is stored instead. */
export type CoercionEntry = [number, string, string | null, SqlValue];

/** A batch of CSV records, validated: plain arrays, cheap to post from a worker (no object per row). */
export interface ValidatedBatch {
  /** The accepted rows, flat: each is its line number, then its value for each column, in column order. */
  rows: SqlValue[];
  /** Malformed lines first, then the rows rejected, in file order within each. */
  rejects: RejectEntry[];
  coercions: CoercionEntry[];
  /** Records and malformed lines read. */
  read: number;
  /** Bytes of the records' text, for an estimate of the file's rows. */
  bytes: number;
}

/** Validates one batch of records: what the load writes, rejects and logs, in file order. */
export function validateBatch(
  validator: RowValidator<Record<string, unknown>>,
  header: ResolvedHeader,
  columns: readonly string[],
  batch: CsvBatch,
): ValidatedBatch {
  const rows: SqlValue[] = [];
  const rejects: RejectEntry[] = [];
  const coercions: CoercionEntry[] = [];
  let bytes = 0;
  for (const bad of batch.malformed) {
    // An over-long or undecodable line keeps a prefix as raw; value says its length and hash.
    const note = bad.bad ? `${bad.bad.bytes} bytes, sha256 ${bad.bad.sha256}` : null;
    rejects.push([bad.line, bad.bad?.reason ?? "malformed", null, note, capRejectText(bad.raw)!]);
  }
  for (const record of batch.records) {
    bytes += record.raw.length + 1;
    const raw = rowFromValues(header, record.values);
    const result = validator.validate(raw);
    if (!result.ok) {
      const { reason, field, value } = result.reject;
      rejects.push([record.line, reason, field, capRejectText(value), capRejectText(record.raw)!]);
      continue;
    }
    for (const field of result.coerced) {
      coercions.push([record.line, field, raw[field] ?? null, result.record[field] as SqlValue]);
    }
    validator.onAccepted?.(result.record);
    rows.push(record.line);
    for (const column of columns) rows.push(result.record[column] as SqlValue);
  }
  return { rows, rejects, coercions, read: batch.records.length + batch.malformed.length, bytes };
}
