/**
 * How notebook tests find Jupyter and the Deno kernel: `jupyter` on the PATH (Debian's jupyter-nbconvert,
 * python3-nbclient, jupyter-client, python3-ipykernel) with a kernelspec named `deno` (`deno jupyter
 * --install`). Looked up once, when the module loads. Tests declared with {@linkcode jupyterTest} fail in CI
 * (`CI=true`) when either is missing; elsewhere they are ignored with a hint on how to set them up.
 *
 * @example
 * ```ts
 * jupyterTest("notebooks run headlessly", async (jupyter) => {
 *   await jupyter.run(["nbconvert", "--to", "notebook", "--execute", "a.ipynb"], { cwd: "notebooks" });
 * });
 * ```
 */
import { hasKernel } from "../lib/notebook/mod.ts";

const SETUP = "apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel, " +
  "then deno jupyter --install";

/** The result of one `jupyter` command. */
export interface JupyterOutput {
  success: boolean;
  stdout: string;
  stderr: string;
}

/** Runs `jupyter` commands for a test. */
export interface Jupyter {
  run(args: string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<JupyterOutput>;
}

async function runJupyter(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<JupyterOutput> {
  const out = await new Deno.Command("jupyter", { args, ...options, stdout: "piped", stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { success: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** Why Jupyter cannot run notebooks here, or undefined when it can. */
async function findProblem(): Promise<string | undefined> {
  let listed: JupyterOutput;
  try {
    listed = await runJupyter(["kernelspec", "list", "--json"]);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "jupyter is not on the PATH";
    throw error;
  }
  if (!listed.success) return `"jupyter kernelspec list" failed: ${listed.stderr.trim().split("\n").at(-1)}`;
  if (!hasKernel(listed.stdout)) return 'the Deno kernel is not registered (no kernelspec "deno")';
  return undefined;
}

const PROBLEM = await findProblem();
let hinted = false;

/**
 * Declares a test that runs notebooks with the Deno kernel; `fn` gets a runner for `jupyter` commands. Without
 * Jupyter or the kernel: a failing test in CI, an ignored test with a hint elsewhere.
 */
export function jupyterTest(
  name: string,
  fn: (jupyter: Jupyter, t: Deno.TestContext) => Promise<void>,
): void {
  if (PROBLEM === undefined) {
    Deno.test(name, (t) => fn({ run: runJupyter }, t));
    return;
  }
  if (Deno.env.get("CI") === "true") {
    Deno.test(name, () => {
      throw new Error(`CI requires Jupyter with the Deno kernel: ${PROBLEM} (.ci/run installs it: ${SETUP})`);
    });
    return;
  }
  if (!hinted) {
    hinted = true;
    console.info(`Notebook tests ignored: ${PROBLEM}. To run them: ${SETUP}, then deno task test`);
  }
  Deno.test({ name, ignore: true, fn: () => {} });
}
