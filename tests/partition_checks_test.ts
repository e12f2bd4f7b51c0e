/**
 * `validate_data`'s checks of an incremental run at scale (above the size compared whole): they judge what
 * the run touched, and still fail when a kept table is wrong. SQLite.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { appendDays, generateDataset, partitionSessionsByDay } from "../lib/generate/mod.ts";
import { openWorkbench, runWorkbench } from "../lib/pipelines/mod.ts";
import {
  fullRefreshChecks,
  keptSessionTotals,
  touchedOrphansSql,
  touchedScope,
} from "../lib/pipelines/relational/partition_checks.ts";

Deno.test("partition checks of an incremental run: scoped to what it touched, failing on a wrong table", async () => {
  const dir = await Deno.makeTempDir({ prefix: "partition_checks_" });
  try {
    const data = join(dir, "data");
    await generateDataset({ outDir: data, seed: 11, users: 60, sessions: 1_500 });
    await partitionSessionsByDay(data);
    await using wb = await openWorkbench({
      warehouseUrl: `sqlite:${join(dir, "wh.db")}`,
      docstoreUrl: `embedded:${join(dir, "docs")}`,
      stateDir: dir,
    });
    const run = async () => {
      const result = await runWorkbench(wb, { dataDir: data, missingWatchDateLimit: 1 });
      assert.deepEqual(result.nodes.filter((n) => n.status !== "success").map((n) => n.error), []);
    };
    await run();
    await appendDays(data, 1, 7);
    await run();
    const wh = wb.warehouse;

    // The kept totals are the sessions' own.
    const [scan] = await wh.query<{ sessions: number; minutes: number; missing: number }>(
      `SELECT COUNT(*) AS sessions, SUM(watch_duration_minutes) AS minutes,
              SUM(CASE WHEN watch_date IS NULL THEN 1 ELSE 0 END) AS missing FROM viewing_sessions`,
    );
    const kept = await keptSessionTotals(wh);
    assert.equal(kept.sessions, Number(scan.sessions));
    assert.equal(kept.missing, Number(scan.missing));
    assert.ok(Math.abs(kept.minutes! - Number(scan.minutes)) < 0.005);

    const users = (await wh.query<{ user_id: string }>("SELECT user_id FROM user_metrics ORDER BY user_id"))
      .map((r) => r.user_id);
    const scope = touchedScope({
      mode: "incremental",
      touchedSessions: 1,
      touchedUsers: 1,
      metricsUsers: users,
    })!;
    assert.equal(touchedScope({ mode: "full", touchedSessions: 0, touchedUsers: 0 }), undefined);
    // A session count above the whole comparison's limit: the sampled, scoped branch.
    const checks = async () =>
      new Map((await fullRefreshChecks(wh, 10_000_000, scope)).map((c) => [c.name, c]));
    const good = await checks();
    assert.deepEqual(
      [...good.values()].filter((c) => c.status !== "pass").map((c) => c.name),
      [],
      "every check passes",
    );
    assert.match(good.get("user_metrics_equals_full_refresh")!.observed, /sampled users of the 60/);
    assert.equal(await scope.uncoveredMetricsUsers(wh), 0);

    await wh.execute("UPDATE user_metrics SET total_sessions = total_sessions + 1 WHERE user_id = ?", [
      users[0],
    ]);
    assert.equal((await checks()).get("user_metrics_equals_full_refresh")!.status, "fail");
    await wh.execute("DELETE FROM user_metrics WHERE user_id = ?", [users[1]]);
    assert.equal(await scope.uncoveredMetricsUsers(wh), 1, "a missing row of a recomputed user is counted");

    const [cell] = await wh.query<{ user_id: string; device_type: string }>(
      "SELECT user_id, device_type FROM part_user_device_cube ORDER BY user_id LIMIT 1",
    );
    await wh.execute(
      "UPDATE part_user_device_cube SET sessions = sessions + 1 WHERE user_id = ? AND device_type = ?",
      [cell.user_id, cell.device_type],
    );
    const wrong = await checks();
    assert.equal(wrong.get("part_user_device_cube_equals_full_refresh")!.status, "fail");
    assert.equal(wrong.get("part_session_cube_equals_full_refresh")!.status, "fail");
    assert.equal(wrong.get("part_content_cube_equals_full_refresh")!.status, "pass");

    // An orphan among the sessions this run loaded is found.
    assert.equal(Number((await wh.query<{ n: number }>(touchedOrphansSql))[0].n), 0);
    const [touched] = await wh.query<{ session_id: string }>(
      "SELECT session_id FROM etl_touched_sessions LIMIT 1",
    );
    assert.ok(touched, "the run touched sessions");
    await wh.execute("UPDATE viewing_sessions SET user_id = 'NOBODY' WHERE session_id = ?", [
      touched.session_id,
    ]);
    assert.equal(Number((await wh.query<{ n: number }>(touchedOrphansSql))[0].n), 1);

    // A warehouse with sessions but without the per-user sums (kept since issue 16): a full refresh.
    await wh.execute("DELETE FROM part_user_device_cube");
    const result = await runWorkbench(wb, { dataDir: data, missingWatchDateLimit: 1 });
    assert.deepEqual(result.nodes.filter((n) => n.status !== "success").map((n) => n.error), []);
    const loaded = result.nodes.find((n) => n.nodeId === "process_sessions")!.details as { reason?: string };
    assert.equal(loaded.reason, "no per-user sums yet");
    const [{ n: rebuilt }] = await wh.query<{ n: number }>(
      "SELECT SUM(sessions) AS n FROM part_user_device_cube",
    );
    assert.equal(Number(rebuilt), kept.sessions);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
