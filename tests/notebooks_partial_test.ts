/**
 * `deno task notebooks` when a cell fails: the executed notebook and its HTML are kept up to that cell, and
 * one sentence says which cell failed and why.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { jupyterTest } from "./_jupyter.ts";

const cell = (source: string) => ({
  cell_type: "code",
  execution_count: null,
  metadata: {},
  outputs: [],
  source,
});

jupyterTest(
  "deno task notebooks keeps a failing notebook's cells and HTML up to the failing cell",
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "notebooks_partial_" });
    try {
      const notebook = {
        cells: [
          cell(
            'await Deno.jupyter.display({ "text/plain": ["before", "the", "failure"].join(" ") }, { raw: true });',
          ),
          cell(
            'throw new RangeError("Cannot run \\"process_sessions\\" yet: run create_schema and process_users first");',
          ),
          // The text only appears in an output, never in the source.
          cell(
            'await Deno.jupyter.display({ "text/plain": ["after", "the", "failure"].join(" ") }, { raw: true });',
          ),
        ],
        metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      await Deno.mkdir(join(dir, "nb"));
      await Deno.writeTextFile(join(dir, "nb", "09_fails.ipynb"), JSON.stringify(notebook));
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("../tasks/notebooks.ts", import.meta.url).pathname,
          "--dir",
          join(dir, "nb"),
          "--out",
          join(dir, "out"),
        ],
        stdout: "piped",
        stderr: "piped",
        env: { NOTEBOOK_TIME_BUDGET_S: "60" },
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 1, stderr);
      const htmlPath = join(dir, "out", "09_fails.html");
      const [sentence] = stderr.trim().split("\n");
      assert.equal(
        sentence,
        `09_fails.ipynb failed in cell 1 (throw new RangeError("Cannot run \\"process_sessions\\" yet: …): ` +
          `RangeError: Cannot run "process_sessions" yet: run create_schema and process_users first; ` +
          `kept up to that cell in ${htmlPath}`,
      );
      assert.doesNotMatch(stderr, /Traceback/, "no Python traceback");
      const executed = JSON.parse(await Deno.readTextFile(join(dir, "out", "09_fails.ipynb")));
      assert.equal(executed.cells[0].execution_count, 1);
      assert.equal(executed.cells[1].outputs[0].output_type, "error");
      assert.equal(executed.cells[2].execution_count, null, "nothing ran after the failure");
      const html = await Deno.readTextFile(htmlPath);
      assert.match(html, /before the failure/);
      assert.match(html, /run create_schema and process_users first/);
      assert.doesNotMatch(html, /after the failure/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
