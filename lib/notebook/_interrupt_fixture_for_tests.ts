/**
 * For run_node_live_interrupt_test.ts: in its own process (as a kernel is), runs process_sessions through
 * runNodeLive, prints "rows flowing" once rows are read, then the node's result and the last drawing as
 * JSON, then runs the node again and prints its status.
 *
 *   deno run -A _interrupt_fixture_for_tests.ts DATA_DIR STATE_DIR
 */
import { openWorkbench, startStepRun } from "../pipelines/mod.ts";
import { runNodeLive } from "./run_node_live.ts";

const [dataDir, stateDir] = Deno.args;
await using wb = await openWorkbench({ stateDir });
const steps = await startStepRun(wb, { dataDir, batchSize: 100 });
for (const id of ["validate_files", "create_schema", "load_dimensions", "process_users"]) {
  await steps.runNode(id);
}
let last = "";
let told = false;
const display = {
  show: (b: Record<string, string>) => void (last = b["text/html"]),
  update: (b: Record<string, string>) => void (last = b["text/html"]),
};
const result = await runNodeLive(steps, "process_sessions", {
  display,
  onEvent: (event) => {
    if (event.type === "node-progress" && !told) {
      told = true;
      console.log("rows flowing");
    }
  },
});
console.log(
  JSON.stringify({ status: result.status, error: result.error, rowsRead: result.rowsRead, html: last }),
);
console.log(`again: ${(await steps.runNode("process_sessions")).status}`);
// A step run holds the warehouse's lease (its heartbeat thread keeps the process alive) until it finishes.
await steps.finish();
