/**
 * Options of {@linkcode retry}, shaped like those of Deno std's `retry` (`@std/async/retry`), plus a
 * wall-clock budget, a signal and injectable clock, sleep and randomness for tests.
 */
export interface RetryCallOptions {
  /**
   * Attempts in all, the first one included.
   * @default 5
   */
  maxAttempts?: number;
  /**
   * Delay before the first retry, in milliseconds.
   * @default 1000
   */
  minTimeout?: number;
  /**
   * Longest delay between attempts, in milliseconds.
   * @default 60_000
   */
  maxTimeout?: number;
  /**
   * Factor by which the delay grows after each retry.
   * @default 2
   */
  multiplier?: number;
  /**
   * Share of each delay drawn at random (0: none; 1: anything from 0 to the full delay), so that parallel
   * retries spread out.
   * @default 1
   */
  jitter?: number;
  /**
   * Whether an error is worth another attempt; one that is not is thrown at once.
   * @default () => true
   */
  isRetriable?: (error: unknown) => boolean;
  /**
   * Wall-clock time, from the first attempt, after which no retry starts; the last delay is shortened to
   * end at the budget, so that a server that comes back just before it is still reached.
   * @default Infinity
   */
  budgetMs?: number;
  /** Cancels the waiting between attempts (the wait rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called before each wait with the error, the attempt that failed (1-based) and the delay. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** @default a setTimeout-based sleep that the signal cuts short */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** @default Math.random */
  random?: () => number;
  /** @default performance.now */
  now?: () => number;
}

/**
 * Calls `fn` until it resolves, retrying errors that `isRetriable` accepts with capped exponential backoff
 * and jitter, as long as attempts and the wall-clock budget last. Unlike std's `retry`, which wraps the
 * last error in a `RetryError`, the last error is thrown as it is, so callers keep its code and message.
 * `fn` receives the attempt number (1-based).
 *
 * @example
 * ```ts
 * import { isTransientError, retry } from "./mod.ts";
 * const ping = () => fetch("http://127.0.0.1:8000/api/health");
 * const res = await retry(ping, {
 *   maxAttempts: 100,
 *   minTimeout: 250,
 *   maxTimeout: 5000,
 *   budgetMs: 60_000,
 *   isRetriable: isTransientError,
 * });
 * ```
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryCallOptions = {},
): Promise<T> {
  const {
    maxAttempts = 5,
    minTimeout = 1000,
    maxTimeout = 60_000,
    multiplier = 2,
    jitter = 1,
    isRetriable = () => true,
    budgetMs = Infinity,
    signal,
    onRetry,
    sleep = abortableSleep,
    random = Math.random,
    now = () => performance.now(),
  } = options;
  if (!(maxAttempts >= 1)) throw new RangeError(`maxAttempts must be at least 1 (got ${maxAttempts})`);
  if (!(minTimeout >= 0) || !(maxTimeout >= minTimeout)) {
    throw new RangeError(
      `Timeouts must satisfy 0 <= minTimeout <= maxTimeout (got ${minTimeout}, ${maxTimeout})`,
    );
  }
  if (!(multiplier >= 1)) throw new RangeError(`multiplier must be at least 1 (got ${multiplier})`);
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`jitter must be between 0 and 1 (got ${jitter})`);
  if (!(budgetMs >= 0)) throw new RangeError(`budgetMs must be 0 or more (got ${budgetMs})`);
  const deadline = now() + budgetMs;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const remaining = deadline - now();
      if (attempt >= maxAttempts || remaining <= 0 || signal?.aborted || !isRetriable(error)) throw error;
      const backoff = Math.min(maxTimeout, minTimeout * multiplier ** (attempt - 1));
      const delayMs = Math.round(Math.min(remaining, backoff * (1 - jitter * random())));
      onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, signal);
    }
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
