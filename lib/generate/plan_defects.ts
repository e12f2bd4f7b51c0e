import type { Random } from "./random.ts";

/**
 * Rows per defect kind for a file of `rows` rows: `max(1, round(rate * rows))`, so every kind appears.
 *
 * @throws {RangeError} when the defects would take more than half of the rows (too small a dataset).
 */
export function defectCounts<K extends string>(
  rates: Readonly<Record<K, number>>,
  rows: number,
  noun: string,
): [K, number][] {
  const counts = (Object.entries(rates) as [K, number][]).map(([kind, rate]): [K, number] => [
    kind,
    Math.max(1, Math.round(rate * rows)),
  ]);
  const total = counts.reduce((sum, [, count]) => sum + count, 0);
  if (total * 2 > rows) {
    throw new RangeError(
      `Cannot inject ${total} defects into ${rows} ${noun}: messy data needs at least ${total * 2} ${noun}`,
    );
  }
  return counts;
}

/**
 * Chooses which rows get which defect: {@linkcode defectCounts} distinct rows per kind, no row twice.
 *
 * Returns row index -> kind, in bounded memory (a few percent of the rows).
 *
 * @throws {RangeError} when the defects would take more than half of the rows (too small a dataset).
 * @example
 * ```ts
 * import { planDefects } from "./plan_defects.ts";
 * import { Random } from "./random.ts";
 *
 * const plan = planDefects({ blank_lines: 0.01, duplicates: 0.02 }, 1000, new Random(42, "plan"), "users");
 * plan.size; // 30
 * ```
 */
export function planDefects<K extends string>(
  rates: Readonly<Record<K, number>>,
  rows: number,
  random: Random,
  noun: string,
): Map<number, K> {
  const counts = defectCounts(rates, rows, noun);
  const plan = new Map<number, K>();
  for (const [kind, count] of counts) {
    for (let placed = 0; placed < count;) {
      const row = random.int(0, rows - 1);
      if (plan.has(row)) continue;
      plan.set(row, kind);
      placed++;
    }
  }
  return plan;
}

/** Rows per defect kind of a plan (empty for clean data). */
export function countDefects<K extends string>(plan: Map<number, K> | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of plan?.values() ?? []) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
