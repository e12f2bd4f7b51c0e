import assert from "node:assert/strict";
import { readNotebookParams } from "./notebook_params.ts";

Deno.test("readNotebookParams() uses the CLI's defaults under the repository root", () => {
  const p = readNotebookParams({}, "/repo");
  assert.deepEqual(p, {
    dataDir: "/repo/data",
    warehouseUrl: "sqlite:/repo/.workbench/warehouse.db",
    docstoreUrl: "embedded:/repo/.workbench/docstore",
    stateDir: "/repo/.workbench",
    scale: 1,
    users: undefined,
    sessions: undefined,
    messy: false,
    timeBudgetMs: 900_000,
  });
});

Deno.test("readNotebookParams() reads the environment", async (t) => {
  await t.step("servers, folders and a small dataset", () => {
    const p = readNotebookParams({
      DATA_DIR: "/tmp/d",
      WAREHOUSE_URL: "mysql://u:p@127.0.0.1:3306/wb",
      DOCSTORE_URL: "mongodb://127.0.0.1:27017/wb",
      WORKBENCH_STATE_DIR: "state",
      NOTEBOOK_SCALE: "2",
      NOTEBOOK_USERS: "100",
      NOTEBOOK_SESSIONS: "2000",
      NOTEBOOK_MESSY: "true",
      NOTEBOOK_TIME_BUDGET_S: "30",
    }, "/repo");
    assert.equal(p.dataDir, "/tmp/d");
    assert.equal(p.warehouseUrl, "mysql://u:p@127.0.0.1:3306/wb");
    assert.equal(p.docstoreUrl, "mongodb://127.0.0.1:27017/wb");
    assert.equal(p.stateDir, "/repo/state");
    assert.deepEqual([p.scale, p.users, p.sessions, p.messy, p.timeBudgetMs], [2, 100, 2000, true, 30_000]);
  });
  await t.step("the state folder moves the embedded stores", () => {
    const p = readNotebookParams({ WORKBENCH_STATE_DIR: "/s" }, "/repo");
    assert.equal(p.warehouseUrl, "sqlite:/s/warehouse.db");
    assert.equal(p.docstoreUrl, "embedded:/s/docstore");
  });
  await t.step("bad numbers are a RangeError naming the variable", () => {
    assert.throws(() => readNotebookParams({ NOTEBOOK_SCALE: "0" }, "/r"), /NOTEBOOK_SCALE/);
    assert.throws(() => readNotebookParams({ NOTEBOOK_USERS: "1.5" }, "/r"), RangeError);
    assert.throws(() => readNotebookParams({ NOTEBOOK_TIME_BUDGET_S: "soon" }, "/r"), RangeError);
  });
});
