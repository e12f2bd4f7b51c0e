/** Socket-level error codes of Node and its drivers: the connection was lost, refused or timed out. */
const TRANSIENT_CODES = new Set([
  "PROTOCOL_CONNECTION_LOST",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "PROTOCOL_SEQUENCE_TIMEOUT",
]);

/**
 * Tells whether an error (or one of its causes) is a lost, refused or timed-out connection, worth retrying
 * whatever the engine. Engine errors a retry may cure (deadlocks, lock timeouts, a busy SQLite file) are the
 * adapters' to tell (`warehouse.sql.isTransient`, `docstore.isTransient`): the workbench passes
 * {@linkcode runDag} their union.
 */
export function isTransientError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
