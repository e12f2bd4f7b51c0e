import assert from "node:assert/strict";
import type { StoredNodeRun } from "../pipelines/mod.ts";
import { nodeReportHtml } from "./node_report.ts";

const run = (extra: Partial<StoredNodeRun>): StoredNodeRun => ({
  runId: "r",
  nodeId: "process_users",
  status: "success",
  startedAt: null,
  finishedAt: null,
  durationMs: 100,
  attempts: 1,
  rowsRead: 304,
  rowsWritten: 0,
  rowsRejected: 4,
  error: null,
  details: null,
  ...extra,
});

Deno.test("nodeReportHtml() says what a person would: nothing changed, N valid, or N out", async (t) => {
  await t.step("a rerun load of the same file: nothing changed since the last load", () => {
    const html = nodeReportHtml({
      node: run({ details: { loaded: 300, inserted: 0, updated: 0, unchanged: 300, duplicates: 0 } }),
      rejects: [],
    });
    assert.match(html, /304 rows in, nothing changed since the last load \(300 unchanged\), 4 rejected, /);
  });
  await t.step("a SQL node whose tables did not change sums its tables' unchanged rows", () => {
    const html = nodeReportHtml({
      node: run({
        nodeId: "generate_stats",
        rowsRejected: 0,
        details: {
          stats_device_usage: { inserted: 0, updated: 0, unchanged: 7 },
          stats_country: { unchanged: 20 },
        },
      }),
      rejects: [],
    });
    assert.match(html, /304 rows in, nothing changed since the last load \(27 unchanged\), /);
  });
  await t.step("validate_content: valid and rejected, not its rejects as out", () => {
    const html = nodeReportHtml({
      node: run({
        nodeId: "validate_content",
        rowsRead: 305,
        rowsWritten: 4,
        details: { valid: 300, rejected: 4 },
      }),
      rejects: [],
    });
    assert.match(html, /305 rows in, 300 valid, 4 rejected, /);
  });
  await t.step("otherwise the counts as they are", () => {
    const html = nodeReportHtml({ node: run({ rowsWritten: 300 }), rejects: [] });
    assert.match(html, /304 rows in, 300 out, 4 rejected, /);
  });
});
