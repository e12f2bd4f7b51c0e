import type { RejectReason, RowResult } from "./types.ts";

/** A failed {@linkcode RowResult}: the reason, the canonical field at fault and its raw text (NULL if absent). */
export function rejectRow<T>(
  reason: RejectReason,
  field: string | null,
  value: string | null | undefined,
): RowResult<T> {
  return { ok: false, reject: { reason, field, value: value ?? null } };
}
