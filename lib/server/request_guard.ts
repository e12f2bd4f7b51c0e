import { HttpError } from "./http_error.ts";

/** Options of {@linkcode guardRequest}. */
export interface RequestGuardOptions {
  /**
   * Host names (without port) accepted in the `Host` header besides loopback names and IP literals, e.g.
   * the name the server is reached by on a network (`--allowed-host`). `undefined` turns the host check
   * off (in-process tests use a dummy origin).
   */
  allowedHosts?: readonly string[];
  /**
   * Longest request URL in bytes (path and query); longer is a 414.
   * @default 8192
   */
  maxUrlBytes?: number;
}

/** Names that always mean this machine. */
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/** The host name of a `Host` header value, lower-cased, without the port and IPv6 brackets. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") === -1 ? undefined : h.indexOf("]"));
  return h.replace(/:\d*$/, "").replace(/\.$/, "");
}

/** An IPv4 or IPv6 literal: a page cannot be served from it under another site's name. */
function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || (name.includes(":") && /^[0-9a-f:.]+$/.test(name));
}

/**
 * Whether a `Host` header names this server. DNS rebinding makes a page of `evil.example` talk to
 * 127.0.0.1 with `Host: evil.example`; browsers always send the page's name, so refusing names we were
 * not told about keeps such pages out, token or not. Loopback names (`localhost`, `*.localhost`), IP
 * literals and the allowed names pass.
 */
export function isAllowedHost(host: string | null, allowedHosts: readonly string[]): boolean {
  if (host === null || host.trim() === "") return false;
  const name = hostName(host);
  if (LOOPBACK_NAMES.has(name) || name.endsWith(".localhost") || isIpLiteral(name)) return true;
  return allowedHosts.some((allowed) => hostName(allowed) === name);
}

/**
 * Refuses, before any routing, what the API must never act on: a URL over the length limit (414) and a
 * `Host` this server was not told it is reached by (421, so a DNS-rebound page gets nothing).
 *
 * @throws {HttpError} 414 or 421.
 */
export function guardRequest(req: Request, options: RequestGuardOptions): void {
  const { allowedHosts, maxUrlBytes = 8192 } = options;
  const url = new URL(req.url);
  const length = url.pathname.length + url.search.length;
  if (length > maxUrlBytes) {
    throw new HttpError(414, `Cannot serve a URL of ${length} bytes: the limit is ${maxUrlBytes}`);
  }
  if (allowedHosts === undefined) return;
  const host = req.headers.get("host") ?? url.host;
  if (!isAllowedHost(host, allowedHosts)) {
    throw new HttpError(
      421,
      `Cannot serve host "${host.slice(0, 100)}": use localhost or 127.0.0.1, or start the server with ` +
        `--allowed-host NAME for the name it is reached by`,
    );
  }
}

/** Options of the event stream's limits. */
export interface EventStreamLimits {
  /**
   * Event streams open at once; one more is a 503.
   * @default 32
   */
  maxClients?: number;
  /**
   * Events queued for a client that does not read them; past this it is closed (its browser reconnects
   * and gets the current status at once).
   * @default 256
   */
  maxQueuedEvents?: number;
  /**
   * A stream that sent nothing for this long is closed (the browser reconnects if it is still there).
   * @default 600_000
   */
  idleTimeoutMs?: number;
}

/** Refuses a new event stream when `open` streams are already open. @throws {HttpError} 503 */
export function admitEventStream(open: number, limits: EventStreamLimits = {}): void {
  const { maxClients = 32 } = limits;
  if (open >= maxClients) {
    throw new HttpError(
      503,
      `Cannot open another event stream: ${maxClients} are open (poll /api/etl/status)`,
    );
  }
}

/**
 * One client of the event stream: sends through the stream's controller unless the client is more than
 * `maxQueuedEvents` behind, and closes it after `idleTimeoutMs` without a message. `end` closes it.
 */
export class EventStreamClient {
  readonly #controller: ReadableStreamDefaultController<Uint8Array>;
  readonly #end: () => void;
  readonly #maxQueued: number;
  readonly #idleMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    controller: ReadableStreamDefaultController<Uint8Array>,
    end: () => void,
    limits: EventStreamLimits = {},
  ) {
    const { maxQueuedEvents = 256, idleTimeoutMs = 600_000 } = limits;
    this.#controller = controller;
    this.#end = end;
    this.#maxQueued = maxQueuedEvents;
    this.#idleMs = idleTimeoutMs;
    this.#arm();
  }

  /** Queues one message; closes the client instead when it has fallen too far behind. */
  send(bytes: Uint8Array): void {
    // desiredSize is the high-water mark (1) minus the chunks the client has not taken yet.
    if ((this.#controller.desiredSize ?? 0) < 1 - this.#maxQueued) {
      this.#end();
      return;
    }
    this.#controller.enqueue(bytes);
    this.#arm();
  }

  /** Stops the idle timer (call when the stream ends). */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  #arm(): void {
    clearTimeout(this.#timer);
    const timer = setTimeout(() => this.#end(), this.#idleMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }
}
