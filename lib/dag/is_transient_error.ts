/** Error codes of MySQL/MariaDB, Node sockets and SQLite that a retry may cure. */
const TRANSIENT_CODES = new Set([
  "PROTOCOL_CONNECTION_LOST",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CONNECTION_KILLED",
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
]);
/**
 * MySQL error numbers: deadlock, lock wait timeout, too many connections, server shutdown, connection
 * killed (a server shutting down), server gone away and lost connection (client errors 2006, 2013).
 */
const TRANSIENT_ERRNOS = new Set([1213, 1205, 1040, 1053, 1927, 2006, 2013]);

/**
 * Tells whether an error (or one of its causes) is a lost connection, a deadlock or a lock timeout, which
 * are worth retrying, rather than a bug or bad data, which are not.
 */
export function isTransientError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    if (typeof e !== "object") return false;
    const { code, errno, name, message } = e as {
      code?: unknown;
      errno?: unknown;
      name?: unknown;
      message?: unknown;
    };
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
    if (typeof errno === "number" && TRANSIENT_ERRNOS.has(errno)) return true;
    if (name === "MongoNetworkError" || name === "MongoServerSelectionError") return true;
    // mysql2 reports a command on a connection the server dropped as "... in closed state", with no code.
    if (
      typeof message === "string" &&
      /database is locked|deadlock found|lock wait timeout|connection is in closed state/i.test(message)
    ) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
