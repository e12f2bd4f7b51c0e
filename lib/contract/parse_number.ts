const ZERO = 48;
const NINE = 57;
const DOT = 46;
const COMMA = 44;
const MINUS = 45;
const PLUS = 43;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** Tells whether a comma at `at` separates thousands: a digit before it, exactly three digits after it. */
function isThousandsSeparator(text: string, at: number): boolean {
  return isDigit(text.charCodeAt(at - 1)) && isDigit(text.charCodeAt(at + 1)) &&
    isDigit(text.charCodeAt(at + 2)) && isDigit(text.charCodeAt(at + 3)) && !isDigit(text.charCodeAt(at + 4));
}

/**
 * Parses a number the way people write it (data contract, section 5), or returns NULL.
 *
 * Accepted: surrounding whitespace, a leading `-` or `+`, thousands separators (`1,234`), a decimal point,
 * and a unit after the number (`45 min`, `58.0 h`, `85.5%`). Invalid: no digits, a second decimal point,
 * digits after the unit (`12 to 15`), anything before the number (`$5`), exponents (`1e3`), and a comma
 * that is not followed by exactly three digits (`1,5` could be a decimal comma, so it is refused).
 *
 * @example
 * ```ts
 * parseNumber("1,234.5 min"); // 1234.5
 * parseNumber("-85.5%"); // -85.5
 * parseNumber("n/a"); // null
 * ```
 */
export function parseNumber(value: string | null | undefined): number | null {
  if (value == null) return null;
  const text = value.trim();
  const end = text.length;
  let at = 0;
  const sign = text.charCodeAt(0);
  if (sign === MINUS || sign === PLUS) at = 1;
  const start = at;
  let digits = 0;
  let dots = 0;
  let commas = false;
  // Hand-written scan: this runs for two fields of every session row, and a regex pair is several times slower.
  for (; at < end; at++) {
    const code = text.charCodeAt(at);
    if (isDigit(code)) {
      digits++;
    } else if (code === DOT) {
      if (++dots > 1) return null;
    } else if (code === COMMA && dots === 0 && isThousandsSeparator(text, at)) {
      commas = true;
    } else {
      break;
    }
  }
  if (digits === 0) return null;
  for (let rest = at; rest < end; rest++) if (isDigit(text.charCodeAt(rest))) return null;
  const body = text.slice(start, at);
  const magnitude = Number(commas ? body.replaceAll(",", "") : body);
  if (!Number.isFinite(magnitude)) return null;
  // `magnitude || 0` would keep -0 for "-0"; a zero has no sign in the warehouse.
  return sign === MINUS && magnitude !== 0 ? -magnitude : magnitude;
}
