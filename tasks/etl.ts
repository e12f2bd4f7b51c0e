/**
 * `deno task etl`: runs the workbench's DAG headlessly, with live progress in a terminal (plain lines
 * otherwise), a summary table at the end, and a non-zero exit code when a node failed: 1 for a failed run,
 * 2 for bad options, 3 when another run is live on the warehouse (unless `--wait`).
 */
import {
  ETL_HELP,
  fitLine,
  formatPartitionSummary,
  formatRunQuality,
  formatSummary,
  parseEtlArgs,
  ProgressView,
  type ScreenSize,
  wrapText,
} from "../lib/cli/mod.ts";
import type { DagEvent } from "../lib/dag/mod.ts";
import { generateDataset } from "../lib/generate/mod.ts";
import { describeLiveRun, LeaseBusyError, openWorkbench, runWorkbench } from "../lib/pipelines/mod.ts";

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
  const live = out.isTerminal() && !Deno.env.get("NO_LIVE_PROGRESS");
  // In a terminal every line fits its width (a wrapped line breaks redrawing in place); elsewhere, no limit.
  const screen = (): Partial<ScreenSize> => {
    if (!live) return {};
    try {
      return Deno.consoleSize();
    } catch {
      return {};
    }
  };
  const say = (line: string) =>
    write(out, line.split("\n").map((l) => fitLine(l, (screen().columns ?? Infinity) - 1)).join("\n") + "\n");

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
      leaseTimeoutMs: args.leaseTimeoutMs,
    });
  } catch (error) {
    say((error as Error).message);
    return 1;
  }
  await using _ = workbench;
  say(
    `warehouse: ${workbench.warehouse.label}   docstore: ${workbench.docstore.label}   data: ${args.dataDir}`,
  );

  const view = new ProgressView(workbench.graph.order);
  let drawn = 0;
  // The block fits the terminal (Deno.consoleSize() at each frame), so moving up `drawn` lines and clearing
  // to the end redraws it in place; the cursor is hidden meanwhile.
  const redraw = () => {
    const block = view.render(screen());
    write(out, (drawn ? `\x1b[${drawn}F\x1b[J` : "\x1b[?25l") + block + "\n");
    drawn = block.split("\n").length;
  };
  const timer = live ? setInterval(redraw, 200) : undefined;
  const warnings: string[] = [];
  const onEvent = (event: DagEvent) => {
    const line = view.apply(event);
    if (event.type === "node-log" && event.message.startsWith("warning")) {
      warnings.push(`${event.nodeId}: ${event.message}`);
    }
    if (!live && line) say(line);
  };
  const controller = new AbortController();
  // SIGTERM (systemctl stop, a container stop) is a Ctrl+C too: cancel, record the run, print the summary.
  const signals = ["SIGINT", "SIGTERM"] as const;
  const onSignal = () => controller.abort(new Error("interrupted"));
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);

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
      encoding: args.encoding,
      maxLineBytes: args.maxLineBytes,
      retryBudgetMs: args.retryBudgetMs,
      maxRejectRate: args.maxRejectRate,
      maxVolumeDrop: args.maxVolumeDrop,
      fullRefresh: args.fullRefresh,
      partitions: args.partitions,
      signal: controller.signal,
      onEvent,
      source: "cli",
      wait: args.wait,
      onWait: (holder) => say(`Waiting: ${describeLiveRun(holder)}...`),
    });
    if (live) redraw();
    if (live) write(out, "\x1b[?25h");
    const { columns } = screen();
    say("\n" + formatSummary(result, { columns }));
    const partitions = formatPartitionSummary(result);
    if (partitions) say(partitions);
    if (result.unrecorded) say(`\nWarning: the run store is incomplete: ${result.unrecorded}`);
    // The rejects and coercions are read back from the warehouse, which may be what just failed.
    const files = await workbench.runStore.fileQuality(result.runId).catch((error) => {
      say(`\nCannot read the run's rejects and coercions back: ${(error as Error).message}`);
      return [];
    });
    const quality = formatRunQuality(files, { runId: result.runId, columns });
    if (quality) say("\n" + quality);
    const failed = result.nodes.filter((n) => n.status === "failed");
    if (failed.length) {
      const width = (columns ?? Infinity) - 1;
      say("\nFailed:\n" + failed.map((n) => wrapText(`  ${n.nodeId}: ${n.error}`, width, "    ")).join("\n"));
    }
    if (warnings.length) {
      say(
        "\nWarnings:\n" +
          warnings.map((w) => wrapText(`  ${w}`, (columns ?? Infinity) - 1, "    ")).join("\n"),
      );
    }

    // The run, plus each file's rejects and coercions by reason and field (with two example lines each).
    if (args.json) write(Deno.stdout, JSON.stringify({ ...result, files }, null, 2) + "\n");
    return result.status === "success" ? 0 : 1;
  } catch (error) {
    if (live && drawn) redraw();
    say((error as Error).message);
    return error instanceof LeaseBusyError ? 3 : 1;
  } finally {
    clearInterval(timer);
    if (live) write(out, "\x1b[?25h");
    for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
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
