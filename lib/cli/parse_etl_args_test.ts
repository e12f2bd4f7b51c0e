import assert from "node:assert/strict";
import { parseEtlArgs } from "./parse_etl_args.ts";

Deno.test("parseEtlArgs() applies defaults, then the environment, then the options", async (t) => {
  await t.step("defaults", () => {
    const args = parseEtlArgs([]);
    assert.equal(args.dataDir, "data");
    assert.equal(args.dataDirIsDefault, true);
    assert.equal(args.warehouseUrl, undefined);
    assert.equal(args.batchSize, 1000);
    assert.equal(args.missingWatchDateLimit, 0.05);
    assert.equal(args.wait, false);
    assert.equal(args.leaseTimeoutMs, 15_000);
  });
  await t.step("--wait, and the lease timeout from the environment or the option", () => {
    assert.equal(parseEtlArgs(["--wait"]).wait, true);
    assert.equal(parseEtlArgs([], { WORKBENCH_LEASE_TIMEOUT: "2.5" }).leaseTimeoutMs, 2500);
    assert.equal(
      parseEtlArgs(["--lease-timeout", "2"], { WORKBENCH_LEASE_TIMEOUT: "9" }).leaseTimeoutMs,
      2000,
    );
  });
  await t.step("environment", () => {
    const args = parseEtlArgs([], {
      DATA_DIR: "/d",
      WAREHOUSE_URL: "sqlite:x.db",
      DOCSTORE_URL: "embedded:y",
    });
    assert.deepEqual([args.dataDir, args.dataDirIsDefault, args.warehouseUrl, args.docstoreUrl], [
      "/d",
      false,
      "sqlite:x.db",
      "embedded:y",
    ]);
  });
  await t.step("options win over the environment", () => {
    const args = parseEtlArgs(
      [
        "--data",
        "in",
        "--warehouse",
        "mysql://u@h/db",
        "--batch-size",
        "500",
        "--only",
        "a, b",
        "--fresh",
        "--json",
      ],
      { DATA_DIR: "/d", WAREHOUSE_URL: "sqlite:x.db" },
    );
    assert.deepEqual(
      [args.dataDir, args.warehouseUrl, args.batchSize, args.only, args.fresh, args.json],
      ["in", "mysql://u@h/db", 500, ["a", "b"], true, true],
    );
  });
});

Deno.test("parseEtlArgs() names the option of a bad value", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--batch-size", "0"], /--batch-size must be a positive integer \(got "0"\)/],
    [["--batch-size", "ten"], /--batch-size must be a positive integer \(got "ten"\)/],
    [["--concurrency", "0"], /--concurrency must be a positive integer/],
    [["--missing-watch-date-limit", "150"], /--missing-watch-date-limit must be a percentage/],
    [["--resume", "--from", "x"], /--resume cannot be combined/],
    [["--nope"], /Unknown option '--nope'.*\(see --help\)/],
    [["--encoding", "utf-16"], /--encoding must be one of utf-8, latin1, windows-1252 \(got "utf-16"\)/],
    [["--max-line-bytes", "0"], /--max-line-bytes must be a positive integer/],
    [["--retry-budget=-1"], /--retry-budget must be a number of seconds, 0 or more \(got "-1"\)/],
    [["--retry-budget", "soon"], /--retry-budget must be a number of seconds/],
    [["--lease-timeout", "0"], /--lease-timeout must be a positive number of seconds \(got "0"\)/],
  ];
  for (const [args, message] of cases) {
    await t.step(
      args.join(" "),
      () => assert.throws(() => parseEtlArgs(args), { name: "TypeError", message }),
    );
  }
});

Deno.test("parseEtlArgs() reads --encoding, --max-line-bytes and --retry-budget (env WORKBENCH_RETRY_BUDGET)", () => {
  const defaults = parseEtlArgs([]);
  assert.deepEqual([defaults.encoding, defaults.maxLineBytes, defaults.retryBudgetMs], [
    "utf-8",
    1_048_576,
    60_000,
  ]);
  const set = parseEtlArgs(["--encoding", "Latin1", "--max-line-bytes", "4096", "--retry-budget", "2.5"]);
  assert.deepEqual([set.encoding, set.maxLineBytes, set.retryBudgetMs], ["latin1", 4096, 2500]);
  assert.equal(parseEtlArgs([], { WORKBENCH_RETRY_BUDGET: "0" }).retryBudgetMs, 0);
  assert.equal(parseEtlArgs(["--encoding", "utf8"]).encoding, "utf-8");
});
