import assert from "node:assert/strict";
import { INPUTS } from "../contract/mod.ts";
import { DATA_TABLES } from "./schema.ts";
import { DOCUMENT_NODES } from "./document/nodes.ts";
import { RELATIONAL_NODES } from "./relational/nodes.ts";
import { CSV_LOADS } from "./relational/load_keyed_csv.ts";

Deno.test("every node says its pipeline, and the tables and files it names exist", () => {
  for (const [pipeline, nodes] of [["relational", RELATIONAL_NODES], ["document", DOCUMENT_NODES]] as const) {
    for (const node of nodes) assert.equal(node.pipeline, pipeline, node.id);
  }
  const tables = new Set([...DATA_TABLES.map((t) => t.name), "etl_schema", "etl_checks"]);
  const files = new Set([...INPUTS.map((i) => i.file), "content.json"]);
  for (const node of [...RELATIONAL_NODES, ...DOCUMENT_NODES]) {
    if (node.table) assert.ok(tables.has(node.table.name), `${node.id} fills ${node.table.name}`);
    if (node.input) assert.ok(files.has(node.input), `${node.id} reads ${node.input}`);
  }
});

Deno.test("each CSV input is loaded by the node that names it as its input", () => {
  assert.deepEqual(CSV_LOADS.map((l) => l.input), INPUTS);
  for (const { nodeId, input } of CSV_LOADS) {
    const node = RELATIONAL_NODES.find((n) => n.id === nodeId);
    assert.equal(node?.input, input.file);
    assert.equal(node?.table?.name, input.table);
  }
});
