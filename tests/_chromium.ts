/**
 * How browser tests find Chromium. The path comes from `CHROMIUM_PATH`, else the first of the usual Debian
 * and Ubuntu locations that exists. Nothing is ever downloaded. Tests declared with {@linkcode browserTest}
 * fail in CI (`CI=true`) when no browser is found; elsewhere they are ignored with a hint on how to set one up.
 *
 * @example
 * ```ts
 * browserTest("dashboard shows the DAG", async (executablePath) => {
 *   await using browser = await launchChromium(executablePath);
 * });
 * ```
 */
import { type Browser, chromium } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The Chromium executable to use, or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  const fromEnv = Deno.env.get("CHROMIUM_PATH");
  if (fromEnv) return isFile(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find(isFile);
}

let hinted = false;

/** Options of {@linkcode browserTest} beyond the name. */
export interface BrowserTestOptions {
  name: string;
  /** @default true */
  sanitizeOps?: boolean;
  /** @default true */
  sanitizeResources?: boolean;
}

/**
 * Declares a test that needs headless Chromium; `fn` gets its path. Without one: a failing test in CI, an
 * ignored test with a hint elsewhere.
 */
export function browserTest(
  nameOrOptions: string | BrowserTestOptions,
  fn: (executablePath: string, t: Deno.TestContext) => Promise<void>,
): void {
  const { name, sanitizeOps = true, sanitizeResources = true } = typeof nameOrOptions === "string"
    ? { name: nameOrOptions }
    : nameOrOptions;
  const path = chromiumPath();
  if (path) {
    Deno.test({ name, sanitizeOps, sanitizeResources, fn: (t) => fn(path, t) });
    return;
  }
  const where = Deno.env.get("CHROMIUM_PATH")
    ? `CHROMIUM_PATH="${Deno.env.get("CHROMIUM_PATH")}" is not a file`
    : `none of ${CANDIDATES.join(", ")} exists and CHROMIUM_PATH is not set`;
  if (Deno.env.get("CI") === "true") {
    Deno.test(name, () => {
      throw new Error(`CI requires Chromium for the dashboard tests: ${where} (.ci/run installs it)`);
    });
    return;
  }
  if (!hinted) {
    hinted = true;
    console.info(
      `Browser tests ignored: ${where}. To run them: apt-get install -y chromium ` +
        "(or set CHROMIUM_PATH to a Chromium or Chrome binary), then deno task test",
    );
  }
  Deno.test({ name, ignore: true, fn: () => {} });
}

/** Headless Chromium from `executablePath`, closed by `await using`. */
export async function launchChromium(executablePath: string): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // No sandbox: CI runs the tests as root, where Chromium refuses to start with one.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}
