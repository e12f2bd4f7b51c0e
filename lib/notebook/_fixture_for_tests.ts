import { generateDataset } from "../generate/mod.ts";
import { openWorkbench, type Workbench } from "../pipelines/mod.ts";

/** A small messy dataset and a fresh SQLite + embedded workbench in temp folders, removed afterwards. */
export async function withSmallWorkbench(
  fn: (wb: Workbench, dataDir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "notebook_lib_" });
  try {
    const dataDir = `${dir}/data`;
    await generateDataset({ outDir: dataDir, seed: 3, users: 150, sessions: 2500, messy: true });
    await using wb = await openWorkbench({ stateDir: `${dir}/state` });
    await fn(wb, dataDir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
