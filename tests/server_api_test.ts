/**
 * The server's API in process (`app.request()`, no port): shapes, validation errors, 409s, tokens, the event
 * stream, content queries and the failure webhook, on a small generated dataset and the embedded stores.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateDataset } from "../lib/generate/mod.ts";
import { openWorkbench, type Workbench } from "../lib/pipelines/mod.ts";
import { createApp, EtlMonitor, type EtlMonitorOptions } from "../lib/server/mod.ts";
import { integrationTest, serverUrl, uniqueDatabaseUrl } from "./_servers.ts";

const JSON_HEADERS = { "content-type": "application/json" };
const post = (body: unknown = {}, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { ...JSON_HEADERS, ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/** A workbench in a temp folder with a small dataset, and an app over it; everything closes afterwards. */
async function withServer(
  fn: (
    ctx: { app: ReturnType<typeof createApp>; monitor: EtlMonitor; workbench: Workbench; dir: string },
  ) => Promise<void>,
  options: {
    token?: string;
    dataDir?: string;
    monitor?: Partial<EtlMonitorOptions>;
    warehouseUrl?: string;
    docstoreUrl?: string;
  } = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "server_api_" });
  try {
    await generateDataset({ outDir: join(dir, "data"), users: 60, sessions: 600, messy: true });
    const workbench = await openWorkbench({
      stateDir: join(dir, "state"),
      warehouseUrl: options.warehouseUrl,
      docstoreUrl: options.docstoreUrl,
    });
    try {
      const monitor = new EtlMonitor({
        workbench,
        dataDir: options.dataDir ?? join(dir, "data"),
        ...options.monitor,
      });
      const app = createApp({ monitor, token: options.token });
      try {
        await fn({ app, monitor, workbench, dir });
      } finally {
        app.close();
        await monitor.close();
      }
    } finally {
      await workbench.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("GET /api/etl/status has the original shape, extended, before any run", async () => {
  await withServer(async ({ app }) => {
    const res = await app.request("/api/etl/status");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const body = await res.json();
    assert.equal(body.success, true);
    const { dag } = body;
    assert.equal(dag.status, "idle");
    assert.equal(dag.nodes.length, 13);
    assert.deepEqual(dag.stats, { totalNodes: 13, completed: 0, running: 0, failed: 0, skipped: 0 });
    assert.equal(dag.currentNode, null);
    const sessions = dag.nodes.find((n: { id: string }) => n.id === "process_sessions");
    for (
      const key of [
        "id",
        "name",
        "status",
        "dependencies",
        "startTime",
        "endTime",
        "error",
        "rowsRead",
        "rowsWritten",
        "rowsRejected",
        "rowsPerSecond",
        "durationMs",
      ]
    ) assert.ok(key in sessions, key);
    assert.equal(sessions.branch, "relational");
    assert.deepEqual(
      dag.nodes.filter((n: { branch: string }) => n.branch === "document").map((n: { id: string }) => n.id),
      ["validate_content", "load_content", "create_content_indexes", "content_stats", "cross_store_stats"],
    );
    const health = await (await app.request("/api/health")).json();
    assert.equal(health.status, "ok");
    assert.equal(health.running, false);
  });
});

Deno.test("POST /api/etl/start validates its options with one clear message", async (t) => {
  await withServer(async ({ app, monitor }) => {
    const cases: [string, RequestInit, number, RegExp][] = [
      ["batch size 0", post({ batchSize: 0 }), 400, /^Invalid start options: batchSize: /],
      ["batch size as text", post({ batchSize: "10" }), 400, /batchSize: .*number/],
      ["unknown pipelines", post({ pipelines: "graph" }), 400, /pipelines: .*"relational"/],
      ["unknown field", post({ fast: true }), 400, /Unrecognized key.*"fast"/],
      ["broken JSON", post("{nope"), 400, /^Cannot read the request body: /],
      ["no JSON content type", { method: "POST", body: "{}" }, 415, /Content-Type: application\/json/],
    ];
    for (const [name, init, status, message] of cases) {
      await t.step(name, async () => {
        const res = await app.request("/api/etl/start", init);
        assert.equal(res.status, status);
        const body = await res.json();
        assert.equal(body.success, false);
        assert.match(body.error, message);
        assert.doesNotMatch(JSON.stringify(body), /\n\s+at |\.ts:\d+/, "no stack trace");
      });
    }
    assert.equal(monitor.isRunning, false, "no invalid request started a run");
  });
});

Deno.test("a run through the API: 409s while it goes, then success, history and details", async () => {
  await withServer(async ({ app, monitor }) => {
    const res = await app.request("/api/etl/start", post({ batchSize: 50 }));
    assert.equal(res.status, 202);
    const started = await res.json();
    assert.equal(started.success, true);
    assert.match(started.runId, /^[0-9a-f-]{36}$/);
    assert.equal(started.dag.status, "running");
    assert.deepEqual(started.options, { pipelines: "both", fresh: false, batchSize: 50 });

    const again = await app.request("/api/etl/start", post());
    assert.equal(again.status, 409);
    assert.equal((await again.json()).error, "Cannot start a run: one is already running");
    const reset = await app.request("/api/etl/reset", post());
    assert.equal(reset.status, 409);
    assert.match((await reset.json()).error, /^Cannot reset while a run is going/);

    await monitor.idle();
    const { dag } = await (await app.request("/api/etl/status")).json();
    assert.equal(dag.status, "success");
    assert.equal(dag.runId, started.runId);
    assert.deepEqual(dag.stats, { totalNodes: 13, completed: 13, running: 0, failed: 0, skipped: 0 });
    const sessions = dag.nodes.find((n: { id: string }) => n.id === "process_sessions");
    assert.ok(sessions.rowsRead >= 600, `rows read: ${sessions.rowsRead}`);
    assert.ok(sessions.rowsRejected > 0, "the messy dataset has rejects");
    assert.equal(sessions.percent, 100);
    assert.ok(sessions.durationMs > 0);
    assert.ok(Date.parse(dag.endTime) >= Date.parse(dag.startTime));

    const { runs } = await (await app.request("/api/etl/runs")).json();
    assert.equal(runs.length, 1);
    assert.equal(runs[0].runId, started.runId);
    assert.equal(runs[0].status, "success");
    assert.equal(runs[0].nodes.length, 13);
    assert.equal(runs[0].options.batchSize, 50);

    const { run } = await (await app.request(`/api/etl/runs/${started.runId}`)).json();
    assert.equal(run.nodes.length, 13);
    assert.ok(run.checks.length > 0, "validate_data stored its checks");
    assert.ok(run.checks.every((c: { status: string }) => c.status !== "fail"));
    const rejected = run.rejectsByReason.reduce((sum: number, r: { count: number }) => sum + r.count, 0);
    const rejectedByNodes = run.nodes
      .filter((n: { nodeId: string }) =>
        ["process_users", "process_sessions", "validate_content"].includes(n.nodeId)
      )
      .reduce((sum: number, n: { rowsRejected: number }) => sum + n.rowsRejected, 0);
    assert.equal(rejected, rejectedByNodes, "rejects by reason add up to the nodes' rejected rows");

    const missing = await app.request("/api/etl/runs/no-such-run");
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error, 'No run has the id "no-such-run"');
    assert.equal((await app.request("/api/etl/runs?limit=0")).status, 400);

    const afterReset = await (await app.request("/api/etl/reset", post())).json();
    assert.equal(afterReset.dag.status, "idle");
    assert.ok(afterReset.dag.nodes.every((n: { status: string }) => n.status === "pending"));
  });
});

Deno.test("POST /api/etl/start with pipelines runs one branch only", async () => {
  await withServer(async ({ app, monitor }) => {
    assert.equal((await app.request("/api/etl/start", post({ pipelines: "relational" }))).status, 202);
    await monitor.idle();
    const { dag } = await (await app.request("/api/etl/status")).json();
    const byBranch = (branch: string) =>
      dag.nodes.filter((n: { branch: string }) => n.branch === branch).map((n: { status: string }) =>
        n.status
      );
    assert.deepEqual(new Set(byBranch("relational")), new Set(["success"]));
    assert.deepEqual(new Set(byBranch("document")), new Set(["skipped"]));
    assert.equal(dag.status, "success");
  });
});

Deno.test("GET /api/etl/events streams node progress until the run ends", async () => {
  await withServer(async ({ app, monitor }) => {
    const res = await app.request("/api/etl/events");
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const messages: { type: string; event?: { nodeId?: string }; dag: { status: string } }[] = [];
    let buffer = "";
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error("The event stream ended early");
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          assert.match(block, /^data: /);
          messages.push(JSON.parse(block.slice("data: ".length)));
        }
      }
    };
    await readUntil(() => messages.length >= 1);
    assert.equal(messages[0].type, "status");
    assert.equal(messages[0].dag.status, "idle");
    assert.equal((await app.request("/api/etl/start", post())).status, 202);
    await readUntil(() => messages.at(-1)?.type === "run-finished");
    await reader.cancel();
    await monitor.idle();
    const types = new Set(messages.map((m) => m.type));
    for (const type of ["run-started", "node-started", "node-progress", "node-finished", "run-finished"]) {
      assert.ok(types.has(type), type);
    }
    const started = messages.filter((m) => m.type === "node-started").map((m) => m.event?.nodeId);
    assert.equal(new Set(started).size, 13);
    assert.equal(messages.at(-1)!.dag.status, "success");
  });
});

