/**
 * `deno task data`: generates the dataset into `data/` (see `--help` and docs/DATASET.md).
 * @module
 */
import {
  appendDays,
  DATA_USAGE,
  type DataCommand,
  generateDataset,
  parseDataArgs,
  partitionSessionsByDay,
} from "../lib/generate/mod.ts";

let command: DataCommand;
try {
  command = parseDataArgs(Deno.args);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  Deno.exit(2);
}
if (command.help) {
  console.log(DATA_USAGE);
  Deno.exit(0);
}

const started = performance.now();
try {
  const { outDir, seed } = command.options;
  const appendOnly = command.appendDays !== undefined && command.partitionBy === undefined;
  const files = appendOnly ? [] : (await generateDataset(command.options)).files;
  if (command.partitionBy === "day") {
    const parts = await partitionSessionsByDay(outDir);
    const i = files.findIndex((f) => f.path.endsWith("viewing_sessions.csv"));
    const rows = parts.reduce((n, p) => n + p.rows, 0);
    const bytes = parts.reduce((n, p) => n + p.bytes, 0);
    files.splice(i, 1, { path: `${outDir}/viewing_sessions/ (${parts.length} days)`, rows, bytes });
  }
  if (command.appendDays !== undefined) {
    for (const { path, rows, bytes, kind } of await appendDays(outDir, command.appendDays, seed)) {
      files.push({ path: `${path} (${kind})`, rows, bytes });
    }
  }
  for (const { path, rows, bytes } of files) {
    const count = rows === undefined ? "" : `${rows.toLocaleString("en-US")} rows`;
    console.log(
      `${path.padEnd(32)} ${count.padStart(16)} ${`${bytes.toLocaleString("en-US")} bytes`.padStart(18)}`,
    );
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(2)} s`);
} catch (error) {
  if (!(error instanceof RangeError)) throw error;
  console.error(error.message);
  Deno.exit(2);
}
