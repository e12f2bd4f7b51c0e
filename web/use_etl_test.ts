/// <reference lib="dom" />
import assert from "node:assert/strict";
// @ts-types="@types/react"
import { act, createElement } from "react";
// @ts-types="@types/react-dom/client"
import { createRoot } from "react-dom/client";
import { parseHTML } from "linkedom";
import { type DagView, normalizeDag } from "./normalize_dag.ts";
import { type UseEtl, useETL, type UseEtlOptions } from "./use_etl.ts";

/** One request the fake `fetch` received. */
interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** The fake server's answer: a JSON body (status 200 unless told), or an error to throw like a network failure. */
type Answer = { status?: number; body: unknown } | Error;
type Serve = (request: RecordedRequest) => Answer | Promise<Answer>;

/** An `EventSource` the test drives: `open()`, `message(json)` and `error()` call the hook's handlers. */
class FakeEventSource {
  readonly url: string;
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(url: string | URL, sources: FakeEventSource[]) {
    this.url = String(url);
    sources.push(this);
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.#live().onopen?.(new Event("open"));
  }

  message(json: unknown): void {
    this.#live().onmessage?.(new MessageEvent("message", { data: JSON.stringify(json) }));
  }

  error(): void {
    this.#live().onerror?.(new Event("error"));
  }

  #live(): this {
    // A closed EventSource fires nothing: driving one is a mistake of the test.
    if (this.closed) throw new Error(`Cannot drive the closed EventSource of "${this.url}"`);
    return this;
  }
}

interface Harness {
  /** The hook's latest return value. */
  readonly hook: UseEtl;
  /** How many times the probe component rendered. */
  readonly renderCount: number;
  /** Every request, in order. */
  readonly requests: RecordedRequest[];
  /** Every EventSource the hook opened. */
  readonly sources: FakeEventSource[];
  /** Answers the next requests; replace it to change what the server says. */
  serve: Serve;
  /** The only EventSource the hook opened. */
  source(): FakeEventSource;
  /** Runs `fn` inside `act`, so React applies its updates before the test reads them. */
  act<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Lets real time pass inside `act` (timers fire, updates apply). */
  pause(ms: number): Promise<void>;
  /** Lets time pass until `predicate` holds; fails after `timeoutMs`. */
  waitFor(what: string, predicate: () => boolean, timeoutMs?: number): Promise<void>;
  unmount(): Promise<void>;
}

const GLOBALS = ["document", "window", "fetch", "EventSource", "IS_REACT_ACT_ENVIRONMENT"] as const;

/**
 * Renders a component that calls `useETL(options)` into a headless DOM, with a fake `fetch` answered by
 * `serve` and a fake `EventSource`, runs `test`, then unmounts and restores every global. Fails the test when
 * React logged an error (such as an update outside `act`).
 */
async function withUseEtl(
  options: UseEtlOptions,
  serve: Serve,
  test: (harness: Harness) => Promise<void>,
): Promise<void> {
  const saved = GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
  const savedConsoleError = console.error;
  const reactErrors: string[] = [];
  const requests: RecordedRequest[] = [];
  const sources: FakeEventSource[] = [];
  let latest: UseEtl | null = null;
  let renderCount = 0;
  let mounted = false;
  let root: ReturnType<typeof createRoot> | null = null;

  const harness: Harness = {
    get hook() {
      assert.ok(latest, "the probe has rendered");
      return latest;
    },
    get renderCount() {
      return renderCount;
    },
    requests,
    sources,
    serve,
    source() {
      assert.equal(sources.length, 1, "the hook opened one EventSource");
      return sources[0];
    },
    async act<T>(fn: () => T | Promise<T>): Promise<T> {
      let result: T | undefined;
      await act(async () => {
        result = await fn();
      });
      return result as T;
    },
    pause(ms: number) {
      return act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    },
    async waitFor(what: string, predicate: () => boolean, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) assert.fail(`Timed out after ${timeoutMs} ms waiting until ${what}`);
        await harness.pause(2);
      }
    },
    async unmount() {
      if (!mounted) return;
      mounted = false;
      await act(() => root?.unmount());
    },
  };

  function Probe(): null {
    latest = useETL(options);
    renderCount++;
    return null;
  }

  try {
    const { document, window } = parseHTML(
      '<!DOCTYPE html><html><head></head><body><div id="root"></div></body></html>',
    );
    const define = (name: (typeof GLOBALS)[number], value: unknown) =>
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    define("document", document);
    define("window", window);
    define("IS_REACT_ACT_ENVIRONMENT", true);
    define("fetch", async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
      const request: RecordedRequest = {
        method: init.method ?? "GET",
        url: String(input),
        headers: Object.fromEntries(new Headers(init.headers)),
        body: typeof init.body === "string" ? JSON.parse(init.body) : init.body,
      };
      requests.push(request);
      const answer = await harness.serve(request);
      if (answer instanceof Error) throw answer;
      return new Response(JSON.stringify(answer.body), {
        status: answer.status ?? 200,
        headers: { "content-type": "application/json" },
      });
    });
    define(
      "EventSource",
      class extends FakeEventSource {
        constructor(url: string | URL) {
          super(url, sources);
        }
      },
    );
    console.error = (...args: unknown[]) => {
      reactErrors.push(args.map(String).join(" "));
    };

    root = createRoot(document.getElementById("root") as unknown as Element);
    mounted = true;
    await act(() => root?.render(createElement(Probe)));
    await test(harness);
    await harness.unmount();
    assert.deepEqual(reactErrors, [], "React logged no errors");
  } finally {
    // Unmounts when the test failed before it did; the test's own failure is the one to report.
    await harness.unmount().catch(() => {});
    console.error = savedConsoleError;
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
  }
}

