/// <reference lib="deno.worker" />
/**
 * The heartbeat of a run's lease, on a thread of its own with its own connection to the live channel: a
 * long synchronous SQLite statement on the run's thread (an index build, a set-based upsert) cannot hold it
 * back, so a run is only taken for abandoned when its process stopped. Posts `lost` when the lease was taken.
 */
import type { Warehouse } from "../warehouse/mod.ts";
import { openWarehouse } from "../warehouse/mod.ts";

/** What the run's thread sends. */
export type HeartbeatRequest =
  | { type: "start"; url: string; stateDir?: string; runId: string; intervalMs: number }
  | { type: "stop" };

/** What the heartbeat thread sends back. */
export type HeartbeatReply = { type: "started" } | { type: "lost" } | { type: "error"; message: string } | {
  type: "stopped";
};

let wh: Warehouse | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let beating = false;
const post = (reply: HeartbeatReply) => self.postMessage(reply);
const stamp = () => new Date().toISOString().replace("T", " ").replace("Z", "");

async function beat(runId: string): Promise<void> {
  if (beating || !wh) return;
  beating = true;
  try {
    const changed = await wh.execute("UPDATE etl_lease SET heartbeat_at = ? WHERE name = ? AND run_id = ?", [
      stamp(),
      "run",
      runId,
    ]);
    if (changed === 0) {
      clearInterval(timer);
      post({ type: "lost" });
    }
  } catch (error) {
    post({ type: "error", message: (error as Error).message });
  } finally {
    beating = false;
  }
}

self.onmessage = async ({ data }: MessageEvent<HeartbeatRequest>) => {
  if (data.type === "start") {
    try {
      wh = await openWarehouse(data.url, { stateDir: data.stateDir, poolSize: 1 });
    } catch (error) {
      post({ type: "error", message: (error as Error).message });
      return;
    }
    const { runId, intervalMs } = data;
    timer = setInterval(() => beat(runId), intervalMs);
    post({ type: "started" });
    return;
  }
  clearInterval(timer);
  while (beating) await new Promise((resolve) => setTimeout(resolve, 5));
  await wh?.close().catch(() => {});
  post({ type: "stopped" });
};
