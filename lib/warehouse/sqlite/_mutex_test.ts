import assert from "node:assert/strict";
import { Mutex } from "./_mutex.ts";

Deno.test("Mutex.run() never overlaps calls and keeps their order", async () => {
  const mutex = new Mutex();
  const events: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const task = (name: string, ticks: number) =>
    mutex.run(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      events.push(`start ${name}`);
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      events.push(`end ${name}`);
      running--;
      return name;
    });
  const results = await Promise.all([task("a", 5), task("b", 1), task("c", 3)]);
  assert.deepEqual(results, ["a", "b", "c"]);
  assert.equal(maxRunning, 1);
  assert.deepEqual(events, ["start a", "end a", "start b", "end b", "start c", "end c"]);
});

Deno.test("Mutex.run() goes on after a rejected call", async () => {
  const mutex = new Mutex();
  const failed = mutex.run(() => Promise.reject(new Error("boom")));
  const next = mutex.run(() => "next");
  await assert.rejects(failed, /boom/);
  assert.equal(await next, "next");
});