/** A status as the server sends it: one node, the given state, revision and server process. */
function dagAt(status: "idle" | "running" | "success", revision: number, instance = "server-1") {
  return {
    id: "etl",
    name: "ETL",
    status,
    revision,
    instance,
    nodes: [{
      id: "extract",
      name: "Extract",
      status: status === "idle" ? "pending" : status,
      dependencies: [],
      rowsRead: 40,
      totalRows: 80,
    }],
  };
}

const ok = (body: unknown): Answer => ({ body });
const statusOf = (harness: Harness) =>
  harness.hook.dag && [harness.hook.dag.status, harness.hook.dag.revision];
const countOf = (requests: RecordedRequest[], url: string) => requests.filter((r) => r.url === url).length;

Deno.test("useETL() loads the status once on mount, whatever shape the server wraps it in", async (t) => {
  const shapes: [string, unknown][] = [
    ["res.dag", { success: true, dag: dagAt("success", 3) }],
    ["res.data.dag", { data: { dag: dagAt("success", 3) } }],
    ["res.result.dag", { result: { dag: dagAt("success", 3) } }],
    ["bare", dagAt("success", 3)],
  ];
  for (const [name, response] of shapes) {
    await t.step(name, async () => {
      const answer = Promise.withResolvers<Answer>();
      const before = Date.now();
      await withUseEtl({ stream: false, pollMs: 15 }, () => answer.promise, async (h) => {
        assert.deepEqual(h.requests, [{
          method: "GET",
          url: "/api/etl/status",
          headers: {},
          body: undefined,
        }]);
        assert.equal(h.hook.loading, true);
        assert.equal(h.hook.dag, null);
        assert.equal(h.hook.receivedAt, 0);

        await h.act(() => answer.resolve(ok(response)));
        await h.waitFor("the status is loaded", () => !h.hook.loading);
        const dag = h.hook.dag as DagView | null;
        assert.deepEqual(dag, normalizeDag(response));
        assert.deepEqual(statusOf(h), ["success", 3]);
        assert.equal(dag?.nodes[0].percent, 50);
        assert.equal(h.hook.error, null);
        assert.equal(h.hook.isRunning, false);
        assert.equal(h.hook.streaming, false);
        assert.ok(h.hook.receivedAt >= before, "receivedAt is when the status arrived");
        assert.equal(h.requests.length, 1, "one request on mount");
        assert.equal(h.sources.length, 0, "no event stream with stream: false");
      });
    });
  }
});

Deno.test("useETL() prefixes baseUrl to the status request and the event stream", async () => {
  await withUseEtl(
    { baseUrl: "http://etl.test" },
    () => ok({ success: true, dag: dagAt("idle", 1) }),
    async (h) => {
      await h.waitFor("the status is loaded", () => !h.hook.loading);
      assert.deepEqual(h.requests.map((r) => [r.method, r.url]), [["GET", "http://etl.test/api/etl/status"]]);
      assert.equal(h.source().url, "http://etl.test/api/etl/events");
      assert.deepEqual(statusOf(h), ["idle", 1]);
    },
  );
});

