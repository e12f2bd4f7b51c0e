import assert from "node:assert/strict";
import type { NodeRunResult, RunResult } from "../dag/mod.ts";
import { parseEtlArgs } from "./parse_etl_args.ts";
import { formatPartitionSummary } from "./partition_summary.ts";
import { parsePartitionRange } from "./parse_partition_range.ts";

const node = (nodeId: string, details: Record<string, unknown>): NodeRunResult => ({
  nodeId,
  status: "success",
  attempts: 1,
  startedAt: null,
  finishedAt: null,
  durationMs: 1,
  error: null,
  rowsRead: 0,
  rowsWritten: 0,
  rowsRejected: 0,
  details,
});
const run = (nodes: NodeRunResult[]): RunResult => ({
  runId: "r",
  status: "success",
  startedAt: new Date(0),
  finishedAt: new Date(1),
  nodes,
});

Deno.test("formatPartitionSummary says how many files were new, changed, skipped, and what was recomputed", () => {
  const text = formatPartitionSummary(run([
    node("process_users", { skipped: true }),
    node("process_sessions", {
      mode: "partitioned",
      refresh: "incremental",
      files: { new: 1, changed: 2, unchanged: 244, removed: 1, outside: 0 },
      touchedSessions: 950,
      touchedUsers: 812,
      sessions: 223_000,
    }),
  ]));
  assert.equal(
    text,
    [
      "session files: 1 new, 2 changed, 244 unchanged (skipped), 1 removed",
      "users.csv: unchanged (skipped)",
      "incremental, 223,000 sessions: 950 sessions and 812 users recomputed",
    ].join("\n"),
  );
  const full = formatPartitionSummary(run([
    node("process_sessions", {
      mode: "partitioned",
      refresh: "full",
      reason: "--full-refresh",
      files: { new: 0, changed: 0, unchanged: 245, removed: 0, outside: 0 },
      sessions: 10,
    }),
  ]));
  assert.match(full, /^full refresh \(--full-refresh\), 10 sessions: all recomputed$/m);
  for (const line of [...text.split("\n"), ...full.split("\n")]) assert.ok(line.length <= 80, line);
  assert.equal(formatPartitionSummary(run([node("process_sessions", { mode: "staged" })])), "");
});

Deno.test("--full-refresh and --partitions FROM..TO", () => {
  const args = parseEtlArgs(["--full-refresh", "--partitions", "2024-09-01..2024-09-07"]);
  assert.equal(args.fullRefresh, true);
  assert.deepEqual(args.partitions, ["2024-09-01", "2024-09-07"]);
  assert.deepEqual(parseEtlArgs([]).partitions, undefined);
  assert.deepEqual(parsePartitionRange("2024-09-03"), ["2024-09-03", "2024-09-03"]);
  assert.throws(() => parsePartitionRange("2024-09-07..2024-09-01"), /FROM <= TO/);
  assert.throws(() => parseEtlArgs(["--partitions", "a..b..c"]), /--partitions must be FROM\.\.TO/);
});
