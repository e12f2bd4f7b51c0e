/**
 * Whether two document values hold the same data: objects compare field by field in any order, a field set
 * to `undefined` counts as absent (MongoDB does not store it), arrays compare in order, dates by time, and
 * driver value types (ObjectId, Decimal128, ...) by their own `equals`.
 */
export function documentsEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((item, i) => documentsEqual(item, b[i]));
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (!isPlainObject(a) || !isPlainObject(b)) {
    const equals = (a as { equals?: unknown }).equals;
    return typeof equals === "function" && equals.call(a, b) === true;
  }
  const aKeys = definedKeys(a);
  const bKeys = definedKeys(b);
  return aKeys.length === bKeys.length &&
    aKeys.every((key) => Object.hasOwn(b, key) && documentsEqual(a[key], b[key]));
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}