Deno.test("useETL() polls while running and the stream is down", async () => {
  const pollMs = 15;
  let serverRevision = 0;
  await withUseEtl(
    { stream: false, pollMs },
    () => ok({ success: true, dag: dagAt("running", ++serverRevision) }),
    async (h) => {
      await h.waitFor("four status requests", () => h.requests.length >= 4);
      assert.ok(h.requests.every((r) => r.method === "GET" && r.url === "/api/etl/status"));
      await h.waitFor("the hook shows the third revision", () => (h.hook.dag?.revision ?? 0) >= 3);
      assert.equal(h.hook.isRunning, true);
      assert.equal(h.hook.streaming, false);

      h.serve = () => ok({ success: true, dag: dagAt("success", 100) });
      await h.waitFor("the run has succeeded", () => h.hook.dag?.status === "success");
      assert.deepEqual(statusOf(h), ["success", 100]);
      assert.equal(h.hook.isRunning, false);
      const requests = h.requests.length;
      await h.pause(5 * pollMs);
      assert.equal(h.requests.length, requests, "no polling once the run has succeeded");
      assert.equal(h.sources.length, 0);
    },
  );
});

Deno.test("useETL() does not poll when no run is going", async () => {
  const pollMs = 15;
  await withUseEtl(
    { stream: false, pollMs },
    () => ok({ success: true, dag: dagAt("idle", 1) }),
    async (h) => {
      await h.waitFor("the status is loaded", () => !h.hook.loading);
      await h.pause(5 * pollMs);
      assert.equal(h.requests.length, 1);
      assert.deepEqual(statusOf(h), ["idle", 1]);
    },
  );
});

Deno.test("useETL() follows the event stream and polls only while it is down", async () => {
  const pollMs = 15;
  let serverRevision = 1;
  await withUseEtl(
    { pollMs },
    () => ok({ success: true, dag: dagAt("running", serverRevision) }),
    async (h) => {
      const source = h.source();
      assert.equal(source.url, "/api/etl/events");
      assert.equal(h.hook.streaming, false);
      await h.waitFor("a poll before the stream connects", () => h.requests.length >= 2);

      await h.act(() => source.message({ type: "node-progress", dag: dagAt("running", 50) }));
      assert.equal(h.hook.streaming, true);
      assert.equal(h.hook.loading, false);
      assert.deepEqual(statusOf(h), ["running", 50]);
      let requests = h.requests.length;
      await h.pause(5 * pollMs);
      assert.equal(h.requests.length, requests, "no polling while streaming, even though the run is going");

      serverRevision = 60;
      await h.act(() => source.error());
      assert.equal(h.hook.streaming, false);
      await h.waitFor("two polls after the stream broke", () => h.requests.length >= requests + 2);
      await h.waitFor("the polled revision is shown", () => h.hook.dag?.revision === 60);

      await h.act(() => source.open());
      assert.equal(h.hook.streaming, true);
      requests = h.requests.length;
      await h.pause(5 * pollMs);
      assert.equal(h.requests.length, requests, "no polling once the stream is back");

      await h.act(() => source.error());
      await h.waitFor("a poll after the stream broke again", () => h.requests.length > requests);
      assert.equal(source.closed, false);
      await h.unmount();
      assert.equal(source.closed, true, "unmount closes the EventSource");
      requests = h.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 5 * pollMs));
      assert.equal(h.requests.length, requests, "no polling after unmount");
      assert.equal(h.sources.length, 1, "one EventSource in all");
    },
  );
});

Deno.test("useETL() starts and resets runs with a JSON POST and the bearer token", async () => {
  const serve: Serve = ({ method, url }) => {
    if (method === "GET") return ok({ success: true, dag: dagAt("idle", 1) });
    if (url === "/api/etl/start") return ok({ success: true, dag: dagAt("running", 2) });
    if (url === "/api/etl/reset") return ok({ success: true, dag: dagAt("idle", 4) });
    return { status: 404, body: { success: false, error: `No route "${url}"` } };
  };
  const json = { "content-type": "application/json", authorization: "Bearer s3cret" };
  await withUseEtl({ stream: false, pollMs: 60_000, token: "s3cret" }, serve, async (h) => {
    await h.waitFor("the status is loaded", () => !h.hook.loading);
    assert.deepEqual(h.requests[0].headers, {}, "the status request carries no token");

    const started = await h.act(() =>
      h.hook.startETL({ pipelines: "relational", fresh: true, batchSize: 500 })
    );
    assert.equal(started, true);
    assert.deepEqual(h.requests[1], {
      method: "POST",
      url: "/api/etl/start",
      headers: json,
      body: { pipelines: "relational", fresh: true, batchSize: 500 },
    });
    assert.deepEqual(statusOf(h), ["running", 2]);
    assert.equal(h.hook.isRunning, true);
    assert.equal(h.hook.error, null);

    h.serve = () => ({ status: 409, body: { success: false, error: "A run is already going" } });
    const again = await h.act(() => h.hook.startETL());
    assert.equal(again, false);
    assert.equal(h.hook.error, "A run is already going");
    assert.deepEqual(h.requests[2], { method: "POST", url: "/api/etl/start", headers: json, body: {} });
    assert.deepEqual(statusOf(h), ["running", 2], "a refused start leaves the status as it was");
    h.serve = serve;
    await h.act(() => h.hook.refresh());
    assert.equal(h.hook.error, "A run is already going", "a status answer does not hide a refused start");

    h.serve = serve;
    const reset = await h.act(() => h.hook.resetETL());
    assert.equal(reset, true);
    assert.deepEqual(h.requests[4], { method: "POST", url: "/api/etl/reset", headers: json, body: {} });
    assert.deepEqual(statusOf(h), ["idle", 4]);
    assert.equal(h.hook.error, null, "a successful call clears the previous error");
    assert.equal(h.requests.length, 5);
  });
});

