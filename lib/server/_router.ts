/** A request handler: `params` holds the `:name` parts of the route's path. */
export type Handler = (
  req: Request,
  params: Record<string, string>,
  url: URL,
) => Promise<Response> | Response;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** The handler for a method and path, `"not-allowed"` when the path exists with other methods, or undefined. */
export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

/** A few routes with `:param` segments; enough for the workbench's API without a framework. */
export class Router {
  readonly #routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    this.#routes.push({ method, parts: path.split("/").filter(Boolean), handler });
    return this;
  }

  /** The route for `method` and `pathname`, or the methods the path allows when none matches the method. */
  match(method: string, pathname: string): RouteMatch | { allowed: string[] } | undefined {
    const segments = pathname.split("/").filter(Boolean);
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      if (route.method === method || (method === "HEAD" && route.method === "GET")) {
        return { handler: route.handler, params };
      }
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith(":")) {
      try {
        params[part.slice(1)] = decodeURIComponent(segments[i]);
      } catch {
        return undefined;
      }
    } else if (part !== segments[i]) return undefined;
  }
  return params;
}
