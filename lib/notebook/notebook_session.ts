import { headlessDocument } from "../charts/mod.ts";
import { openWorkbench, startStepRun, type StepRun, type Workbench } from "../pipelines/mod.ts";
import { ensureDataset } from "./ensure_dataset.ts";
import { HtmlBlock } from "./html_block.ts";
import { nodeReportHtml, readNodeReport } from "./node_report.ts";
import { type NotebookParams, readNotebookParams } from "./notebook_params.ts";
import { type LiveDisplay, runNodeLive } from "./run_node_live.ts";

/** Options of a Jupyter display call, as the Deno kernel's `Deno.jupyter.display` takes them. */
export interface DisplayOptions {
  raw?: boolean;
  display_id?: string;
  update?: boolean;
}

/** The part of `Deno.jupyter` a notebook session uses; the notebooks pass `Deno.jupyter` itself. */
export interface JupyterLike {
  display(value: unknown, options?: DisplayOptions): Promise<void> | void;
}

/** What the first cells of every notebook set up, so that the notebooks themselves stay about the pipeline. */
export interface NotebookSession extends AsyncDisposable {
  /** The notebook's name, recorded as the label of the runs it starts. */
  readonly name: string;
  readonly params: NotebookParams;
  /** Whether the dataset was generated because the data folder was empty. */
  readonly generated: boolean;
  readonly wb: Workbench;
  /** The headless DOM that charts draw into: the kernel shows the SVG they return. */
  readonly document: Document;
  /**
   * Shows a chart, table or HTML block in the cell's output. Cells call it rather than end with the value,
   * so that every output, live or final, goes out the same way.
   */
  show(value: unknown): Promise<void>;
  /** Starts the run that the notebook's node cells add their node to, labelled with the notebook's name. */
  startSteps(): Promise<StepRun>;
  /** Runs one node within a step run with a live progress table, then shows what it did. */
  step(steps: StepRun, nodeId: string): Promise<void>;
  /** Closes the stores. */
  close(): Promise<void>;
}

/** Options of {@linkcode openNotebook}. */
export interface OpenNotebookOptions {
  /** `Deno.jupyter` in a notebook. */
  jupyter: JupyterLike;
  /** @default Deno.env.toObject() */
  env?: Record<string, string | undefined>;
  /** The notebook's folder or the repository root. @default Deno.cwd() */
  cwd?: string;
}

/**
 * A notebook's setup in one call: reads the parameters from the environment (with the defaults of
 * `deno task etl`), shows them, generates the dataset if the data folder is empty, opens the warehouse and the
 * document store, and gives the helpers every cell uses.
 *
 * @example
 * ```ts
 * import { openNotebook } from "./mod.ts";
 *
 * declare const jupyter: { display(value: unknown, options?: object): Promise<void> };
 * const nb = await openNotebook("01_relational_pipeline", { jupyter });
 * const steps = await nb.startSteps();
 * await nb.step(steps, "validate_files");
 * ```
 */
export async function openNotebook(name: string, options: OpenNotebookOptions): Promise<NotebookSession> {
  const { jupyter } = options;
  const root = (options.cwd ?? Deno.cwd()).replace(/\/notebooks\/?$/, "");
  const params = readNotebookParams(options.env ?? Deno.env.toObject(), root);
  const sizes = params.users ? ` (${params.users} users, ${params.sessions ?? "default"} sessions)` : "";
  await jupyter.display({
    "text/markdown": `Data folder \`${params.dataDir}\`, scale ${params.scale}${sizes}, ` +
      `messy ${params.messy}, time budget ${params.timeBudgetMs / 1000} s per node.`,
  }, { raw: true });
  const generated = await ensureDataset(params);
  const wb = await openWorkbench({
    warehouseUrl: params.warehouseUrl,
    docstoreUrl: params.docstoreUrl,
    stateDir: params.stateDir,
  });
  const document = headlessDocument();
  const show = async (value: unknown) => {
    await jupyter.display(value, { raw: false });
  };
  /** A display redrawn in place in the cell's output. */
  const liveDisplay = (id: string): LiveDisplay => ({
    show: (bundle) => jupyter.display(bundle, { raw: true, display_id: id }),
    update: (bundle) => jupyter.display(bundle, { raw: true, display_id: id, update: true }),
  });
  const close = () => wb.close();
  return {
    name,
    params,
    generated,
    wb,
    document,
    show,
    startSteps: () => startStepRun(wb, { dataDir: params.dataDir, label: { notebook: name } }),
    async step(steps, nodeId) {
      const display = liveDisplay(`${steps.runId}:${nodeId}:${crypto.randomUUID()}`);
      await runNodeLive(steps, nodeId, { display, timeBudgetMs: params.timeBudgetMs });
      await show(
        new HtmlBlock(nodeReportHtml(await readNodeReport(wb.warehouse, wb.runStore, steps.runId, nodeId))),
      );
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