Deno.test("GET /api/content filters, sorts and pages the content collection", async (t) => {
  await withServer(async ({ app, monitor, workbench }) => {
    const empty = await (await app.request("/api/content/stats")).json();
    assert.deepEqual(empty.stats, { byType: [], byGenre: [], topRated: [] }, "nothing before the first run");
    await app.request("/api/etl/start", post({ pipelines: "both" }));
    await monitor.idle();
    const all = await workbench.docstore.collection("content").find();
    await t.step("default page: 20 by title", async () => {
      const body = await (await app.request("/api/content")).json();
      assert.equal(body.total, all.length);
      assert.equal(body.items.length, Math.min(20, all.length));
      assert.equal(body.pages, Math.ceil(all.length / 20));
      const titles = body.items.map((d: { title: string }) => d.title);
      assert.deepEqual(titles, [...titles].sort((a: string, b: string) => a < b ? -1 : a > b ? 1 : 0));
    });
    await t.step("genre, type and year filters, rating descending, second page", async () => {
      const genre = (all[0].genre as string[])[0];
      const expected = all.filter((d) => (d.genre as string[]).includes(genre) && d.type === all[0].type);
      const body = await (await app.request(
        `/api/content?genre=${encodeURIComponent(genre)}&type=${
          all[0].type
        }&sort=rating&order=desc&limit=3&page=2`,
      )).json();
      assert.equal(body.total, expected.length);
      assert.equal(body.page, 2);
      assert.ok(body.items.length <= 3);
      for (const doc of body.items) assert.ok(doc.genre.includes(genre) && doc.type === all[0].type);
      const ratings = body.items.map((d: { rating: number }) => d.rating);
      assert.deepEqual(ratings, [...ratings].sort((a: number, b: number) => b - a));
      const year = all[0].release_year as number;
      const byYear = await (await app.request(`/api/content?year=${year}&limit=100`)).json();
      assert.equal(byYear.total, all.filter((d) => d.release_year === year).length);
    });
    await t.step("bad parameters are 400s that name the parameter", async () => {
      for (
        const [query, name] of [["page=0", "page"], ["limit=500", "limit"], ["sort=budget", "sort"], [
          "x=1",
          "x",
        ]]
      ) {
        const res = await app.request(`/api/content?${query}`);
        assert.equal(res.status, 400, query);
        assert.match((await res.json()).error, new RegExp(`^Invalid content query: .*${name}`));
      }
    });
    await t.step("stats after the run", async () => {
      const { stats } = await (await app.request("/api/content/stats")).json();
      const types = stats.byType.map((r: { type: string }) => r.type);
      assert.deepEqual(types, [...new Set(all.map((d) => d.type as string))].sort());
      assert.equal(
        stats.byType.reduce((sum: number, r: { documents: number }) => sum + r.documents, 0),
        all.length,
      );
      assert.ok(stats.byGenre.length > 0 && stats.topRated.length > 0);
    });
  });
});

