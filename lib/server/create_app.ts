import type { z } from "zod";
import { ContentQuerySchema, findContent, readContentStatTables } from "./content_query.ts";
import type { EtlMonitor } from "./etl_monitor.ts";
import { errorResponse, HttpError, jsonResponse } from "./http_error.ts";
import { checkToken } from "./_check_token.ts";
import { addDataRoutes } from "./data_routes.ts";
import { OriginGuard } from "./origin_guard.ts";
import { readPartitions } from "./partitions_query.ts";
import { Router } from "./_router.ts";
import {
  admitEventStream,
  EventStreamClient,
  type EventStreamLimits,
  guardRequest,
  type RequestGuardOptions,
} from "./request_guard.ts";
import { listRunHistory, runDetails } from "./run_history.ts";
import { StartOptionsSchema } from "./start_options.ts";

/** A file of the dashboard, served as is. */
export interface StaticAsset {
  body: Uint8Array | string;
  contentType: string;
}

/** Options of {@linkcode createApp}. */
export interface CreateAppOptions {
  monitor: EtlMonitor;
  /** When set, every mutating request must carry it. @default no token needed */
  token?: string;
  /** The dashboard's files by URL path (`/`, `/app.js`). @default no dashboard */
  assets?: ReadonlyMap<string, StaticAsset>;
  /**
   * Origins whose pages may call the API from a browser (CORS), e.g. the original client's
   * `http://localhost:5173`. @default none: only the server's own pages
   */
  corsOrigins?: readonly string[];
  /**
   * Host names accepted besides loopback names and IP literals (DNS rebinding is refused with 421), and
   * the URL length limit (414). `tasks/serve.ts` always sets `allowedHosts`. @default no host check
   */
  guard?: RequestGuardOptions;
  /** Limits of `GET /api/etl/events`: clients at once, queued events per client, idle timeout. */
  eventStreams?: EventStreamLimits;
}

