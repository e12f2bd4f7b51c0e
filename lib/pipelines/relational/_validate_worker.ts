/**
 * The worker thread of {@linkcode validatedBatches}: reads one CSV file, validates every record with the
 * validator it is told to build, and posts the validated batches back, at most as many ahead as the main
 * thread has asked for (so that memory stays bounded when the writes are slower than the validation).
 *
 * Messages in: `start` (once), then `credit` (one more batch may be sent); out: `batch`, then `done` with the
 * reader's line tally and the validator's result, or `error`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { type InputKind, inputOf } from "../../contract/inputs.ts";
import { fieldsOf } from "../../contract/inputs.ts";
import { resolveHeader } from "../../contract/resolve_header.ts";
import { openCsv, type OpenCsvOptions } from "../../extract/open_csv.ts";
import { buildValidator, validateBatch, type ValidatorChoice } from "./row_validators.ts";
import type { ValidateReply, ValidateRequest } from "./validated_batches.ts";

let credits = 0;
let wake: (() => void) | undefined;
const post = (reply: ValidateReply) => self.postMessage(reply);

async function run(path: string, options: OpenCsvOptions, kind: InputKind, choice: ValidatorChoice) {
  const input = inputOf(kind);
  await using csv = await openCsv(path, options);
  const header = resolveHeader(input, csv.header, csv.file);
  const validator = buildValidator(choice);
  const columns = fieldsOf(input);
  for await (const batch of csv.batches()) {
    while (credits === 0) await new Promise<void>((resolve) => wake = resolve);
    credits--;
    post({ type: "batch", batch: validateBatch(validator, header, columns, batch) });
  }
  post({ type: "done", lineUse: csv.lineUse(), result: validator.finish?.() ?? null });
}

self.onmessage = ({ data }: MessageEvent<ValidateRequest>) => {
  if (data.type === "credit") {
    credits += data.batches;
    const woken = wake;
    wake = undefined;
    woken?.();
    return;
  }
  credits = data.window;
  run(data.path, data.options, data.kind, data.choice).catch((error: unknown) => {
    const { name = "Error", message = String(error) } = error as Partial<Error>;
    post({ type: "error", name, message });
  });
};
