import type { RunResult } from "../dag/mod.ts";

interface Details {
  mode?: string;
  refresh?: string;
  reason?: string;
  files?: { new: number; changed: number; unchanged: number; removed: number; outside: number };
  touchedSessions?: number;
  touchedUsers?: number;
  sessions?: number;
  skipped?: boolean;
}

/**
 * The lines the summary of `deno task etl` adds for a partitioned dataset (a `viewing_sessions/` folder):
 * how many files were new, changed, skipped, and what the run recomputed. Empty for a single sessions file.
 *
 * @example
 * ```ts
 * formatPartitionSummary({ runId: "r", status: "success", startedAt: new Date(), finishedAt: new Date(), nodes: [] });
 * // ""
 * ```
 */
export function formatPartitionSummary(result: RunResult): string {
  const sessions = result.nodes.find((n) => n.nodeId === "process_sessions")?.details as Details | undefined;
  if (sessions?.mode !== "partitioned" || !sessions.files) return "";
  const users = result.nodes.find((n) => n.nodeId === "process_users")?.details as Details | undefined;
  const f = sessions.files;
  const parts = [`${f.new} new`, `${f.changed} changed`, `${f.unchanged} unchanged (skipped)`];
  if (f.removed) parts.push(`${f.removed} removed`);
  if (f.outside) parts.push(`${f.outside} outside --partitions (left as they are)`);
  // Each line fits 80 columns.
  const total = `${(sessions.sessions ?? 0).toLocaleString("en-US")} sessions`;
  const refresh = sessions.refresh === "full"
    ? `full refresh${sessions.reason ? ` (${sessions.reason})` : ""}, ${total}: all recomputed`
    : sessions.refresh === "incremental"
    ? `incremental, ${total}: ${sessions.touchedSessions ?? 0} sessions and ${
      sessions.touchedUsers ?? 0
    } users recomputed`
    : `nothing new, ${total}: derived tables left as they are`;
  return [
    `session files: ${parts.join(", ")}`,
    `users.csv: ${users?.skipped ? "unchanged (skipped)" : "loaded"}`,
    refresh,
  ].join("\n");
}
