/**
 * Parses `--partitions FROM..TO` (or one partition's name): inclusive bounds, compared by name.
 *
 * @throws {TypeError} with one sentence for the user.
 * @example
 * ```ts
 * parsePartitionRange("2024-09-01..2024-09-07"); // ["2024-09-01", "2024-09-07"]
 * ```
 */
export function parsePartitionRange(text: string): [string, string] {
  const [from, to = from, extra] = text.split("..");
  if (extra !== undefined || !from || !to || from > to) {
    throw new TypeError(
      `--partitions must be FROM..TO with FROM <= TO, e.g. 2024-09-01..2024-09-07 (got "${text}")`,
    );
  }
  return [from, to];
}
