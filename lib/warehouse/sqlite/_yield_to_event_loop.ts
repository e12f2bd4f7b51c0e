/** When this thread last let timers and I/O run, shared by every SQLite warehouse in it. */
let lastYield = performance.now();

/**
 * Lets timers and I/O run (one macrotask) when `budgetMs` have passed since the last time. `node:sqlite`
 * runs statements synchronously and awaiting them only queues microtasks, so without this a run's chain of
 * statements keeps the thread from answering HTTP requests (the status API, the event stream) for seconds.
 */
export async function yieldToEventLoop(budgetMs = 50): Promise<void> {
  if (performance.now() - lastYield < budgetMs) return;
  await new Promise((resolve) => setTimeout(resolve, 1));
  lastYield = performance.now();
}
