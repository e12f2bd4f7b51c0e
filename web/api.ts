/// <reference lib="dom" />
/** The server could not be reached at all (as opposed to an answer that refused the request). */
export class ServerUnreachableError extends Error {
  override name = "ServerUnreachableError";
}

/** Calls the workbench's API: JSON in and out, the server's `error` sentence as the thrown message. */
export async function callApi<T>(
  baseUrl: string,
  path: string,
  options: { method?: "GET" | "POST"; body?: unknown; token?: string | null } = {},
): Promise<T> {
  const { method = "GET", body, token } = options;
  const headers: Record<string, string> = {};
  if (method !== "GET") headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(baseUrl + path, {
      method,
      headers,
      body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
    });
  } catch (error) {
    throw new ServerUnreachableError(`Cannot reach the server: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const json = await res.json().catch(() => null) as { success?: boolean; error?: string } | null;
  if (!res.ok || json?.success === false) {
    throw new Error(json?.error ?? `The server answered ${res.status} ${res.statusText}`);
  }
  return json as T;
}
