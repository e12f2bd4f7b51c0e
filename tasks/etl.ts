/**
 * `deno task etl`: runs the workbench's DAG headlessly, with live progress in a terminal (plain lines
 * otherwise), a summary table at the end, and a non-zero exit code when a node failed.
 */
import {
  ETL_HELP,
  formatPartitionSummary,
  formatSummary,
  parseEtlArgs,
  ProgressView,
} from "../lib/cli/mod.ts";
import type { DagEvent } from "../lib/dag/mod.ts";
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, runWorkbench } from "../lib/pipelines/mod.ts";

const encoder = new TextEncoder();
const write = (stream: { writeSync(p: Uint8Array): number }, text: string) =>
  stream.writeSync(encoder.encode(text));

async function main(): Promise<number> {
  let args;
  try {
    args = parseEtlArgs(Deno.args, Deno.env.toObject());
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (args.help) {
    console.log(ETL_HELP);
    return 0;
  }
  // With --json the summary owns stdout; everything for people goes to stderr.
  const out = args.json ? Deno.stderr : Deno.stdout;
  const say = (line: string) => write(out, line + "\n");

  const missing = await missingInputs(args.dataDir);
  if (missing.length > 0) {
    if (!args.dataDirIsDefault) {
      say(`Cannot run: ${missing.map((f) => `"${f}"`).join(", ")} not found in "${args.dataDir}"`);
      return 1;
    }
    say(`No dataset in "${args.dataDir}/": generating one first (deno task data)...`);
    const t0 = performance.now();
    await generateDataset({ outDir: args.dataDir });
    say(`Generated the dataset in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  let workbench;
  try {
    workbench = await openWorkbench({
      warehouseUrl: args.warehouseUrl,
      docstoreUrl: args.docstoreUrl,
      stateDir: args.stateDir,
    });
  } catch (error) {
    say((error as Error).message);
    return 1;
  }
  await using _ = workbench;
  say(
    `warehouse: ${workbench.warehouse.label}   docstore: ${workbench.docstore.label}   data: ${args.dataDir}`,
  );

  const live = out.isTerminal() && !Deno.env.get("NO_LIVE_PROGRESS");
  const view = new ProgressView(workbench.graph.order);
  let drawn = 0;
  const redraw = () => {
    const block = view.render();
    write(out, (drawn ? `\x1b[${drawn}F\x1b[J` : "") + block + "\n");
    drawn = block.split("\n").length;
  };
  const timer = live ? setInterval(redraw, 200) : undefined;
  const onEvent = (event: DagEvent) => {
    const line = view.apply(event);
    if (!live && line) say(line);
  };
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error("interrupted"));
  Deno.addSignalListener("SIGINT", onSignal);

  try {
    const result = await runWorkbench(workbench, {
      dataDir: args.dataDir,
      batchSize: args.batchSize,
      fresh: args.fresh,
      purge: args.purge,
      resume: args.resume,
      from: args.from,
      only: args.only,
      concurrency: args.concurrency,
      missingWatchDateLimit: args.missingWatchDateLimit,
      fullRefresh: args.fullRefresh,
      partitions: args.partitions,
      signal: controller.signal,
      onEvent,
    });
    if (live) redraw();
    say("\n" + formatSummary(result));
    const partitions = formatPartitionSummary(result);
    if (partitions) say(partitions);
    if (args.json) write(Deno.stdout, JSON.stringify(result, null, 2) + "\n");
    return result.status === "success" ? 0 : 1;
  } catch (error) {
    say((error as Error).message);
    return 1;
  } finally {
    clearInterval(timer);
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}

async function missingInputs(dir: string): Promise<string[]> {
  const missing = [];
  for (const file of ["users.csv", "viewing_sessions.csv", "content.json"]) {
    try {
      await Deno.stat(`${dir}/${file}`);
    } catch {
      // Sessions may come as a folder of daily files instead (viewing_sessions/).
      if (file === "viewing_sessions.csv" && await Deno.stat(`${dir}/viewing_sessions`).catch(() => null)) {
        continue;
      }
      missing.push(file);
    }
  }
  return missing;
}

Deno.exit(await main());
