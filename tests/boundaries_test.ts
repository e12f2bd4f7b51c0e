/**
 * The boundaries of docs/ARCHITECTURE.md, checked on the source: engine differences stay in the warehouse
 * adapters, and the run tables are read and written by the run store only.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) yield path;
  }
}

/** `file:line: text` of every line in `dirs` matching `pattern`, outside the files `allowed` accepts. */
async function offences(
  dirs: readonly string[],
  pattern: RegExp,
  allowed: (file: string) => boolean = () => false,
): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    for await (const path of sourceFiles(join(ROOT, dir))) {
      const file = relative(ROOT, path);
      if (allowed(file)) continue;
      const text = await Deno.readTextFile(path);
      // Matched on the whole text, so that a call split over lines is seen too.
      for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags.replace("g", "") + "g"))) {
        const line = text.slice(0, match.index).split("\n").length;
        found.push(`${file}:${line}: ${match[0].replace(/\s+/g, " ")}`);
      }
    }
  }
  return found;
}

Deno.test("no engine test outside the warehouse adapters: they ask wh.sql or wh.liveChannel", async () => {
  const found = await offences(
    ["lib/pipelines", "lib/server", "lib/dag", "lib/notebook"],
    /dialect\s*[!=]==|\.label\.startsWith\(\s*["'](sqlite|mysql)/,
  );
  assert.deepEqual(found, [], `engine checks outside lib/warehouse:\n${found.join("\n")}`);
});

/** The tables of the run store: runs, node runs, rejects, coercions, file statistics, checks, lease, live rows. */
const RUN_TABLE = String.raw`etl_(runs|node_runs|rejects|coercions|file_stats|checks|lease|live)\b`;

Deno.test("the run tables are read and written by the run store only", async () => {
  // SQL that names a run table, or a warehouse call given one by name.
  const sql = new RegExp(
    String.raw`\b(FROM|INTO|JOIN|UPDATE|TABLE)\s+[\x60"]?${RUN_TABLE}|` +
      String.raw`\.(upsert|bulkInsert|syncRows|syncFromSelect)\(\s*["\x60]${RUN_TABLE}`,
  );
  const found = await offences(
    ["lib", "tasks", "web"],
    sql,
    // The store's own module and its private helpers beside it; the schema declares the tables.
    (file) =>
      file === "lib/pipelines/run_store.ts" || /^lib\/pipelines\/_[a-z_]+\.ts$/.test(file) ||
      file === "lib/pipelines/schema.ts",
  );
  assert.deepEqual(found, [], `run tables touched outside the run store:\n${found.join("\n")}`);
});

/** Which folders of `lib/` each folder may import (docs/ARCHITECTURE.md, "Folders and who may import whom"). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  format: [],
  dag: [],
  extract: [],
  docstore: [],
  warehouse: [],
  contract: ["warehouse"],
  generate: ["contract"],
  pipelines: ["contract", "dag", "extract", "warehouse", "docstore"],
  charts: ["contract", "warehouse"],
  notebook: ["pipelines", "charts", "format", "dag", "docstore", "generate", "warehouse", "contract"],
  server: ["pipelines", "charts", "notebook", "format", "dag", "docstore", "warehouse", "contract"],
  cli: ["pipelines", "dag", "format", "server", "extract", "contract", "warehouse"],
};

Deno.test("each folder of lib/ imports only the folders below it", async () => {
  const found: string[] = [];
  for (const folder of Object.keys(MAY_IMPORT)) {
    for await (const path of sourceFiles(join(ROOT, "lib", folder))) {
      const text = await Deno.readTextFile(path);
      for (const [, spec] of text.matchAll(/^(?:import|export)[^;]*?from "(\.[^"]+)"/gms)) {
        const target = relative(join(ROOT, "lib"), join(path, "..", spec)).split("/")[0];
        if (target === folder || target.startsWith("..") || !(target in MAY_IMPORT)) continue;
        if (!MAY_IMPORT[folder].includes(target)) found.push(`${relative(ROOT, path)} imports lib/${target}`);
      }
    }
  }
  assert.deepEqual(found, [], `imports against the layering:\n${found.join("\n")}`);
});
