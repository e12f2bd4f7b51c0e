import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../../notebooks/", import.meta.url));
const notebooks = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".ipynb")).map((e) => e.name)
  .sort();

Deno.test("the committed notebooks are clean: outputs cleared, Deno kernel, parameters first, lib/*/mod.ts only", () => {
  assert.deepEqual(notebooks, [
    "01_relational_pipeline.ipynb",
    "02_content_pipeline.ipynb",
    "03_device_and_geography.ipynb",
    "04_a_new_day.ipynb",
  ]);
  for (const name of notebooks) {
    const nb = JSON.parse(Deno.readTextFileSync(dir + name));
    assert.equal(nb.metadata.kernelspec.name, "deno", name);
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    for (const cell of code) {
      assert.deepEqual(cell.outputs, [], `${name}: outputs cleared`);
      assert.equal(cell.execution_count, null, `${name}: execution counts cleared`);
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      for (const [, path] of source.matchAll(/from "([^"]+)"/g)) {
        assert.match(path, /^\.\.\/lib\/[a-z_]+\/mod\.ts$/, `${name} imports ${path}`);
      }
    }
    assert.deepEqual(
      code[0].metadata.tags,
      ["parameters"],
      `${name}: the first code cell holds the parameters`,
    );
    assert.ok(code.some((c: { metadata: { tags?: string[] } }) => c.metadata.tags?.includes("chart")), name);
  }
});
