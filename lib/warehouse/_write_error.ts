import type { WriteAction } from "./_check_rows.ts";

/**
 * The error to throw when an upsert or bulk insert into `table` fails: the driver's error wrapped in one that
 * names the table (with `{ cause }`), or our own RangeError from the row checks unchanged.
 */
export function writeError(action: WriteAction, table: string, error: unknown): Error {
  const prefix = `Cannot ${action} into "${table}": `;
  if (error instanceof Error && error.message.startsWith(prefix)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(prefix + reason, { cause: error });
}
