import { join } from "node:path";
import { generateDataset } from "../generate/mod.ts";
import type { NotebookParams } from "./notebook_params.ts";

const INPUTS = ["users.csv", "viewing_sessions.csv", "content.json"];

/**
 * Generates the dataset into `params.dataDir` unless all three inputs are there; returns whether it did.
 * An existing dataset is never overwritten.
 */
export async function ensureDataset(
  params: Pick<NotebookParams, "dataDir" | "scale" | "users" | "sessions" | "messy">,
): Promise<boolean> {
  const present = await Promise.all(
    INPUTS.map((name) => Deno.stat(join(params.dataDir, name)).then(() => true, () => false)),
  );
  if (present.every(Boolean)) return false;
  if (present.some(Boolean)) {
    const missing = INPUTS.filter((_, i) => !present[i]);
    throw new Error(
      `Cannot use "${params.dataDir}": ${
        missing.map((m) => `"${m}"`).join(", ")
      } missing (remove the folder to regenerate it)`,
    );
  }
  await generateDataset({
    outDir: params.dataDir,
    scale: params.scale,
    users: params.users,
    sessions: params.sessions,
    messy: params.messy,
  });
  return true;
}
