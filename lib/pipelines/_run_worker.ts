/// <reference lib="deno.worker" />
/**
 * The worker side of {@linkcode runWorkbenchInWorker}: opens its own workbench on the same stores, runs one
 * run, posts every event and the result, and cancels the run when asked.
 */
import type { RunResult } from "../dag/mod.ts";
import type { WorkerReply, WorkerRequest } from "./run_in_worker.ts";
import { openWorkbench, runWorkbench } from "./workbench.ts";

const controller = new AbortController();
const post = (reply: WorkerReply) => self.postMessage(reply);

self.onmessage = async ({ data }: MessageEvent<WorkerRequest>) => {
  if (data.type === "cancel") {
    controller.abort(new Error(data.reason));
    return;
  }
  let result: RunResult;
  try {
    await using workbench = await openWorkbench(data.open);
    result = await runWorkbench(workbench, {
      ...data.options,
      signal: controller.signal,
      onEvent: (event) => post({ type: "event", event }),
    });
  } catch (error) {
    post({ type: "error", name: (error as Error).name, message: (error as Error).message });
    return;
  }
  // After the workbench closed: the stores are flushed when the main thread hears of the end.
  post({ type: "done", result });
};
