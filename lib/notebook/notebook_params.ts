import { isAbsolute, join } from "node:path";

/** What every notebook's first cell settles: where the data and the stores are, and how big a dataset. */
export interface NotebookParams {
  /** Folder with the three inputs (generated when missing). */
  dataDir: string;
  warehouseUrl: string;
  docstoreUrl: string;
  stateDir: string;
  /** Dataset scale for generation (users and sessions multiplied). */
  scale: number;
  /** Users and sessions to generate instead of the scale's, for small test runs. */
  users?: number;
  sessions?: number;
  /** Generate the dataset with every defect kind, so the reject sections have something to show. */
  messy: boolean;
  /** Longest a node cell may run before it is cancelled, in milliseconds. */
  timeBudgetMs: number;
}

/**
 * Reads the notebook parameters from environment variables, with the defaults of `deno task etl` resolved
 * against the repository root, so a notebook and the terminal share one warehouse and `--resume` works.
 * Variables: `DATA_DIR`, `WAREHOUSE_URL`, `DOCSTORE_URL`, `WORKBENCH_STATE_DIR` (as the CLI), and
 * `NOTEBOOK_SCALE`, `NOTEBOOK_USERS`, `NOTEBOOK_SESSIONS`, `NOTEBOOK_MESSY`, `NOTEBOOK_TIME_BUDGET_S`.
 *
 * @example
 * ```ts
 * const params = readNotebookParams(Deno.env.toObject(), Deno.cwd().replace(/\/notebooks\/?$/, ""));
 * ```
 */
export function readNotebookParams(env: Record<string, string | undefined>, root: string): NotebookParams {
  const at = (path: string) => isAbsolute(path) ? path : join(root, path);
  const stateDir = at(env.WORKBENCH_STATE_DIR || ".workbench");
  const positive = (name: string, fallback?: number): number | undefined => {
    const text = env[name];
    if (text === undefined || text === "") return fallback;
    const value = Number(text);
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`Cannot read ${name}: expected a positive number (got "${text}")`);
    }
    return value;
  };
  const integer = (name: string): number | undefined => {
    const value = positive(name);
    if (value !== undefined && !Number.isInteger(value)) {
      throw new RangeError(`Cannot read ${name}: expected a whole number (got "${env[name]}")`);
    }
    return value;
  };
  return {
    dataDir: at(env.DATA_DIR || "data"),
    warehouseUrl: env.WAREHOUSE_URL || `sqlite:${join(stateDir, "warehouse.db")}`,
    docstoreUrl: env.DOCSTORE_URL || `embedded:${join(stateDir, "docstore")}`,
    stateDir,
    scale: positive("NOTEBOOK_SCALE", 1)!,
    users: integer("NOTEBOOK_USERS"),
    sessions: integer("NOTEBOOK_SESSIONS"),
    messy: ["1", "true", "yes"].includes((env.NOTEBOOK_MESSY ?? "").toLowerCase()),
    timeBudgetMs: positive("NOTEBOOK_TIME_BUDGET_S", 900)! * 1000,
  };
}
