import { retry, type RunResult } from "../dag/mod.ts";

/** The JSON posted to `NOTIFY_WEBHOOK_URL`: Slack's `text`, and the run in a structured form. */
export interface FailureNotice {
  text: string;
  run: {
    runId: string;
    status: RunResult["status"];
    startedAt: string;
    finishedAt: string;
    failedNodes: { id: string; error: string | null }[];
    skippedNodes: string[];
  };
}

/** The notice for a run that ended in error. */
export function failureNotice(result: RunResult, label = "ETL workbench"): FailureNotice {
  const failed = result.nodes.filter((n) => n.status === "failed");
  const skipped = result.nodes.filter((n) => n.status === "skipped").map((n) => n.nodeId);
  const first = failed[0];
  const why = first
    ? `node "${first.nodeId}" failed: ${first.error ?? "no message"}` +
      (failed.length > 1 ? ` (and ${failed.length - 1} more)` : "")
    : `the run was ${result.status}`;
  return {
    text: `${label}: run ${result.runId} ended in error, ${why}`,
    run: {
      runId: result.runId,
      status: result.status,
      startedAt: result.startedAt.toISOString(),
      finishedAt: result.finishedAt.toISOString(),
      failedNodes: failed.map((n) => ({ id: n.nodeId, error: n.error })),
      skippedNodes: skipped,
    },
  };
}

/** Options of {@linkcode postWebhook}. */
export interface PostWebhookOptions {
  /**
   * Retries after the first attempt, on a network error or a 5xx/429 answer.
   * @default 2
   */
  retries?: number;
  /**
   * Delay before the first retry; doubles on each retry.
   * @default 500
   */
  delayMs?: number;
  /**
   * Time allowed for each attempt.
   * @default 5000
   */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * POSTs `body` as JSON to `url`, retrying on network errors, 429 and 5xx. Resolves with the number of
 * attempts; rejects with an `Error` naming the last failure once the retries are spent.
 */
export async function postWebhook(
  url: string,
  body: unknown,
  options: PostWebhookOptions = {},
): Promise<number> {
  const { retries = 2, delayMs = 500, timeoutMs = 5000, fetch: doFetch = fetch } = options;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new RangeError(`Retries must be a non-negative integer (got ${retries})`);
  }
  let attempts = 0;
  try {
    await retry(async (attempt) => {
      attempts = attempt;
      let res: Response;
      try {
        res = await doFetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new DeliveryError((error as Error).message, true);
      }
      await res.body?.cancel();
      if (!res.ok) throw new DeliveryError(`HTTP ${res.status}`, res.status === 429 || res.status >= 500);
    }, {
      maxAttempts: retries + 1,
      minTimeout: delayMs,
      maxTimeout: delayMs * 2 ** Math.max(0, retries - 1),
      multiplier: 2,
      jitter: 0,
      isRetriable: (error) => error instanceof DeliveryError && error.retriable,
    });
  } catch (error) {
    throw new Error(`Cannot deliver the webhook to "${redactUrl(url)}": ${(error as Error).message}`);
  }
  return attempts;
}

/** A failed delivery attempt, and whether another one may succeed. */
class DeliveryError extends Error {
  constructor(message: string, readonly retriable: boolean) {
    super(message);
  }
}

/** The URL without its path and query, which for Slack hold the secret. */
function redactUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an invalid URL";
  }
}
