import assert from "node:assert/strict";
import { join } from "node:path";
import { openDocStore } from "./open_docstore.ts";

Deno.test("openDocStore() opens an embedded store in a folder, in <stateDir>/docstore, or in memory", async (t) => {
  const stateDir = await Deno.makeTempDir({ prefix: "open_docstore_" });
  try {
    const cases = [
      [`embedded:${join(stateDir, "mine")}`, `embedded:${join(stateDir, "mine")}`, "mine"],
      ["embedded:", `embedded:${join(stateDir, "docstore")}`, "docstore"],
      ["embedded::memory:", "embedded::memory:", undefined],
    ] as const;
    for (const [url, label, folder] of cases) {
      await t.step(url, async () => {
        await using store = await openDocStore(url, { stateDir });
        assert.equal(store.kind, "embedded");
        assert.equal(store.label, label);
        await store.collection("content").bulkUpsert([{ id: 1 }], { keyField: "id" });
        if (folder) assert.ok((await Deno.stat(join(stateDir, folder, "content.json"))).isFile);
      });
    }
    assert.deepEqual([...Deno.readDirSync(stateDir)].map((entry) => entry.name).sort(), ["docstore", "mine"]);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("openDocStore() checks options before connecting", async () => {
  await assert.rejects(
    openDocStore("mongodb://127.0.0.1:27017/workbench", { serverSelectionTimeoutMs: 0 }),
    RangeError,
  );
});

Deno.test("a store refuses a collection name it could not use as a file name", async () => {
  await using store = await openDocStore("embedded::memory:");
  for (const name of ["", "../etc", "a/b", ".hidden", "x".repeat(121)]) {
    assert.throws(() => store.collection(name), TypeError, name);
  }
  assert.equal(store.collection("content_v2.backup-1"), store.collection("content_v2.backup-1"));
});
