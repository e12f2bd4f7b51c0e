import assert from "node:assert/strict";
import { type LoadProgress, whyNotResumable } from "./load_progress.ts";

const stored: LoadProgress = {
  file: "viewing_sessions.csv",
  runId: "run-1",
  mode: "staged",
  phase: "stage",
  fileSize: 1000,
  fileMtimeMs: Date.UTC(2026, 11, 1),
  stageTable: "stage_sessions_local",
  stageNode: "node1 (h:3311)",
  nextLine: 4002,
  rowsCommitted: 4000,
  upsertFrom: null,
  inserted: 0,
  updated: 0,
};
const same = { size: 1000, mtimeMs: Date.UTC(2026, 11, 1) };
const here = { table: "stage_sessions_local", node: "node1 (h:3311)" };

Deno.test("whyNotResumable() continues only the same file, staged where it is now", () => {
  assert.equal(whyNotResumable(stored, same, here), undefined);
  assert.match(
    whyNotResumable(stored, { ...same, size: 1001 }, here)!,
    /^the file changed since run run-1 stopped \(1000 bytes, modified 2026-12-01T00:00:00.000Z; now 1001 bytes/,
  );
  assert.match(whyNotResumable(stored, { ...same, mtimeMs: same.mtimeMs + 1 }, here)!, /the file changed/);
  assert.equal(
    whyNotResumable(stored, same, { ...here, node: "node2 (h:3312)" }),
    "its staged rows are on node1 (h:3311), this run is connected to node2 (h:3312)",
  );
  assert.equal(
    whyNotResumable(stored, same, { table: "stage_sessions", node: null }),
    "run run-1 staged into stage_sessions_local, this run stages into stage_sessions",
  );
  // A direct load wrote into the replicated target: any node will do.
  const direct = { ...stored, mode: "direct" as const };
  assert.equal(whyNotResumable(direct, same, { table: "stage_sessions", node: "node2 (h:3312)" }), undefined);
});
