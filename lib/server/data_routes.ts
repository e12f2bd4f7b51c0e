/**
 * The routes that show the loaded data: the original project's API (`/api/analytics`, `/api/database/schema`,
 * `/api/mongodb/*`, `/api/users*`) and the dashboard's own reads (charts, table browser, one document, a
 * run's rejects and coercions). Every query parameter is validated; table and column names are whitelisted.
 */
import { z } from "zod";
import { renderAnalyticsCharts } from "./analytics_charts.ts";
import type { EtlMonitor } from "./etl_monitor.ts";
import { HttpError, jsonResponse } from "./http_error.ts";
import {
  findDocument,
  findMovies,
  findUsers,
  MoviesQuerySchema,
  readAnalytics,
  readCollectionSchema,
  readMovieStats,
  readUserStats,
  UsersQuerySchema,
} from "./original_api.ts";
import type { Router } from "./_router.ts";
import { readDatabaseSchema, readTableRows, TableRowsQuerySchema } from "./warehouse_browser.ts";

/** One sentence naming each invalid field, from zod's issues. */
function describeIssues(what: string, error: z.ZodError): string {
  const issues = error.issues.map((i) => `${i.path.length ? i.path.join(".") : "query"}: ${i.message}`);
  return `Invalid ${what}: ${issues.join("; ")}`;
}

/**
 * Parses a query string with `schema`, or throws a 400 naming each bad parameter. An empty parameter
 * (`genre=&year=`, as a client that fills a URL template sends) counts as absent.
 */
function parseQuery<S extends z.ZodType>(schema: S, what: string, url: URL): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
  if (!parsed.success) throw new HttpError(400, describeIssues(what, parsed.error));
  return parsed.data;
}

const integerText = (min: number, max: number) =>
  z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(
    z.number().int().min(min).max(max),
  );

const ChartsQuerySchema = z.strictObject({ width: integerText(240, 1600).default(720) });

const RejectsQuerySchema = z.strictObject({
  file: z.string().min(1).max(255).optional(),
  reason: z.string().min(1).max(64).optional(),
  page: integerText(1, 1_000_000).default(1),
  limit: integerText(1, 200).default(50),
});

const CoercionsQuerySchema = z.strictObject({
  file: z.string().min(1).max(255).optional(),
  field: z.string().min(1).max(64).optional(),
  page: integerText(1, 1_000_000).default(1),
  limit: integerText(1, 200).default(50),
});

/** Adds the data routes to `router`. */
export function addDataRoutes(router: Router, monitor: EtlMonitor): Router {
  const workbench = monitor.workbench;
  const wh = workbench.warehouse;
  const docstore = workbench.docstore;
  return router
    .add(
      "GET",
      "/api/analytics",
      async () => jsonResponse({ success: true, analytics: await readAnalytics(wh) }),
    )
    .add("GET", "/api/analytics/charts", async (_req, _params, url) => {
      const { width } = parseQuery(ChartsQuerySchema, "chart query", url);
      return jsonResponse({ success: true, ...await renderAnalyticsCharts(wh, width) });
    })
    .add("GET", "/api/database/schema", async () => jsonResponse(await readDatabaseSchema(wh)))
    .add("GET", "/api/warehouse/tables/:name/rows", async (_req, params, url) => {
      const query = parseQuery(TableRowsQuerySchema, "table query", url);
      return jsonResponse({ success: true, ...await readTableRows(wh, params.name, query) });
    })
    .add("GET", "/api/users", async (_req, _params, url) => {
      const query = parseQuery(UsersQuerySchema, "users query", url);
      return jsonResponse({ success: true, ...await findUsers(wh, query) });
    })
    .add(
      "GET",
      "/api/users/stats",
      async () => jsonResponse({ success: true, stats: await readUserStats(wh) }),
    )
    .add("GET", "/api/mongodb/content", async (_req, _params, url) => {
      const query = parseQuery(MoviesQuerySchema, "content query", url);
      return jsonResponse({ success: true, ...await findMovies(docstore, query) });
    })
    .add(
      "GET",
      "/api/mongodb/stats",
      async () => jsonResponse({ success: true, stats: await readMovieStats(docstore) }),
    )
    .add(
      "GET",
      "/api/mongodb/schema",
      async () => jsonResponse({ success: true, schema: await readCollectionSchema(docstore) }),
    )
    .add("GET", "/api/content/:id", async (_req, params) => {
      const document = await findDocument(docstore, params.id);
      if (!document) throw new HttpError(404, `No document has the content_id "${params.id}"`);
      return jsonResponse({ success: true, document });
    })
    .add("POST", "/api/mongodb/etl/start", async () => {
      // The original runs the document loader and answers when it ends.
      const started = Date.now();
      const { runId } = await monitor.start({ pipelines: "document", fresh: false, batchSize: 1000 });
      await monitor.idle();
      const nodes = await workbench.runStore.nodeRuns(runId);
      const load = nodes.find((n) => n.nodeId === "load_content");
      const details = (load?.details ?? {}) as Record<string, unknown>;
      const count = (key: string) => Number(details[key] ?? 0);
      const failed = nodes.find((n) => n.status === "failed");
      const stats = {
        totalDocuments: count("documents"),
        inserted: count("inserted"),
        updated: count("updated"),
        unchanged: count("unchanged"),
        deleted: count("deleted"),
        errors: count("failed") + (failed ? 1 : 0),
        duration: Date.now() - started,
      };
      if (failed) {
        const message = `The document pipeline failed at ${failed.nodeId}: ${failed.error ?? "no message"}`;
        return jsonResponse({ success: false, error: message, message, runId, stats }, 500);
      }
      return jsonResponse({
        success: true,
        message: `Loaded ${stats.totalDocuments} documents into "content" (${stats.inserted} inserted, ` +
          `${stats.updated} updated, ${stats.unchanged} unchanged)`,
        runId,
        stats,
      });
    })
    .add("GET", "/api/etl/runs/:id/rejects", async (_req, params, url) => {
      const query = parseQuery(RejectsQuerySchema, "rejects query", url);
      try {
        return jsonResponse({
          success: true,
          ...await workbench.runStore.rejectsPage({ runId: params.id, ...query }),
        });
      } catch (error) {
        if (wh.sql.isMissingTable(error)) throw new HttpError(404, `No run has the id "${params.id}"`);
        throw error;
      }
    })
    .add("GET", "/api/etl/runs/:id/coercions", async (_req, params, url) => {
      const query = parseQuery(CoercionsQuerySchema, "coercions query", url);
      try {
        return jsonResponse({
          success: true,
          ...await workbench.runStore.coercionsPage({ runId: params.id, ...query }),
        });
      } catch (error) {
        if (wh.sql.isMissingTable(error)) throw new HttpError(404, `No run has the id "${params.id}"`);
        throw error;
      }
    });
}