Deno.test("useETL() sends no authorization header without a token", async () => {
  const serve: Serve = ({ method }) =>
    ok({ success: true, dag: method === "GET" ? dagAt("idle", 1) : dagAt("success", 2) });
  await withUseEtl({ stream: false, pollMs: 60_000 }, serve, async (h) => {
    assert.equal(await h.act(() => h.hook.startETL({ pipelines: "document" })), true);
    assert.deepEqual(h.requests.map((r) => [r.method, r.url, r.headers, r.body]), [
      ["GET", "/api/etl/status", {}, undefined],
      ["POST", "/api/etl/start", { "content-type": "application/json" }, { pipelines: "document" }],
    ]);
    assert.deepEqual(statusOf(h), ["success", 2]);
  });
});

Deno.test("useETL() keeps a newer view when an older one of the same server arrives later", async () => {
  const answers: PromiseWithResolvers<Answer>[] = [];
  const serve: Serve = () => {
    answers.push(Promise.withResolvers<Answer>());
    return answers.at(-1)!.promise;
  };
  await withUseEtl({ pollMs: 60_000 }, serve, async (h) => {
    const source = h.source();
    await h.act(() => answers[0].resolve(ok({ success: true, dag: dagAt("running", 5, "a") })));
    assert.deepEqual(statusOf(h), ["running", 5]);
    await h.act(() => source.open());

    await h.act(() => source.message({ type: "status", dag: dagAt("success", 4, "a") }));
    assert.deepEqual(statusOf(h), ["running", 5], "an older stream message is ignored");

    await h.act(() => source.message({ type: "node-complete", dag: dagAt("running", 6, "a") }));
    assert.deepEqual(statusOf(h), ["running", 6]);

    // A request answered at revision 7 whose answer comes back after the stream has shown revision 8.
    const refreshed = await h.act(() => ({ done: h.hook.refresh() }));
    await h.act(() => source.message({ type: "dag-complete", dag: dagAt("success", 8, "a") }));
    await h.act(() => answers[1].resolve(ok({ success: true, dag: dagAt("running", 7, "a") })));
    await h.act(() => refreshed.done);
    assert.deepEqual(statusOf(h), ["success", 8], "a late answer does not undo a newer message");
    assert.equal(h.hook.isRunning, false);

    await h.act(() => source.message({ type: "status", dag: dagAt("idle", 1, "b") }));
    assert.deepEqual(statusOf(h), ["idle", 1], "a restarted server starts its revisions again");
    assert.equal(h.hook.dag?.instance, "b");
  });
});

Deno.test("useETL() reports an unreachable server", async () => {
  const down: Serve = () => new TypeError("connection refused");
  await withUseEtl({ stream: false, pollMs: 60_000, token: "s3cret" }, down, async (h) => {
    await h.waitFor("the status request failed", () => !h.hook.loading);
    assert.equal(h.hook.error, "Cannot reach the server: connection refused");
    assert.ok(h.hook.error?.startsWith("Cannot reach the server"));
    assert.equal(h.hook.dag, null);

    assert.equal(await h.act(() => h.hook.startETL()), false);
    assert.equal(h.hook.error, "Cannot reach the server: connection refused");

    h.serve = () => ok({ success: true, dag: dagAt("idle", 1) });
    await h.act(() => h.hook.refresh());
    assert.equal(h.hook.error, null, "the error goes once the server answers");
    assert.deepEqual(statusOf(h), ["idle", 1]);
  });
});

Deno.test("useETL() ignores answers that arrive after unmount", async () => {
  const answer = Promise.withResolvers<Answer>();
  await withUseEtl({}, () => answer.promise, async (h) => {
    const source = h.source();
    await h.unmount();
    assert.equal(source.closed, true);
    const renders = h.renderCount;
    answer.resolve(ok({ success: true, dag: dagAt("running", 1) }));
    await h.pause(10);
    assert.equal(h.renderCount, renders, "no render after unmount");
    assert.equal(h.hook.dag, null);
    assert.equal(countOf(h.requests, "/api/etl/status"), 1);
  });
});
