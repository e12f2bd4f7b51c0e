import { HttpError } from "./http_error.ts";

const encoder = new TextEncoder();

/** Compares in time independent of where the texts differ, so the token cannot be guessed byte by byte. */
function equalInConstantTime(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Throws a 401 {@linkcode HttpError} unless the request carries `token`, as `Authorization: Bearer <token>`
 * or `X-Workbench-Token: <token>`.
 */
export function checkToken(req: Request, token: string): void {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  const given = bearer ?? req.headers.get("x-workbench-token");
  if (given === null || given === undefined) {
    throw new HttpError(
      401,
      "Cannot change anything without the token: send Authorization: Bearer <WORKBENCH_TOKEN>",
    );
  }
  if (!equalInConstantTime(given.trim(), token)) {
    throw new HttpError(401, "Cannot change anything: the token is wrong");
  }
}
