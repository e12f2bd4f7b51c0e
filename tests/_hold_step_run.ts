/**
 * A stand-in for a notebook kernel, for tests: opens the workbench on the stores given as JSON in the first
 * argument, starts a step run on the data folder of the second, runs `validate_files`, prints the run id and
 * then idles (as a kernel does between cells) until it is killed.
 */
import { openWorkbench, startStepRun } from "../lib/pipelines/mod.ts";

const wb = await openWorkbench(JSON.parse(Deno.args[0]));
const steps = await startStepRun(wb, { dataDir: Deno.args[1] });
await steps.runNode("validate_files");
console.log(steps.runId);
setInterval(() => {}, 1000);
