import { HttpError } from "./http_error.ts";

/**
 * Which origins may call the API from a browser, and how: same-origin pages always; the origins given with
 * `--cors-origin` (or `WORKBENCH_CORS_ORIGINS`) too, with CORS headers on the answers and `OPTIONS`
 * preflights answered 204. Everything else a browser sends from another site is refused before it runs.
 */
export class OriginGuard {
  readonly #allowed: ReadonlySet<string>;

  /** `allowed`: origins such as `http://localhost:5173` (a trailing slash or path is ignored). */
  constructor(allowed: Iterable<string> = []) {
    this.#allowed = new Set([...allowed].map(normalizeOrigin));
  }

  /** The allowed cross-origin origins, normalised. */
  get allowed(): string[] {
    return [...this.#allowed];
  }

  /** Whether `origin` (an `Origin` header value) is one of the allowed cross-origin origins. */
  isAllowed(origin: string | null): boolean {
    return origin !== null && this.#allowed.has(origin.toLowerCase());
  }

  /**
   * Throws an {@linkcode HttpError} 403 unless a mutating request may run: it comes from a page of this very
   * server (`Sec-Fetch-Site: same-origin`, or an `Origin` whose host is the `Host` header), from an allowed
   * origin, or from no browser page at all (neither header: curl, a script, a test). A browser sends
   * `Origin` with every cross-origin POST, so another site's page cannot start or reset runs, even with a
   * bodyless POST that needs no preflight.
   */
  checkMutation(req: Request): void {
    const origin = req.headers.get("origin");
    const site = req.headers.get("sec-fetch-site");
    if (origin === null && site === null) return;
    // The browser states the relation itself, and no page can forge the header (behind a proxy that
    // rewrites Host, Origin and Host differ for the very same page).
    if (site === "same-origin") return;
    if (origin !== null && (this.#isSameOrigin(req, origin) || this.isAllowed(origin))) return;
    throw new HttpError(
      403,
      `Cannot ${req.method} from ${origin ?? `a ${site} page`}: only pages of this server` +
        (this.#allowed.size ? ` or of ${this.allowed.join(", ")}` : "") +
        " may change the workbench (start deno task serve with --cors-origin to allow another)",
    );
  }

  /** The CORS headers for an answer to `req`: none unless its `Origin` is allowed. */
  corsHeaders(req: Request): Record<string, string> {
    const origin = req.headers.get("origin");
    if (!this.isAllowed(origin)) return {};
    return {
      "access-control-allow-origin": origin!,
      "access-control-expose-headers": "content-type",
      vary: "Origin",
    };
  }

  /** The answer to an `OPTIONS` request (a CORS preflight) for a path that allows `methods`. */
  preflight(req: Request, methods: readonly string[]): Response {
    const headers: Record<string, string> = { allow: [...methods, "OPTIONS"].join(", ") };
    if (this.isAllowed(req.headers.get("origin"))) {
      Object.assign(headers, this.corsHeaders(req), {
        "access-control-allow-methods": [...methods, "OPTIONS"].join(", "),
        "access-control-allow-headers": "content-type, authorization, x-workbench-token",
        "access-control-max-age": "600",
      });
    }
    return new Response(null, { status: 204, headers });
  }

  #isSameOrigin(req: Request, origin: string): boolean {
    const host = req.headers.get("host") ?? new URL(req.url).host;
    try {
      return new URL(origin).host.toLowerCase() === host.toLowerCase();
    } catch {
      return false; // "null" (a sandboxed frame or a file) or garbage
    }
  }
}

/** `http://localhost:5173/` -> `http://localhost:5173`; throws a `TypeError` naming a value that is no URL. */
export function normalizeOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new TypeError(`Invalid CORS origin "${value}": give a URL such as http://localhost:5173`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Invalid CORS origin "${value}": it must start with http:// or https://`);
  }
  return url.origin.toLowerCase();
}
