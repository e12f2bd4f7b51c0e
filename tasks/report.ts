/**
 * `deno task report`: one self-contained HTML page (`out/report.html` unless `--out FILE`) with the last run's
 * summary and every chart as inline SVG, from the warehouse and document store of `deno task etl`
 * (`WAREHOUSE_URL`, `DOCSTORE_URL`, `WORKBENCH_STATE_DIR`).
 */
import { dirname } from "node:path";
import { headlessDocument } from "../lib/charts/mod.ts";
import { readReportContent, reportHtml } from "../lib/notebook/mod.ts";
import { openWorkbench } from "../lib/pipelines/mod.ts";

async function main(args: string[]): Promise<number> {
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 ? args[outAt + 1] : "out/report.html";
  if (!out || args.includes("--help") || args.includes("-h")) {
    console.log("Usage: deno task report [--out FILE]   (default out/report.html)");
    return out ? 0 : 2;
  }
  const env = Deno.env.toObject();
  let workbench;
  try {
    workbench = await openWorkbench({
      warehouseUrl: env.WAREHOUSE_URL || undefined,
      docstoreUrl: env.DOCSTORE_URL || undefined,
      stateDir: env.WORKBENCH_STATE_DIR || undefined,
    });
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  await using _ = workbench;
  try {
    const content = await readReportContent(workbench, headlessDocument(), new Date());
    await Deno.mkdir(dirname(out), { recursive: true });
    await Deno.writeTextFile(out, reportHtml(content));
    console.log(`Wrote ${out}: ${content.charts.length} charts, run ${content.run?.runId ?? "(none)"}`);
    return 0;
  } catch (error) {
    console.error(`Cannot write the report: ${(error as Error).message} (run deno task etl first)`);
    return 1;
  }
}

Deno.exit(await main(Deno.args));
