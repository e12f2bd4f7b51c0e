/** The fields of a driver or socket error that say why a connection failed. */
interface ErrorWithCode {
  code?: string;
  message?: string;
  errors?: unknown[];
}

/** Why a connection failed, in a few words: "connection refused", "access denied for user \"etl\"". */
export function connectFailureReason(error: unknown, user: string): string {
  const { code, message, errors } = (error ?? {}) as ErrorWithCode;
  // Node's happy-eyeballs connect reports an AggregateError whose parts carry the code.
  const effectiveCode = code ?? (errors?.[0] as ErrorWithCode | undefined)?.code;
  switch (effectiveCode) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "ETIMEDOUT":
      return "timed out";
    case "ECONNRESET":
    case "PROTOCOL_CONNECTION_LOST":
      return "the server closed the connection";
    case "ER_ACCESS_DENIED_ERROR":
      return `access denied for user "${user}"`;
    case "ER_DBACCESS_DENIED_ERROR":
    case "ER_BAD_DB_ERROR":
      return message ?? effectiveCode;
    default:
      return message || effectiveCode || String(error);
  }
}

/**
 * The error for a failed connection: `Cannot connect to MySQL at 127.0.0.1:3306: connection refused`, with
 * the driver's error as cause.
 */
export function connectError(host: string, port: number, user: string, error: unknown): Error {
  const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return new Error(`Cannot connect to MySQL at ${address}: ${connectFailureReason(error, user)}`, {
    cause: error,
  });
}

/** {@linkcode connectError} for a list of hosts, all of which failed; `error` is the last one's. */
export function connectErrorForHosts(
  hosts: readonly { host: string; port: number }[],
  user: string,
  error: unknown,
): Error {
  if (hosts.length === 1) return connectError(hosts[0].host, hosts[0].port, user, error);
  const addresses = hosts.map(({ host, port }) =>
    host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`
  );
  return new Error(
    `Cannot connect to MySQL at any of ${addresses.join(", ")}: ${connectFailureReason(error, user)}`,
    { cause: error },
  );
}

/** MySQL 8's ER_SECURE_TRANSPORT_REQUIRED; MariaDB answers a plain login with access denied instead. */
export const SECURE_TRANSPORT_REQUIRED = 3159;

/**
 * The error for a server that refused a connection without TLS (`require_secure_transport=ON`), telling how
 * to connect.
 */
export function requiresTlsError(host: string, port: number, error: unknown): Error {
  const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return new Error(
    `Cannot connect to MySQL at ${address}: the server requires TLS (require_secure_transport=ON) and the ` +
      `URL does not ask for it: add ?ssl-mode=REQUIRED, or ?ssl-ca=/path/to/ca.pem to verify the server`,
    { cause: error },
  );
}