Deno.test("unknown paths and wrong methods are JSON errors", async () => {
  await withServer(async ({ app }) => {
    const notFound = await app.request("/api/nope");
    assert.equal(notFound.status, 404);
    assert.deepEqual(await notFound.json(), { success: false, error: "Nothing at GET /api/nope" });
    const wrong = await app.request("/api/etl/start");
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "POST");
    assert.equal((await wrong.json()).error, "Cannot GET /api/etl/start: use POST");
  });
});

Deno.test("with a token, mutating requests need it and reads do not", async (t) => {
  await withServer(async ({ app }) => {
    await t.step("no token: 401", async () => {
      const res = await app.request("/api/etl/reset", post());
      assert.equal(res.status, 401);
      assert.match((await res.json()).error, /without the token/);
    });
    await t.step("wrong token: 401", async () => {
      const res = await app.request("/api/etl/reset", post({}, { authorization: "Bearer nope" }));
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error, "Cannot change anything: the token is wrong");
    });
    await t.step("the right token, as a bearer or in X-Workbench-Token", async () => {
      assert.equal(
        (await app.request("/api/etl/reset", post({}, { authorization: "Bearer s3cret" }))).status,
        200,
      );
      assert.equal(
        (await app.request("/api/etl/reset", post({}, { "x-workbench-token": "s3cret" }))).status,
        200,
      );
    });
    await t.step("reads need no token", async () => {
      assert.equal((await app.request("/api/etl/status")).status, 200);
    });
  }, { token: "s3cret" });
});

