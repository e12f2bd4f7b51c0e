/**
 * `deno task notebooks:clean`: strips outputs, execution counts and Jupyter's run metadata from the notebooks
 * in `notebooks/`, as they are committed (JupyterLab autosaves outputs into the files). With `--check` it
 * changes nothing and exits 1 when a notebook is not clean (`deno task ok` runs it so).
 *
 *   deno task notebooks:clean [--check] [--dir DIR]
 */
import { join } from "node:path";
import { cleanNotebookText } from "../lib/notebook/mod.ts";

const args = Deno.args;
const check = args.includes("--check");
const dirAt = args.indexOf("--dir");
const dir = dirAt >= 0 && args[dirAt + 1] ? args[dirAt + 1] : "notebooks";
const unknown = args.filter((a, i) => a !== "--check" && a !== "--dir" && !(i === dirAt + 1 && dirAt >= 0));
if (unknown.length) {
  console.error(
    `Unknown argument ${
      unknown.map((a) => `"${a}"`).join(", ")
    } (usage: deno task notebooks:clean [--check] [--dir DIR])`,
  );
  Deno.exit(2);
}
const dirty: string[] = [];
for (
  const entry of [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".ipynb")).sort((a, b) =>
    a.name < b.name ? -1 : 1
  )
) {
  const path = join(dir, entry.name);
  const { text, changed } = cleanNotebookText(await Deno.readTextFile(path));
  if (!changed) continue;
  dirty.push(path);
  if (!check) await Deno.writeTextFile(path, text);
}
if (check && dirty.length) {
  console.error(`Not clean (outputs or run metadata): ${dirty.join(", ")}; run deno task notebooks:clean`);
  Deno.exit(1);
}
console.log(dirty.length ? `Cleaned ${dirty.join(", ")}` : "The notebooks are clean");
