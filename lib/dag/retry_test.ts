import assert from "node:assert/strict";
import { retry } from "./retry.ts";

/** A fake clock that sleeping advances. */
function clock() {
  let t = 0;
  const delays: number[] = [];
  return {
    delays,
    now: () => t,
    sleep: (ms: number) => {
      delays.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

Deno.test("retry() backs off exponentially up to maxTimeout, then succeeds", async () => {
  const c = clock();
  const result = await retry(
    (attempt) => attempt < 6 ? Promise.reject(new Error("down")) : Promise.resolve(attempt),
    {
      maxAttempts: 10,
      minTimeout: 100,
      maxTimeout: 500,
      jitter: 0,
      ...c,
    },
  );
  assert.equal(result, 6);
  assert.deepEqual(c.delays, [100, 200, 400, 500, 500]);
});

Deno.test("retry() stops at the wall-clock budget, shortening the last wait to end at it", async () => {
  const c = clock();
  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      return Promise.reject(new Error("ECONNREFUSED"));
    }, { maxAttempts: 1000, minTimeout: 1000, maxTimeout: 4000, jitter: 0, budgetMs: 10_000, ...c }),
    { message: "ECONNREFUSED" },
  );
  assert.deepEqual(c.delays, [1000, 2000, 4000, 3000]);
  assert.equal(calls, 5);
  assert.equal(c.now(), 10_000);
});

Deno.test("retry() throws a non-retriable error at once, and honours maxAttempts and jitter", async () => {
  const c = clock();
  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      return Promise.reject(new TypeError("bug"));
    }, { isRetriable: (e) => !(e instanceof TypeError), ...c }),
    TypeError,
  );
  assert.equal(calls, 1);
  const d = clock();
  await assert.rejects(
    retry(() => Promise.reject(new Error("x")), {
      maxAttempts: 3,
      minTimeout: 100,
      jitter: 0.5,
      random: () => 1,
      ...d,
    }),
  );
  assert.deepEqual(d.delays, [50, 100]);
});

Deno.test("retry() gives up waiting when the signal aborts", async () => {
  const controller = new AbortController();
  const pending = retry(() => Promise.reject(new Error("down")), {
    minTimeout: 60_000,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(new Error("cancelled")), 5);
  await assert.rejects(pending, { message: "cancelled" });
});