Deno.test("a run that ends in error is posted to the webhook, with a retry", async () => {
  const received: { text: string; run: { failedNodes: { id: string; error: string }[] } }[] = [];
  let calls = 0;
  await using receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    calls++;
    const body = await req.json();
    if (calls === 1) return new Response("try later", { status: 503 });
    received.push(body);
    return new Response("ok");
  });
  const logs: string[] = [];
  const dir = await Deno.makeTempDir({ prefix: "empty_data_" });
  try {
    await withServer(async ({ app, monitor }) => {
      assert.equal((await app.request("/api/etl/start", post())).status, 202);
      await monitor.idle();
      const { dag } = await (await app.request("/api/etl/status")).json();
      assert.equal(dag.status, "error");
      const failed = dag.nodes.filter((n: { status: string }) => n.status === "failed");
      assert.ok(failed.some((n: { id: string }) => n.id === "validate_files"), JSON.stringify(failed));
      assert.ok(failed.every((n: { error: string }) => n.error.length > 0));
    }, {
      dataDir: dir,
      monitor: {
        webhookUrl: `http://127.0.0.1:${receiver.addr.port}/hook`,
        webhook: { delayMs: 5 },
        onLog: (line) => logs.push(line),
      },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.equal(calls, 2, "one failed attempt, one retry");
  assert.equal(received.length, 1);
  assert.match(
    received[0].text,
    /^ETL workbench: run [0-9a-f-]{36} ended in error, node "validate_\w+" failed: /,
  );
  assert.ok(received[0].run.failedNodes.some((n) => n.id === "validate_files"));
  assert.deepEqual(logs, ["Sent the failure notice to the webhook (attempt 2)"]);
});

integrationTest("mysql", {
  name: "the API over MariaDB (and FerretDB when present): a run, its details, content queries",
  sanitizeOps: false,
  sanitizeResources: false,
}, async (mysqlUrl) => {
  const ferret = serverUrl("ferretdb");
  await withServer(async ({ app, monitor, workbench }) => {
    const health = await (await app.request("/api/health")).json();
    assert.match(health.warehouse, /^mysql:\/\//);
    assert.equal(workbench.docstore.kind, ferret ? "mongodb" : "embedded");
    const res = await app.request("/api/etl/start", post({ fresh: true, batchSize: 200 }));
    assert.equal(res.status, 202);
    const { runId } = await res.json();
    await monitor.idle();
    const { dag } = await (await app.request("/api/etl/status")).json();
    assert.equal(dag.status, "success", JSON.stringify(dag.nodes.filter((n: { error: string }) => n.error)));
    const { run } = await (await app.request(`/api/etl/runs/${runId}`)).json();
    assert.equal(run.status, "success");
    assert.equal(run.options.batchSize, 200);
    assert.ok(run.checks.length > 0);
    const rejected = run.rejectsByReason.reduce((sum: number, r: { count: number }) => sum + r.count, 0);
    assert.equal(typeof rejected, "number");
    assert.ok(rejected > 0, "the messy dataset has rejects, counted as numbers on MariaDB too");
    const { runs } = await (await app.request("/api/etl/runs?limit=5")).json();
    assert.equal(runs[0].runId, runId, "newest first");
    const count = await workbench.docstore.collection("content").count({ type: "series" });
    const page = await (await app.request("/api/content?type=series&sort=rating&order=desc&limit=5")).json();
    assert.equal(page.total, count);
    const ratings = page.items.map((d: { rating: number }) => d.rating);
    assert.deepEqual(ratings, [...ratings].sort((a: number, b: number) => b - a));
    const { stats } = await (await app.request("/api/content/stats")).json();
    assert.ok(stats.byType.length > 0);
  }, {
    warehouseUrl: uniqueDatabaseUrl(mysqlUrl, "server_api"),
    docstoreUrl: ferret ? uniqueDatabaseUrl(ferret, "server_api") : undefined,
  });
});

Deno.test("a new run can start while the webhook of the last failed run is still being delivered", async () => {
  const { promise: firstArrived, resolve: onFirst } = Promise.withResolvers<void>();
  const { promise: release, resolve: letGo } = Promise.withResolvers<void>();
  let calls = 0;
  await using receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.body?.cancel();
    if (++calls === 1) {
      onFirst();
      await release;
    }
    return new Response("ok");
  });
  const dir = await Deno.makeTempDir({ prefix: "empty_data_" });
  try {
    await withServer(async ({ app, monitor }) => {
      assert.equal((await app.request("/api/etl/start", post())).status, 202);
      await firstArrived;
      assert.equal(monitor.isRunning, false);
      const again = await app.request("/api/etl/start", post());
      assert.equal(again.status, 202, await again.clone().text());
      letGo();
      await monitor.idle();
      assert.equal(calls, 2, "both failed runs were notified");
    }, { dataDir: dir, monitor: { webhookUrl: `http://127.0.0.1:${receiver.addr.port}/` } });
  } finally {
    letGo();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("POST bodies over 16 KB are refused with 413", async () => {
  await withServer(async ({ app, monitor }) => {
    const res = await app.request("/api/etl/start", post({ pipelines: "both", padding: "x".repeat(20_000) }));
    assert.equal(res.status, 413);
    assert.match((await res.json()).error, /^Cannot read a request body over 16384 bytes$/);
    assert.equal(monitor.isRunning, false);
  });
});
