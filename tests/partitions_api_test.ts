/**
 * `GET /api/etl/partitions` in process: the ledger of a partitioned (messy) dataset with each day's state in
 * the latest load, and `partitioned: false` for a single sessions file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { appendDays, generateDataset, partitionSessionsByDay } from "../lib/generate/mod.ts";
import { openWorkbench, runWorkbench } from "../lib/pipelines/mod.ts";
import { createApp, EtlMonitor, type PartitionsAnswer } from "../lib/server/mod.ts";

async function answer(dataDir: string, state: string, before: (run: () => Promise<void>) => Promise<void>) {
  await using workbench = await openWorkbench({ stateDir: state });
  const run = async () => {
    const result = await runWorkbench(workbench, { dataDir, missingWatchDateLimit: 1 });
    assert.deepEqual(
      result.nodes.filter((n) => n.status !== "success").map((n) => `${n.nodeId}: ${n.error}`),
      [],
    );
  };
  await before(run);
  const monitor = new EtlMonitor({ workbench, dataDir });
  const app = createApp({ monitor });
  try {
    const res = await app.request("/api/etl/partitions");
    assert.equal(res.status, 200);
    return await res.json() as PartitionsAnswer & { success: boolean };
  } finally {
    app.close();
    await monitor.close();
  }
}

Deno.test("GET /api/etl/partitions: each day with its rows and its state in the latest load", async () => {
  const dir = await Deno.makeTempDir({ prefix: "partitions_api_" });
  try {
    const data = join(dir, "data");
    await generateDataset({ outDir: data, users: 80, sessions: 1_500, messy: true, seed: 3 });
    await partitionSessionsByDay(data);
    let added: string[] = [];
    const body = await answer(data, join(dir, "state"), async (run) => {
      await run();
      added = (await appendDays(data, 2, 3, { replace: false })).map((f) => f.path);
      await run();
    });
    assert.equal(body.success, true);
    assert.equal(body.partitioned, true);
    assert.deepEqual(body.latest?.files, {
      new: 2,
      changed: 0,
      unchanged: body.partitions.length - 2,
      removed: 0,
      outside: 0,
    });
    const fresh = body.partitions.filter((p) => p.state === "new").map((p) => p.file);
    assert.deepEqual(fresh, added.map((path) => `viewing_sessions/${path.split("/").at(-1)}`));
    for (const p of body.partitions) {
      assert.equal(p.rowsRead, p.rowsLoaded + p.rowsRejected + p.rowsReplaced, `${p.file} reconciles`);
    }
    const lines = (await Deno.readTextFile(added[0])).split("\n").filter((l) => l !== "").length - 1;
    assert.equal(body.partitions.find((p) => p.state === "new")!.rowsRead, lines);
    assert.ok(body.partitions.some((p) => p.rowsRejected > 0), "the messy dataset's rejects show per day");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("GET /api/etl/partitions: a single sessions file has no partitions", async () => {
  const dir = await Deno.makeTempDir({ prefix: "partitions_api_single_" });
  try {
    const data = join(dir, "data");
    await generateDataset({ outDir: data, users: 40, sessions: 300 });
    const body = await answer(data, join(dir, "state"), (run) => run());
    assert.equal(body.partitioned, false);
    assert.deepEqual(body.partitions, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
