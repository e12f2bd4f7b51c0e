/** Shifts a number's decimal point by `places` through its decimal text, so that no binary error creeps in. */
function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent = "0"] = String(value).split("e");
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

/**
 * Rounds to two decimals, halves away from zero, exactly for the decimal the number was written as.
 *
 * `Math.round(n * 100) / 100` gives 1 for 1.005 because 1.005 * 100 is 100.49999999999999 in binary;
 * shifting the decimal text instead gives 100.5, which rounds to 101. Non-finite values come back unchanged.
 *
 * @example
 * ```ts
 * roundTo2(1.005); // 1.01
 * roundTo2(-2.675); // -2.68
 * ```
 */
export function roundTo2(value: number): number {
  if (!Number.isFinite(value)) return value;
  // Fast path, exact: if the double nearest to hundredths/100 is the value itself, the value already has at
  // most two decimals (nearly every duration and percentage does), so the string round trip can be skipped.
  const hundredths = Math.round(value * 100);
  if (hundredths / 100 === value) return value === 0 ? 0 : value;
  const rounded = shiftDecimal(Math.round(shiftDecimal(Math.abs(value), 2)), -2);
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}
