import assert from "node:assert/strict";
import { openWarehouse } from "../mod.ts";
import { yieldToEventLoop } from "./_yield_to_event_loop.ts";

Deno.test("yieldToEventLoop() lets timers run only once the budget is spent", async () => {
  await yieldToEventLoop(0);
  let fired = false;
  const timer = setTimeout(() => fired = true, 0);
  await yieldToEventLoop(60_000);
  assert.equal(fired, false, "within the budget: no macrotask");
  await yieldToEventLoop(0);
  assert.equal(fired, true, "budget spent: the timer ran");
  clearTimeout(timer);
});

Deno.test("a chain of awaited SQLite statements lets timers (and so HTTP requests) run", async () => {
  await using wh = await openWarehouse("sqlite::memory:");
  await wh.execute("CREATE TABLE t (n INTEGER)");
  let fired = false;
  const timer = setTimeout(() => fired = true, 0);
  // Without yielding, awaiting synchronous statements only queues microtasks: the timer could never fire
  // before the loop ends, however long it runs.
  let statements = 0;
  while (!fired && statements < 200_000) {
    await wh.query(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200) SELECT SUM(x) FROM c",
    );
    statements++;
  }
  clearTimeout(timer);
  assert.ok(fired, `the timer never ran during ${statements} statements`);
});
