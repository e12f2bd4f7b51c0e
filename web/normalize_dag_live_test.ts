import assert from "node:assert/strict";
import { normalizeDag } from "./normalize_dag.ts";

Deno.test("normalizeDag() keeps who started the run, its error, and the abandoned state", () => {
  const dag = normalizeDag({
    success: true,
    dag: {
      status: "abandoned",
      runId: "r1",
      startedBy: { source: "cli", host: "lab1", pid: 4242 },
      error: "abandoned: no heartbeat for 15.2 s",
      nodes: [{ id: "a", status: "failed", error: "abandoned: no heartbeat for 15.2 s" }],
    },
  });
  assert.equal(dag?.status, "abandoned");
  assert.deepEqual(dag?.startedBy, { source: "cli", host: "lab1", pid: 4242 });
  assert.equal(dag?.error, "abandoned: no heartbeat for 15.2 s");
  const older = normalizeDag({ dag: { status: "running", startedBy: "cli", error: "", nodes: [] } });
  assert.equal(older?.startedBy, null, "a malformed startedBy is dropped");
  assert.equal(older?.error, null);
});
