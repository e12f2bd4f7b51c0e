/**
 * `deno task notebooks`: executes every notebook in `notebooks/` with the Deno Jupyter kernel into
 * `out/notebooks/` (git-ignored) and exports each to HTML, for instructors to project or share. The notebooks
 * read their parameters from the environment (DATA_DIR, WAREHOUSE_URL, DOCSTORE_URL, WORKBENCH_STATE_DIR,
 * NOTEBOOK_SCALE, ...). Exits non-zero when a notebook has an error or a chart cell without SVG.
 *
 * When a cell fails, the notebook is kept, executed up to that cell, with its HTML, and one sentence says
 * which cell failed and why.
 *
 *   deno task notebooks [--out DIR] [--dir NOTEBOOKS_DIR] [NAME ...]
 */
import { isAbsolute, join } from "node:path";
import {
  failureSentence,
  hasKernel,
  inspectNotebook,
  nbconvertArgs,
  readNotebookParams,
} from "../lib/notebook/mod.ts";

const SETUP =
  "apt-get install jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel, then deno jupyter --install";

async function jupyter(
  args: string[],
  cwd?: string,
  env?: Record<string, string>,
): Promise<{ ok: boolean; stderr: string; stdout: string }> {
  try {
    const out = await new Deno.Command("jupyter", { args, cwd, env, stdout: "piped", stderr: "piped" })
      .output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { ok: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { ok: false, stdout: "", stderr: "jupyter is not installed" };
    }
    throw error;
  }
}

async function main(args: string[]): Promise<number> {
  const root = Deno.cwd();
  let out = "out/notebooks";
  let dir = "notebooks";
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out" && args[i + 1]) out = args[++i];
    else if (args[i] === "--dir" && args[i + 1]) dir = args[++i];
    else names.push(args[i]);
  }
  const notebooksDir = isAbsolute(dir) ? dir : join(root, dir);
  const outDir = isAbsolute(out) ? out : join(root, out);
  // Nodes cancel themselves at their budget; nbconvert waits a little longer before giving up on a cell.
  const { timeBudgetMs } = readNotebookParams(Deno.env.toObject(), root);
  const kernels = await jupyter(["kernelspec", "list", "--json"]);
  if (!kernels.ok || !hasKernel(kernels.stdout)) {
    console.error(
      `Cannot run the notebooks: ${
        kernels.ok ? "the Deno kernel is not registered" : kernels.stderr.trim()
      } (${SETUP})`,
    );
    return 1;
  }
  const notebooks = [...Deno.readDirSync(notebooksDir)]
    .map((e) => e.name)
    .filter((n) => n.endsWith(".ipynb") && (names.length === 0 || names.some((w) => n.startsWith(w))))
    .sort();
  if (notebooks.length === 0) {
    console.error(`Cannot run the notebooks: none matches ${names.map((n) => `"${n}"`).join(", ")}`);
    return 2;
  }
  await Deno.mkdir(outDir, { recursive: true });
  let failed = 0;
  for (const name of notebooks) {
    const t0 = performance.now();
    const cmd = nbconvertArgs(`${notebooksDir}/${name}`, {
      outDir,
      cellTimeoutS: timeBudgetMs / 1000 + 120,
      pythonPath: Deno.env.get("PYTHONPATH"),
    });
    // The kernel starts in the notebook's folder, where it finds deno.json and its import map.
    const executed = await jupyter(cmd.execute, notebooksDir, cmd.env);
    const notebook = executed.ok ? JSON.parse(await Deno.readTextFile(cmd.executedPath)) : undefined;
    const inspection = notebook ? inspectNotebook(notebook) : undefined;
    if (!executed.ok || !inspection) {
      failed++;
      // One sentence: the last line of nbconvert's traceback says what went wrong.
      const why = executed.stderr.trim().split("\n").filter((l) => l.trim()).at(-1) ?? "no output";
      console.error(`${name}: FAILED to execute: ${why.trim()}`);
      continue;
    }
    const html = await jupyter(cmd.html);
    const htmlPath = cmd.executedPath.replace(/\.ipynb$/, ".html");
    const sentence = failureSentence(name, notebook, inspection, html.ok ? htmlPath : cmd.executedPath);
    if (sentence) console.error(sentence);
    const problems = [
      ...inspection.errors.map((e) => `cell ${e.cell}: ${e.message}`),
      ...inspection.chartCellsWithoutSvg.map((c) => `cell ${c}: chart without SVG`),
      ...(html.ok ? [] : [`HTML export failed: ${html.stderr.trim().split("\n").at(-1)}`]),
    ];
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (problems.length) {
      failed++;
      console.error(`${name}: FAILED in ${seconds} s\n  ${problems.join("\n  ")}`);
    } else {
      console.log(
        `${name}: ${inspection.executedCells} cells, ${inspection.chartCells.length} charts in ${seconds} s -> ${
          cmd.executedPath.replace(/\.ipynb$/, ".html")
        }`,
      );
    }
  }
  return failed ? 1 : 0;
}

Deno.exit(await main(Deno.args));
