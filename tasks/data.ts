/**
 * `deno task data`: generates the dataset into `data/` (see `--help` and docs/DATASET.md).
 * @module
 */
import { DATA_USAGE, type DataCommand, generateDataset, parseDataArgs } from "../lib/generate/mod.ts";

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
  const { files } = await generateDataset(command.options);
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
