import type { InputKind, InputSpec } from "../../contract/inputs.ts";
import { fieldsOf } from "../../contract/inputs.ts";
import type { ResolvedHeader } from "../../contract/resolve_header.ts";
import type { CsvLineUse, CsvSource, OpenCsvOptions } from "../../extract/open_csv.ts";
import {
  buildValidator,
  validateBatch,
  type ValidatedBatch,
  type ValidatorChoice,
} from "./row_validators.ts";

/** What the main thread sends the validation worker. */
export type ValidateRequest =
  | {
    type: "start";
    path: string;
    options: Omit<OpenCsvOptions, "signal">;
    kind: InputKind;
    choice: ValidatorChoice;
    /** Batches the worker may send before it is given more credit. */
    window: number;
  }
  | { type: "credit"; batches: number };

/** What the validation worker sends back. */
export type ValidateReply =
  | { type: "batch"; batch: ValidatedBatch }
  | { type: "done"; lineUse: CsvLineUse; result: unknown }
  | { type: "error"; name: string; message: string };

/** A file's records, validated, in batches: on this thread or in a worker. */
export interface ValidatedSource {
  /** Validates the file's records in batches, in file order; call once. */
  batches(): AsyncGenerator<ValidatedBatch>;
  /** How the reader used the file's lines (complete once `batches()` is done). */
  lineUse(): CsvLineUse;
  /** The validator's result ({@linkcode RowValidator.finish}), once `batches()` is done. */
  result(): unknown;
  /** Whether the validation runs in a worker. */
  readonly inWorker: boolean;
}

/** Options of {@linkcode validatedBatches}. */
export interface ValidatedBatchesOptions {
  /** Validate in a worker thread, which opens the file again with `open`. */
  inWorker: boolean;
  /** How the worker opens the file (as `csv` was opened). */
  open: Omit<OpenCsvOptions, "signal">;
  signal?: AbortSignal;
}

/** Batches a worker may validate ahead of the writes: enough to keep both threads busy, few enough to be small. */
const WINDOW = 4;

const ERRORS: Record<string, new (message: string) => Error> = { RangeError, TypeError, SyntaxError };

/**
 * The records of `csv` (opened, header read and resolved as `header`), validated by the validator `choice`
 * names. In a worker the file is read and validated there, on the other core, while this thread writes the
 * rows of the batches before: the main thread then spends its time on the database's protocol, not on
 * parsing. Either way the batches, rejects, coercions and counts are the same ({@linkcode validateBatch}).
 */
export function validatedBatches(
  csv: CsvSource,
  input: InputSpec,
  header: ResolvedHeader,
  choice: ValidatorChoice,
  options: ValidatedBatchesOptions,
): ValidatedSource {
  if (!options.inWorker) {
    const validator = buildValidator(choice);
    const columns = fieldsOf(input);
    let result: unknown;
    return {
      inWorker: false,
      async *batches() {
        for await (const batch of csv.batches()) yield validateBatch(validator, header, columns, batch);
        result = validator.finish?.() ?? null;
      },
      lineUse: () => csv.lineUse(),
      result: () => result,
    };
  }
  let done: Extract<ValidateReply, { type: "done" }> | undefined;
  const { signal } = options;
  return {
    inWorker: true,
    async *batches() {
      signal?.throwIfAborted();
      const worker = new Worker(new URL("./_validate_worker.ts", import.meta.url).href, { type: "module" });
      const replies: ValidateReply[] = [];
      let failed: Error | undefined;
      let wake: (() => void) | undefined;
      const notify = () => {
        const woken = wake;
        wake = undefined;
        woken?.();
      };
      worker.onmessage = ({ data }: MessageEvent<ValidateReply>) => {
        replies.push(data);
        notify();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        failed = new Error(`Cannot validate "${csv.file}": its worker failed: ${event.message}`);
        notify();
      };
      signal?.addEventListener("abort", notify);
      try {
        worker.postMessage(
          {
            type: "start",
            path: csv.path,
            options: options.open,
            kind: input.kind,
            choice,
            window: WINDOW,
          } satisfies ValidateRequest,
        );
        for (;;) {
          while (replies.length === 0 && !failed && !signal?.aborted) {
            await new Promise<void>((resolve) => wake = resolve);
          }
          signal?.throwIfAborted();
          if (failed) throw failed;
          const reply = replies.shift()!;
          if (reply.type === "error") throw new (ERRORS[reply.name] ?? Error)(reply.message);
          if (reply.type === "done") {
            done = reply;
            return;
          }
          // Credit first: the worker validates the next batch while this one is written.
          worker.postMessage({ type: "credit", batches: 1 } satisfies ValidateRequest);
          yield reply.batch;
        }
      } finally {
        signal?.removeEventListener("abort", notify);
        worker.terminate();
      }
    },
    lineUse: () => {
      if (!done) throw new Error(`Cannot tell how "${csv.file}" was read before it is read to the end`);
      return done.lineUse;
    },
    result: () => done?.result,
  };
}
