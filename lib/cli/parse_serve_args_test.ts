import assert from "node:assert/strict";
import { isLoopback, parseServeArgs, refuseToServe } from "./parse_serve_args.ts";

Deno.test("parseServeArgs() shares the store options of deno task etl and adds host and port", async (t) => {
  await t.step("defaults", () => {
    const args = parseServeArgs([]);
    assert.equal(args.hostname, "127.0.0.1");
    assert.equal(args.port, 8000);
    assert.equal(args.dataDir, "data");
    assert.equal(args.stateDir, ".workbench");
    assert.equal(args.token, undefined);
  });
  await t.step("options and environment", () => {
    const args = parseServeArgs([
      "--port=0",
      "--host",
      "0.0.0.0",
      "--data",
      "d",
      "--warehouse",
      "sqlite:x.db",
    ], {
      DOCSTORE_URL: "embedded:y",
      WORKBENCH_TOKEN: "s3cret",
      NOTIFY_WEBHOOK_URL: "http://hook",
    });
    assert.equal(args.port, 0);
    assert.equal(args.hostname, "0.0.0.0");
    assert.equal(args.dataDir, "d");
    assert.equal(args.warehouseUrl, "sqlite:x.db");
    assert.equal(args.docstoreUrl, "embedded:y");
    assert.equal(args.token, "s3cret");
    assert.equal(args.webhookUrl, "http://hook");
  });
  await t.step("bad values give one sentence", () => {
    assert.throws(() => parseServeArgs(["--port", "http"]), {
      message: '--port must be a whole number from 0 to 65535 (got "http")',
    });
    assert.throws(() => parseServeArgs(["--port"]), { message: "--port needs a value (see --help)" });
    assert.throws(() => parseServeArgs(["--fresh"]), /--fresh is not an option of deno task serve/);
    assert.throws(() => parseServeArgs(["--concurrency", "0"]), /--concurrency must be a positive integer/);
  });
});

Deno.test("refuseToServe() refuses a non-loopback address without a token", () => {
  assert.equal(refuseToServe({ hostname: "127.0.0.1", token: undefined }), undefined);
  assert.equal(refuseToServe({ hostname: "localhost", token: undefined }), undefined);
  assert.equal(refuseToServe({ hostname: "0.0.0.0", token: "t" }), undefined);
  assert.match(
    refuseToServe({ hostname: "0.0.0.0", token: undefined }) ?? "",
    /without a token: set WORKBENCH_TOKEN/,
  );
  assert.ok(isLoopback("::1") && isLoopback("[::1]") && isLoopback("127.0.0.2"));
  assert.ok(!isLoopback("10.0.0.1") && !isLoopback("::") && !isLoopback("example.com"));
});

Deno.test("parseServeArgs() collects --cors-origin and WORKBENCH_CORS_ORIGINS as origins", () => {
  const args = parseServeArgs([
    "--cors-origin",
    "http://localhost:5173/",
    "--cors-origin=https://Example.org/x",
  ], {
    WORKBENCH_CORS_ORIGINS: "http://a.test:3000, http://localhost:5173",
  });
  assert.deepEqual(args.corsOrigins, ["http://a.test:3000", "http://localhost:5173", "https://example.org"]);
  assert.deepEqual(parseServeArgs([]).corsOrigins, []);
  assert.throws(() => parseServeArgs(["--cors-origin", "localhost"]), /Invalid CORS origin "localhost"/);
  assert.throws(() => parseServeArgs(["--cors-origin"]), /--cors-origin needs a URL/);
});

Deno.test("parseServeArgs() collects --allowed-host (repeatable, comma-separated) and WORKBENCH_ALLOWED_HOSTS", () => {
  assert.deepEqual(parseServeArgs([]).allowedHosts, []);
  const args = parseServeArgs(["--allowed-host", "a.lan,b.lan", "--allowed-host=c.lan"], {
    WORKBENCH_ALLOWED_HOSTS: "env.lan",
  });
  assert.deepEqual(args.allowedHosts, ["env.lan", "a.lan", "b.lan", "c.lan"]);
  assert.throws(() => parseServeArgs(["--allowed-host"]), /--allowed-host needs a value/);
});
