import assert from "node:assert/strict";
import { join } from "node:path";
import { type DisplayOptions, openNotebook } from "./notebook_session.ts";
import { HtmlBlock } from "./html_block.ts";

Deno.test("openNotebook() shows the parameters, makes the dataset, and steps through nodes with live output", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wb-nb-session-" });
  try {
    const displays: { value: unknown; options?: DisplayOptions }[] = [];
    const jupyter = {
      display: (value: unknown, options?: DisplayOptions) => {
        displays.push({ value, options });
      },
    };
    const env = {
      DATA_DIR: join(dir, "data"),
      WORKBENCH_STATE_DIR: join(dir, "state"),
      NOTEBOOK_USERS: "40",
      NOTEBOOK_SESSIONS: "120",
    };
    await using nb = await openNotebook("01_test", { jupyter, env, cwd: join(dir, "notebooks") });
    assert.equal(nb.generated, true);
    assert.match(
      String((displays[0].value as Record<string, string>)["text/markdown"]),
      /40 users, 120 sessions/,
    );
    assert.equal(nb.params.dataDir, join(dir, "data"));

    const steps = await nb.startSteps();
    await nb.step(steps, "validate_files");
    const live = displays.filter((d) => d.options?.display_id?.includes("validate_files"));
    assert.ok(live.some((d) => d.options?.update), "the progress table is redrawn in place");
    const report = displays.at(-1)!.value;
    assert.ok(report instanceof HtmlBlock);
    assert.match(JSON.stringify(report), /validate_files/);
    const run = await steps.finish();
    const [stored] = await nb.wb.runStore.listRuns(1);
    assert.equal(stored.runId, run.runId);
    assert.equal(stored.options?.notebook, "01_test");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
