/**
 * `deno task etl` in a real pseudo-terminal (util-linux `script`) at 80x24, 120x35 and 60x15: the live view
 * is redrawn in place, so that the final screen and its scrollback show each node once, and no line is
 * wider than the terminal.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { RELATIONAL_NODES } from "../lib/pipelines/mod.ts";
import { DOCUMENT_NODES } from "../lib/pipelines/mod.ts";
import { hasScript, replayTerminal, runInPty } from "./_screen.ts";

const NODES = [...RELATIONAL_NODES, ...DOCUMENT_NODES].map((n) => n.id);
const ETL = new URL("../tasks/etl.ts", import.meta.url).pathname;
const available = await hasScript();

Deno.test({
  name:
    "etl CLI in a pseudo-terminal: the live view fits 80x24, 120x35, 60x15 and 80x10 and redraws in place",
  ignore: !available && Deno.env.get("CI") !== "true",
  async fn(t) {
    const state = await Deno.makeTempDir({ prefix: "etl_pty_" });
    const data = join(state, "data");
    // Big enough for the view to be redrawn many times while process_sessions runs; messy, so that rejects,
    // coercions and warnings are in the summary too.
    await generateDataset({ outDir: data, seed: 3, users: 2000, sessions: 120_000, messy: true });
    try {
      for (const [columns, rows] of [[80, 24], [120, 35], [60, 15], [80, 10]]) {
        await t.step(`${columns}x${rows}`, async () => {
          const { code, output } = await runInPty(
            `${Deno.execPath()} run -A ${ETL} --data ${data} --state-dir ${join(state, `s${columns}`)}`,
            columns,
            rows,
            { NO_COLOR: "1" },
          );
          assert.equal(code, 0, output.slice(-2000));
          const redraws = output.split("\x1b[").filter((s) => /^\d+F/.test(s)).length;
          assert.ok(redraws >= 2, `the view was redrawn (${redraws} times)`);
          const screen = replayTerminal(output, columns, rows);
          const wide = screen.filter((l) => [...l].length > columns - 1);
          assert.deepEqual(wide, [], `no line wider than ${columns - 1}`);
          const frame = screen.slice(0, screen.findIndex((l) => /^node\s+status/.test(l)));
          const liveLines = frame.filter((l) => /^[✔✘↷▶·] /.test(l));
          if (rows > NODES.length + 1) {
            for (const id of NODES) {
              const live = screen.filter((l) => new RegExp(`^[✔✘↷▶·] ${id}( |$)`).test(l));
              assert.equal(live.length, 1, `${id} appears once in the live view:\n${screen.join("\n")}`);
            }
          } else {
            // Too short for a line per node: the finished ones collapse into one line, drawn once.
            assert.ok(
              liveLines.length <= rows - 1,
              `the live view fits ${rows - 1} lines:\n${frame.join("\n")}`,
            );
            assert.equal(
              liveLines.filter((l) => /^✔ 13 done: validate_files, create_schema/.test(l)).length,
              1,
            );
            for (const id of NODES) {
              const live = screen.filter((l) => new RegExp(`^[✔✘↷▶·] ${id}( |$)`).test(l));
              assert.ok(live.length <= 1, `${id} is never drawn twice:\n${screen.join("\n")}`);
            }
          }
          assert.ok(screen.some((l) => /^node\s+status\s+read/.test(l)), "the summary table follows");
          assert.ok(screen.some((l) => /^run .*: success in/.test(l)));
          if (columns === 80) await Deno.writeTextFile(join(state, "screen_80x24.txt"), screen.join("\n"));
        });
      }
    } finally {
      await Deno.remove(state, { recursive: true });
    }
  },
});