/** The server as a fetch handler: pass `fetch` to `Deno.serve`, or call `request` in tests (no port). */
export interface App {
  fetch(req: Request): Promise<Response>;
  /** `fetch` for a path on a dummy origin, like Hono's `app.request()`. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Ends the open event streams, so that the HTTP server can shut down. */
  close(): void;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const encoder = new TextEncoder();

/** One sentence naming each invalid field, from zod's issues. */
function describeIssues(what: string, error: z.ZodError): string {
  const issues = error.issues.map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`);
  return `Invalid ${what}: ${issues.join("; ")}`;
}

/** Start options are a few fields: anything larger is a mistake or abuse. */
const MAX_BODY_BYTES = 16 * 1024;

async function readJsonBody(req: Request): Promise<unknown> {
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) {
    throw new HttpError(413, `Cannot read a request body over ${MAX_BODY_BYTES} bytes`);
  }
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) {
    throw new HttpError(413, `Cannot read a request body over ${MAX_BODY_BYTES} bytes`);
  }
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Cannot read the request body: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The workbench's HTTP API and dashboard: status, start/reset, run history, event stream, content and
 * health. Errors are JSON `{ success: false, error }` with the right status, never a stack trace.
 */
export function createApp(options: CreateAppOptions): App {
  const { monitor, token, assets = new Map(), corsOrigins = [], guard = {}, eventStreams = {} } = options;
  const origins = new OriginGuard(corsOrigins);
  const workbench = monitor.workbench;
  const streams = new Set<() => void>();
  const router = new Router()
    .add("GET", "/api/health", () =>
      jsonResponse({
        success: true,
        status: "ok",
        running: monitor.isRunning,
        warehouse: workbench.warehouse.label,
        docstore: workbench.docstore.label,
      }))
    .add("GET", "/api/etl/status", () => jsonResponse({ success: true, dag: monitor.status() }))
    .add("POST", "/api/etl/start", async (req) => {
      const parsed = StartOptionsSchema.safeParse(await readJsonBody(req));
      if (!parsed.success) {
        throw new HttpError(400, describeIssues("start options", parsed.error), {
          details: {
            issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
          },
        });
      }
      const { runId } = await monitor.start(parsed.data);
      return jsonResponse({ success: true, runId, options: parsed.data, dag: monitor.status() }, 202);
    })
    .add("POST", "/api/etl/reset", () => {
      monitor.reset();
      return jsonResponse({ success: true, dag: monitor.status() });
    })
    .add("GET", "/api/etl/runs", async (_req, _params, url) => {
      const limitText = url.searchParams.get("limit") ?? "20";
      const limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > 200) {
        throw new HttpError(400, `Invalid limit: must be a whole number from 1 to 200 (got "${limitText}")`);
      }
      return jsonResponse({ success: true, runs: await listRunHistory(workbench, limit) });
    })
    .add("GET", "/api/etl/runs/:id", async (_req, params) => {
      const run = await runDetails(workbench, params.id);
      if (!run) throw new HttpError(404, `No run has the id "${params.id}"`);
      return jsonResponse({ success: true, run });
    })
    .add("GET", "/api/etl/events", () => {
      admitEventStream(streams.size, eventStreams);
      return eventStream();
    })
    .add(
      "GET",
      "/api/etl/partitions",
      async () => jsonResponse({ success: true, ...await readPartitions(workbench) }),
    )
    .add("GET", "/api/content", async (_req, _params, url) => {
      const parsed = ContentQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) throw new HttpError(400, describeIssues("content query", parsed.error));
      return jsonResponse({ success: true, ...await findContent(workbench.docstore, parsed.data) });
    })
    .add(
      "GET",
      "/api/content/stats",
      async () => jsonResponse({ success: true, stats: await readContentStatTables(workbench.warehouse) }),
    );
  addDataRoutes(router, monitor);

  /** Server-sent events: the status at once, then `{ type, event, dag }` after each event of the run. */
  function eventStream(): Response {
    let end = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const client = new EventStreamClient(controller, () => end(), eventStreams);
        const send = (data: unknown) => client.send(encoder.encode(`data: ${JSON.stringify(data)}\n\n`));
        send({ type: "status", dag: monitor.status() });
        const unsubscribe = monitor.subscribe((event, dag) => send({ type: event.type, event, dag }));
        end = () => {
          client.dispose();
          unsubscribe();
          streams.delete(end);
          try {
            controller.close();
          } catch {
            // Already closed by the client.
          }
        };
        // A client that goes away cancels the stream (below), which unsubscribes it.
        streams.add(end);
      },
      cancel() {
        end();
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        // no-transform: Deno.serve must not gzip the stream, which would hold messages back in its buffer.
        "cache-control": "no-store, no-transform",
        "x-accel-buffering": "no",
      },
    });
  }

  async function handle(req: Request): Promise<Response> {
    guardRequest(req, guard);
    const url = new URL(req.url);
    if (req.method === "OPTIONS") {
      // A CORS preflight: the methods of the path (with CORS headers only for an allowed origin).
      const methods = ["GET", "POST"].filter((m) => {
        const found = router.match(m, url.pathname);
        return found !== undefined && !("allowed" in found);
      });
      if (methods.length === 0) throw new HttpError(404, `Nothing at ${req.method} ${url.pathname}`);
      return origins.preflight(req, methods);
    }
    const match = router.match(req.method, url.pathname);
    if (match === undefined) {
      const asset = req.method === "GET" || req.method === "HEAD" ? assets.get(url.pathname) : undefined;
      if (asset) {
        return new Response(req.method === "HEAD" ? null : asset.body, {
          headers: { "content-type": asset.contentType, "cache-control": "no-cache" },
        });
      }
      throw new HttpError(404, `Nothing at ${req.method} ${url.pathname}`);
    }
    if ("allowed" in match) {
      const message = `Cannot ${req.method} ${url.pathname}: use ${match.allowed.join(" or ")}`;
      return jsonResponse(
        { success: false, error: message, message },
        405,
        { allow: match.allowed.join(", ") },
      );
    }
    if (MUTATING.has(req.method)) {
      if (token !== undefined) checkToken(req, token);
      // Only this server's pages and the allowed origins may change anything (a bodyless POST is a CORS
      // "simple request" that a browser sends to any site without asking first).
      origins.checkMutation(req);
      if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) {
        // The original client POSTs without a body or Content-Type; a body must be JSON.
        const length = Number(req.headers.get("content-length") ?? 0);
        if (length > 0 || req.headers.has("transfer-encoding") || (await req.text()).trim() !== "") {
          throw new HttpError(415, "Send the request body as JSON (Content-Type: application/json)");
        }
        req = new Request(req.url, { method: req.method, headers: req.headers });
      }
    }
    return await match.handler(req, match.params, url);
  }

  const fetch = async (req: Request): Promise<Response> => {
    let res: Response;
    try {
      res = await handle(req);
    } catch (error) {
      res = errorResponse(error);
    }
    for (const [name, value] of Object.entries(origins.corsHeaders(req))) res.headers.set(name, value);
    return res;
  };
  return {
    fetch,
    request: (path, init) => fetch(new Request(new URL(path, "http://workbench.local"), init)),
    close() {
      for (const end of [...streams]) end();
    },
  };
}
