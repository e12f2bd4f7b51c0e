/**
 * Throughput of the session hot path: `deno bench lib/contract/validate_session_bench.ts`.
 * Rows are varied (seeded), like the generated dataset, so the caches of one repeated value do not flatter.
 */
import { SESSION_FIELDS } from "./inputs.ts";
import { resolveHeader } from "./resolve_header.ts";
import { rowFromValues } from "./row_from_values.ts";
import { validateSession } from "./validate_session.ts";

const ROWS = 10_000;
const DEVICES = ["Smart TV", "Mobile", "Desktop", "Tablet", "Gaming Console", "smart_tv", "phone"];
const QUALITIES = ["4K", "HD", "SD", "hd"];

/** Park-Miller generator: the same rows on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

const random = seeded(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const header = resolveHeader("sessions", [...SESSION_FIELDS], "viewing_sessions.csv");
const records = Array.from({ length: ROWS }, (_, at) => [
  `S${String(at + 1).padStart(6, "0")}`,
  `U${String(1 + Math.floor(random() * 5000)).padStart(4, "0")}`,
  `M${String(1 + Math.floor(random() * 200)).padStart(3, "0")}`,
  `2024-0${1 + Math.floor(random() * 8)}-${String(1 + Math.floor(random() * 28)).padStart(2, "0")}`,
  (random() * 180).toFixed(1),
  (random() * 100).toFixed(1),
  pick(DEVICES),
  pick(QUALITIES),
]);
const users = new Set(Array.from({ length: 5000 }, (_, at) => `U${String(at + 1).padStart(4, "0")}`));
const options = { isKnownUser: (userId: string) => users.has(userId) };
const rows = records.map((values) => rowFromValues(header, values));

Deno.bench(`validateSession() x ${ROWS} rows`, { baseline: true }, () => {
  for (const row of rows) validateSession(row, options);
});

Deno.bench(`rowFromValues() + validateSession() x ${ROWS} rows`, () => {
  for (const values of records) validateSession(rowFromValues(header, values), options);
});
