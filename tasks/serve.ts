/**
 * `deno task serve`: the status API and live dashboard over the same DAG runner and run store as
 * `deno task etl`. Binds 127.0.0.1 unless told otherwise; any other address needs WORKBENCH_TOKEN.
 */
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, runWorkbenchInWorker } from "../lib/pipelines/mod.ts";
import { parseServeArgs, refuseToServe, SERVE_HELP } from "../lib/cli/mod.ts";
import { buildDashboard, createApp, EtlMonitor } from "../lib/server/mod.ts";

async function main(): Promise<number> {
  let args;
  try {
    args = parseServeArgs(Deno.args, Deno.env.toObject());
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (args.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const refusal = refuseToServe(args);
  if (refusal) {
    console.error(refusal);
    return 2;
  }
  if (args.dataDirIsDefault && !(await exists(`${args.dataDir}/viewing_sessions.csv`))) {
    console.log(`No dataset in "${args.dataDir}/": generating one first (deno task data)...`);
    await generateDataset({ outDir: args.dataDir });
  }

  let assets;
  try {
    assets = await buildDashboard({ outDir: "out/web" });
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const stores = {
    warehouseUrl: args.warehouseUrl,
    docstoreUrl: args.docstoreUrl,
    stateDir: args.stateDir,
    leaseTimeoutMs: args.leaseTimeoutMs,
  };
  let workbench;
  try {
    workbench = await openWorkbench(stores);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  await using _ = workbench;
  await using monitor = new EtlMonitor({
    workbench,
    dataDir: args.dataDir,
    concurrency: args.concurrency,
    missingWatchDateLimit: args.missingWatchDateLimit,
    webhookUrl: args.webhookUrl,
    onLog: (message) => console.log(message),
    // Runs go to a worker thread, so parsing and synchronous SQLite never hold up the API; stores that only
    // live in this process's memory cannot be shared with one.
    run: [args.warehouseUrl, args.docstoreUrl].some((url) => url?.endsWith(":memory:"))
      ? undefined
      : (options) => runWorkbenchInWorker(stores, options),
  });
  // The name the server listens on is one it is reached by; a wildcard address says nothing about names.
  const listensOnName = !/^(0\.0\.0\.0|::|\[::\])$/.test(args.hostname);
  const app = createApp({
    monitor,
    token: args.token,
    assets,
    corsOrigins: args.corsOrigins,
    guard: { allowedHosts: [...args.allowedHosts, ...(listensOnName ? [args.hostname] : [])] },
  });

  const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
  const server = Deno.serve({
    hostname: args.hostname,
    port: args.port,
    onListen: ({ hostname, port }) => {
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      console.log(`Dashboard at http://${host}:${port}/   (API under /api, Ctrl+C to stop)`);
      console.log(
        `warehouse: ${workbench.warehouse.label}   docstore: ${workbench.docstore.label}   data: ${args.dataDir}` +
          (args.token ? "   token required for Start and Reset" : "") +
          (args.corsOrigins.length ? `   CORS: ${args.corsOrigins.join(", ")}` : ""),
      );
    },
    onError: (error) => {
      console.error(`Request failed: ${(error as Error).message}`);
      return new Response(
        JSON.stringify({ success: false, error: "Internal error", message: "Internal error" }),
        {
          status: 500,
        },
      );
    },
  }, app.fetch);
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => stop());
  await stopped;
  console.log("Stopping: cancelling the run in progress, if any...");
  app.close();
  await monitor.close();
  await server.shutdown();
  return 0;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.exit(await main());
