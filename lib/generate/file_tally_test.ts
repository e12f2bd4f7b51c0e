import assert from "node:assert/strict";
import { FileTally } from "./file_tally.ts";

Deno.test("FileTally counts rows, outcomes and the lines of rejects and duplicates", () => {
  const tally = new FileTally({ reasons: ["missing_key", "malformed"], coercible: ["age"], watchDate: true });
  tally.addClean();
  tally.add(3, { status: "loaded", coerced: ["age"], missingWatchDate: true });
  tally.add(4, { status: "blank" });
  tally.add(5, { status: "rejected", reason: "malformed" });
  tally.add(6, { status: "duplicate" });
  tally.add(7, { status: "rejected", reason: "malformed" });
  assert.deepEqual(tally.outcome(), {
    rows: 5,
    loaded: 2,
    duplicates: 1,
    missing_watch_date: 1,
    rejected: { missing_key: 0, malformed: 2 },
    coerced: { age: 1 },
    reject_lines: { missing_key: [], malformed: [5, 7] },
    duplicate_lines: [6],
  });
});

Deno.test("FileTally leaves missing_watch_date out unless asked", () => {
  const tally = new FileTally({ reasons: [], coercible: [] });
  tally.addClean();
  assert.equal("missing_watch_date" in tally.outcome(), false);
});
