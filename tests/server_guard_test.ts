/**
 * The API must not be reachable from a web page: DNS rebinding (a foreign `Host`) is refused with 421 over
 * a real socket, very long URLs get 414, and the event stream bounds slow clients, open streams and idle
 * ones. The app is served by `Deno.serve` on a free loopback port, as `deno task serve` does.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openWorkbench } from "../lib/pipelines/mod.ts";
import { createApp, type CreateAppOptions, EtlMonitor } from "../lib/server/mod.ts";

/** A served app over an empty workbench; `raw` sends one HTTP/1.1 request over TCP and returns the answer. */
async function withServedApp(
  options: Omit<CreateAppOptions, "monitor">,
  fn: (ctx: {
    raw: (request: string) => Promise<{ status: number; body: string }>;
    app: ReturnType<typeof createApp>;
    monitor: EtlMonitor;
    port: number;
  }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "server_guard_" });
  const workbench = await openWorkbench({ stateDir: dir });
  const monitor = new EtlMonitor({ workbench, dataDir: join(dir, "data") });
  const app = createApp({ monitor, ...options });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const port = server.addr.port;
  const raw = async (request: string) => {
    using conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode(request));
    let text = "";
    const buffer = new Uint8Array(65536);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
    return { status, body: text.slice(text.indexOf("\r\n\r\n") + 4) };
  };
  try {
    await fn({ raw, app, monitor, port });
  } finally {
    app.close();
    await monitor.close();
    await server.shutdown();
    await workbench.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const resetRequest = (host: string) =>
  `POST /api/etl/reset HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;

Deno.test("DNS rebinding: POST /api/etl/reset with Host evil.example is refused with 421 (rebinding reproduction)", async () => {
  await withServedApp({ guard: { allowedHosts: ["workbench.lan"] } }, async ({ raw, port }) => {
    const evil = await raw(resetRequest(`evil.example:${port}`));
    assert.equal(evil.status, 421);
    assert.match(JSON.parse(evil.body).error, /^Cannot serve host "evil.example:\d+": .*--allowed-host/);
    for (
      const host of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `[::1]:${port}`,
        "workbench.lan",
        "app.localhost",
      ]
    ) {
      const ok = await raw(resetRequest(host));
      assert.equal(ok.status, 200, host);
    }
    const noHost = await raw(
      "GET /api/etl/status HTTP/1.0\r\nConnection: close\r\n\r\n",
    );
    assert.notEqual(noHost.status, 200, "a request without Host is not served");
    const reads = await raw(
      `GET /api/etl/status HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(reads.status, 421, "reads are refused too: a rebound page must not read the run history");
  });
});

Deno.test("a very long URL gets 414, not a reset connection (long URL reproduction)", async () => {
  await withServedApp({ guard: { allowedHosts: [] } }, async ({ raw }) => {
    const long = await raw(
      `GET /api/etl/runs?limit=${
        "9".repeat(20_000)
      } HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(long.status, 414);
    assert.match(JSON.parse(long.body).error, /^Cannot serve a URL of 200\d\d bytes: the limit is 8192$/);
    const fine = await raw(
      `GET /api/etl/runs?limit=5 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(fine.status, 200);
  });
});

/** Reads an event stream to its end, counting its messages. */
async function countMessages(res: Response): Promise<number> {
  const text = await res.text();
  return text.split("\n\n").filter((m) => m.startsWith("data: ")).length;
}

Deno.test("a slow event-stream client is closed once it falls behind, the next one is admitted (slow SSE reproduction)", async () => {
  await withServedApp({ eventStreams: { maxQueuedEvents: 5 } }, async ({ app, monitor }) => {
    const slow = await app.request("/api/etl/events");
    assert.equal(slow.status, 200);
    // The client reads nothing while 50 events happen: its queue passes 5 and the server lets it go.
    for (let i = 0; i < 50; i++) monitor.reset();
    const received = await countMessages(slow);
    assert.ok(received >= 5 && received <= 7, `${received} messages, then the stream ended`);
    const next = await app.request("/api/etl/events");
    assert.equal(next.status, 200);
    await next.body?.cancel();
  });
});

Deno.test("event streams: a cap on open streams (503) and an idle timeout", async () => {
  await withServedApp({ eventStreams: { maxClients: 2, idleTimeoutMs: 200 } }, async ({ app }) => {
    const a = await app.request("/api/etl/events");
    const b = await app.request("/api/etl/events");
    const c = await app.request("/api/etl/events");
    assert.equal(c.status, 503);
    assert.match((await c.json()).error, /^Cannot open another event stream: 2 are open/);
    // Nothing happens: both streams end by themselves after 200 ms without a message.
    const t0 = performance.now();
    assert.equal(await countMessages(a), 1, "the status, then the end");
    assert.equal(await countMessages(b), 1);
    assert.ok(performance.now() - t0 < 5000);
    const d = await app.request("/api/etl/events");
    assert.equal(d.status, 200, "closed streams free their places");
    await d.body?.cancel();
  });
});
