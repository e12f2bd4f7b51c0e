/**
 * `deno task rejects [RUN_ID]`: lists a run's rejected rows (file, line, reason, field, value, raw line) and
 * the values it stored as NULL or a default, filtered by file and reason; `--csv` exports them for fixing.
 */
import { parseRejectsArgs, REJECTS_HELP, rejectsCsv, rejectsText } from "../lib/cli/mod.ts";
import { openWorkbench } from "../lib/pipelines/mod.ts";

async function main(): Promise<number> {
  let args;
  try {
    args = parseRejectsArgs(Deno.args, Deno.env.toObject());
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (args.help) {
    console.log(REJECTS_HELP);
    return 0;
  }
  let workbench;
  try {
    workbench = await openWorkbench({ warehouseUrl: args.warehouseUrl, stateDir: args.stateDir });
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  await using _ = workbench;
  const wh = workbench.warehouse;
  const runId = args.runId ?? await workbench.runStore.latestRunId();
  if (!runId) {
    console.error(`No run is recorded in ${wh.label}: run deno task etl first`);
    return 1;
  }
  if (!await workbench.runStore.getRun(runId)) {
    console.error(`No run "${runId}" in ${wh.label} (deno task rejects without a run id lists the newest)`);
    return 1;
  }
  const filter = { file: args.file, reason: args.reason, limit: args.limit };
  const rejects = args.coercions === "only" ? [] : await workbench.runStore.listRejects(runId, filter);
  const coercions = args.coercions === "none" ? [] : await workbench.runStore.listCoercions(runId, filter);
  if (args.csv) {
    await Deno.stdout.write(new TextEncoder().encode(rejectsCsv(rejects, coercions)));
    return 0;
  }
  let columns = Infinity;
  if (Deno.stdout.isTerminal()) {
    try {
      columns = Deno.consoleSize().columns;
    } catch { /* not a console after all */ }
  }
  console.log(
    `run ${runId}${args.file ? `, ${args.file}` : ""}${args.reason ? `, reason ${args.reason}` : ""}`,
  );
  console.log(rejectsText(rejects, coercions, {
    columns,
    showRejects: args.coercions !== "only",
    showCoercions: args.coercions !== "none",
  }));
  if (rejects.length === args.limit || coercions.length === args.limit) {
    console.log(`(the first ${args.limit} of each: --limit N for more)`);
  }
  return 0;
}

Deno.exit(await main());
