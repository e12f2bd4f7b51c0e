import type { SslMode } from "../parse_warehouse_url.ts";

/** mysql2's `ssl` option for an `ssl-mode` and CA file, or `undefined` for a plain connection. */
export function tlsOptions(
  mode: SslMode | undefined,
  caPath: string | undefined,
): { ca?: string; rejectUnauthorized: boolean; checkServerIdentity?: () => undefined } | undefined {
  if (mode === undefined || mode === "DISABLED" || mode === "PREFERRED") return undefined;
  let ca: string | undefined;
  if (caPath !== undefined) {
    try {
      ca = Deno.readTextFileSync(caPath);
    } catch (error) {
      throw new Error(`Cannot read the ssl-ca file "${caPath}": ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (mode === "REQUIRED") return { ...(ca ? { ca } : {}), rejectUnauthorized: false };
  if (mode === "VERIFY_CA") {
    // The certificate must be signed by the CA; the host name is not compared (as MySQL's VERIFY_CA).
    return { ...(ca ? { ca } : {}), rejectUnauthorized: true, checkServerIdentity: () => undefined };
  }
  return { ...(ca ? { ca } : {}), rejectUnauthorized: true };
}
