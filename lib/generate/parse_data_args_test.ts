import assert from "node:assert/strict";
import { type DataCommand, parseDataArgs } from "./parse_data_args.ts";

Deno.test("parseDataArgs() reads the options", async (t) => {
  const cases: [string[], DataCommand][] = [
    [[], { help: false, options: { outDir: "data" } }],
    [["--out", "/tmp/x", "--seed", "0"], { help: false, options: { outDir: "/tmp/x", seed: 0 } }],
    [["--scale=10", "--messy"], { help: false, options: { outDir: "data", scale: 10, messy: true } }],
    [["--users", "50", "--sessions=900"], {
      help: false,
      options: { outDir: "data", users: 50, sessions: 900 },
    }],
    [["--seed", "1", "--seed", "2"], { help: false, options: { outDir: "data", seed: 2 } }],
    [["--scale", "x", "--help"], { help: true }],
  ];
  for (const [args, expected] of cases) {
    await t.step(args.join(" ") || "(none)", () => assert.deepEqual(parseDataArgs(args), expected));
  }
  await t.step("--help wins", () => assert.deepEqual(parseDataArgs(["--messy", "-h"]), { help: true }));
});

Deno.test("parseDataArgs() explains a bad argument in one sentence", async (t) => {
  const cases: [string[], string][] = [
    [["--scale", "x"], '--scale must be a positive integer (got "x")'],
    [["--scale", "0"], '--scale must be a positive integer (got "0")'],
    [["--scale=1.5"], '--scale must be a positive integer (got "1.5")'],
    [["--users", "-3"], '--users must be a positive integer (got "-3")'],
    [["--seed", "-1"], '--seed must be a non-negative integer (got "-1")'],
    [
      ["--seed", "99999999999999999999"],
      '--seed must be a non-negative integer (got "99999999999999999999")',
    ],
    [["--scale"], "--scale needs a value"],
    [["--out", "--messy"], "--out needs a value"],
    [["--out="], "--out needs a value"],
    [["--messy=yes"], '--messy takes no value (got "yes")'],
    [["--size", "3"], 'Unknown option "--size" (see --help)'],
    [["data"], 'Unexpected argument "data" (see --help)'],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), () => assert.throws(() => parseDataArgs(args), new TypeError(message)));
  }
});
