/** The share of rejected rows above which a load logs a warning (it fails above its `maxRejectRate`). */
export const REJECT_RATE_WARN = 0.01;

/** What {@linkcode judgeRejectRate} is given about one file's load. */
export interface RejectTally {
  file: string;
  rowsRead: number;
  rejected: number;
  /** Rejects per reason, with the first rejected line and its field when known. */
  byReason: Record<string, { rows: number; line?: number; field?: string | null }>;
  runId: string;
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1).replace(/\.?0+$/, "")} %`;
const count = (n: number) => n.toLocaleString("en-US");

/**
 * Judges a file's reject rate against the quality gate: `fail` with an error naming the reasons above
 * `maxRejectRate`, `warn` with a log line above 1 %, else `pass`.
 *
 * @example
 * ```ts
 * import { judgeRejectRate } from "./reject_gate.ts";
 *
 * const runId = "r1";
 * judgeRejectRate({ file: "users.csv", rowsRead: 200, rejected: 200, byReason: { malformed: { rows: 200, line: 2 } }, runId }, 0.05);
 * // { status: "fail", message: "Cannot accept users.csv: 200 of 200 rows of users.csv rejected (100 %), more than ..." }
 * ```
 */
export function judgeRejectRate(
  tally: RejectTally,
  maxRejectRate: number,
): { status: "pass" | "warn" | "fail"; message: string } {
  const rate = tally.rowsRead > 0 ? tally.rejected / tally.rowsRead : 0;
  const reasons = Object.entries(tally.byReason)
    .sort((a, b) => b[1].rows - a[1].rows)
    .map(([reason, r]) =>
      `${count(r.rows)} ${reason}${
        r.line === undefined ? "" : ` (first on line ${r.line}${r.field ? `, field "${r.field}"` : ""})`
      }`
    );
  const what = `${count(tally.rejected)} of ${count(tally.rowsRead)} rows of ${tally.file} rejected (${
    percent(rate)
  })`;
  if (rate > maxRejectRate) {
    return {
      status: "fail",
      message: `Cannot accept ${tally.file}: ${what}, more than the ${
        percent(maxRejectRate)
      } allowed (--max-reject-rate): ${reasons.join(", ")}; see deno task rejects ${tally.runId}`,
    };
  }
  if (rate > REJECT_RATE_WARN) return { status: "warn", message: `warning: ${what}: ${reasons.join(", ")}` };
  return { status: "pass", message: "" };
}
