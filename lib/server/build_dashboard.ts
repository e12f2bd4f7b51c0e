import { join } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import type { StaticAsset } from "./create_app.ts";

/** Options of {@linkcode buildDashboard}. */
export interface BuildDashboardOptions {
  /**
   * Folder the bundle is written to (git-ignored).
   * @default "out/web"
   */
  outDir?: string;
  /** @default true */
  minify?: boolean;
}

const WEB_DIR = new URL("../../web/", import.meta.url);
const CONFIG = new URL("../../deno.json", import.meta.url);

/**
 * Bundles `web/main.tsx` with `deno bundle` into `outDir/app.js` and returns the dashboard's files by URL
 * path (`/`, `/index.html`, `/app.js`), read into memory, for {@linkcode createApp}.
 */
export async function buildDashboard(options: BuildDashboardOptions = {}): Promise<Map<string, StaticAsset>> {
  const { outDir = "out/web", minify = true } = options;
  const outFile = join(outDir, "app.js");
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform=browser",
      `--config=${fromFileUrl(CONFIG)}`,
      ...(minify ? ["--minify"] : []),
      `--output=${outFile}`,
      fromFileUrl(new URL("main.tsx", WEB_DIR)),
    ],
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (code !== 0) {
    const message = new TextDecoder().decode(stderr).trim().split("\n")
      .slice(0, 5).join(" ");
    throw new Error(`Cannot bundle the dashboard (deno bundle exited with ${code}): ${message}`);
  }
  const html = await Deno.readFile(new URL("index.html", WEB_DIR));
  const page: StaticAsset = { body: html, contentType: "text/html; charset=utf-8" };
  return new Map([
    ["/", page],
    ["/index.html", page],
    ["/app.js", { body: await Deno.readFile(outFile), contentType: "text/javascript; charset=utf-8" }],
  ]);
}
