/**
 * An error with an HTTP status: the app's error handler turns it into `{ success: false, error, message }`
 * JSON (`message` too, which the original project's client reads).
 */
export class HttpError extends Error {
  readonly status: number;
  /** Extra fields of the JSON body, e.g. the issues of a validation error. */
  readonly details?: Record<string, unknown>;

  constructor(
    status: number,
    message: string,
    options?: ErrorOptions & { details?: Record<string, unknown> },
  ) {
    super(message, options);
    this.name = "HttpError";
    this.status = status;
    this.details = options?.details;
  }
}

/** A JSON response with the given status. */
export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/**
 * The response for an error thrown by a handler: an {@linkcode HttpError} keeps its status and message;
 * anything else is a 500 whose message says what failed but never carries a stack trace.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) {
    return jsonResponse(
      { success: false, error: error.message, message: error.message, ...error.details },
      error.status,
    );
  }
  const message = `Internal error: ${
    (error instanceof Error ? error.message : String(error)).split("\n")[0]
  }`;
  return jsonResponse({ success: false, error: message, message }, 500);
}
