import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkNotebooks, codeCells, notebookModule } from "./check_notebooks.ts";

const CONFIG = fileURLToPath(new URL("../deno.json", import.meta.url));

/** A notebook as Jupyter writes it (one-space JSON, which `deno fmt` keeps), from cells as [type, lines]. */
function notebook(cells: ["markdown" | "code", string[]][]): string {
  return JSON.stringify(
    {
      cells: cells.map(([type, source]) =>
        type === "code"
          ? { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source }
          : { cell_type: "markdown", metadata: {}, source }
      ),
      metadata: {
        kernelspec: { display_name: "Deno", language: "typescript", name: "deno" },
        // deno fmt formats code cells only when the notebook says their language.
        language_info: { file_extension: ".ts", mimetype: "text/x.typescript", name: "typescript" },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  ) + "\n";
}

/** A folder laid out like the repository: `lib/answer.ts` and notebooks in `notebooks/`. */
async function withNotebooks(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "notebooks_test_dir_" });
  try {
    await Deno.mkdir(join(dir, "lib"));
    await Deno.mkdir(join(dir, "notebooks"));
    await Deno.writeTextFile(join(dir, "lib", "answer.ts"), "export const answer = (): number => 42;\n");
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, "notebooks", name), text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const GOOD = notebook([
  ["markdown", ["# Good\n", "\n", "Cells share one scope, as in the kernel."]],
  ["code", ['import { answer } from "../lib/answer.ts";\n', "\n", "const n: number = answer();"]],
  ["markdown", ["Shown with the kernel's display."]],
  ["code", ['await Deno.jupyter.display({ "text/plain": String(n) }, { raw: true });']],
]);

Deno.test("checkNotebooks() passes a formatted notebook whose cells type-check together", async () => {
  await withNotebooks({ "good.ipynb": GOOD }, async (dir) => {
    const result = await checkNotebooks([join(dir, "notebooks", "good.ipynb")], { config: CONFIG, cwd: dir });
    assert.deepEqual(result.unformatted, []);
    assert.equal(result.ok, true, result.report);
  });
});

Deno.test("checkNotebooks() fails on a type error, naming the notebook, the cell and its line", async () => {
  const bad = notebook([
    ["markdown", ["# Bad"]],
    ["code", ['import { answer } from "../lib/answer.ts";']],
    ["code", ["const n = answer();\n", "const s: string = n + 1;\n", "console.log(s);"]],
  ]);
  await withNotebooks({ "good.ipynb": GOOD, "bad.ipynb": bad }, async (dir) => {
    const notebooks = ["good.ipynb", "bad.ipynb"].map((name) => join(dir, "notebooks", name));
    const result = await checkNotebooks(notebooks, { config: CONFIG, cwd: dir });
    assert.equal(result.ok, false);
    assert.equal(result.typesOk, false);
    assert.deepEqual(result.unformatted, []);
    assert.match(result.report, /Type 'number' is not assignable to type 'string'/);
    assert.match(result.report, /at notebooks\/bad\.ipynb cell 3 \(code cell 2\), line 2:7/);
    assert.doesNotMatch(result.report, /good\.ipynb cell/);
    assert.match(result.report, /^Check notebooks\/bad\.ipynb$/m);
    assert.doesNotMatch(result.report, /check_notebooks_/, "no temporary path is left in the report");
  });
});

Deno.test("checkNotebooks() fails on a notebook that deno fmt would change", async () => {
  const messy = notebook([["code", ["const  x=1;\n", "console.log(x)"]]]);
  await withNotebooks({ "messy.ipynb": messy }, async (dir) => {
    const path = join(dir, "notebooks", "messy.ipynb");
    const result = await checkNotebooks([path], { config: CONFIG, cwd: dir });
    assert.equal(result.ok, false);
    assert.deepEqual(result.unformatted, [path]);
    assert.equal(result.typesOk, true);
    assert.doesNotMatch(result.report, /ERROR/);
  });
});

Deno.test("checkNotebooks() names a notebook that is not JSON", async () => {
  await withNotebooks({ "broken.ipynb": "{ not json" }, async (dir) => {
    await assert.rejects(
      checkNotebooks([join(dir, "notebooks", "broken.ipynb")], { config: CONFIG, cwd: dir }),
      (error: Error) => error instanceof SyntaxError && /broken\.ipynb": not JSON/.test(error.message),
    );
  });
});

Deno.test("codeCells() keeps code cells in order with their positions, and rejects a malformed cell", () => {
  const cells = codeCells(
    JSON.parse(notebook([["markdown", ["# T"]], ["code", ["a;\n", "b;"]], ["code", ["c;"]]])),
    "t.ipynb",
  );
  assert.deepEqual(cells, [{ cell: 2, codeCell: 1, source: "a;\nb;" }, {
    cell: 3,
    codeCell: 2,
    source: "c;",
  }]);
  assert.throws(() => codeCells({ cells: [{ cell_type: "code", source: 7 }] }, "t.ipynb"), {
    name: "TypeError",
    message: 'Cannot read "t.ipynb": cell 1 has a "source" that is not text',
  });
  assert.throws(() => codeCells({}, "t.ipynb"), {
    message: 'Cannot read "t.ipynb": "cells" is not an array',
  });
});

Deno.test("notebookModule() resolves relative imports from the notebook and maps lines back to cells", () => {
  const cells = [
    { cell: 2, codeCell: 1, source: 'import { a } from "../lib/a.ts";\nconst b = await import("./b.ts");' },
    { cell: 4, codeCell: 2, source: 'import "npm:zod";\na;' },
  ];
  const module = notebookModule(cells, "/repo/notebooks/n.ipynb");
  const lines = module.text.split("\n");
  assert.equal(lines[2], 'import { a } from "file:///repo/lib/a.ts";');
  assert.equal(lines[3], 'const b = await import("file:///repo/notebooks/b.ts");');
  assert.equal(lines[5], 'import "npm:zod";');
  assert.deepEqual(module.lineAt(4), { cell: cells[0], line: 2 });
  assert.deepEqual(module.lineAt(7), { cell: cells[1], line: 2 });
  assert.equal(module.lineAt(1), undefined);
  assert.equal(module.lineAt(5), undefined, "the marker line before cell 4");
});
