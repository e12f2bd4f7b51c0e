import type { Random } from "./random.ts";

/** A valid `YYYY-MM-DD` date written in another accepted format (data contract, section 5). */
export function otherDateFormat(iso: string, random: Random): string {
  const [year, month, day] = iso.split("-");
  switch (random.int(0, 3)) {
    case 0:
      return `${year}/${month}/${day}`;
    case 1:
      return `${day}/${month}/${year}`;
    case 2:
      return `${iso}T${twoDigits(random.int(0, 23))}:${twoDigits(random.int(0, 59))}:00Z`;
    default:
      return `${iso} ${twoDigits(random.int(0, 23))}:${twoDigits(random.int(0, 59))}`;
  }
}

/** A number from 1,000.0 to 1,440.0 written with a thousands separator, e.g. `1,023.4`. */
export function thousandsNumber(random: Random): string {
  const tenths = random.int(10_000, 14_400);
  const whole = Math.floor(tenths / 10);
  return `${Math.floor(whole / 1000)},${String(whole % 1000).padStart(3, "0")}.${tenths % 10}`;
}

/** A value written with its quote characters broken: `"Smart "TV"` (a stray quote) or `"Smart TV` (unclosed). */
export function brokenQuoting(value: string, random: Random): string {
  if (random.chance(0.5)) return `"${value}`;
  const space = value.indexOf(" ");
  const cut = space === -1 ? Math.ceil(value.length / 2) : space + 1;
  return `"${value.slice(0, cut)}"${value.slice(cut)}"`;
}

/** A line with the wrong number of fields: the last field dropped, or a stray comma at the end. */
export function wrongFieldCount(line: string, random: Random): string {
  return random.chance(0.5) ? line.slice(0, line.lastIndexOf(",")) : `${line},`;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, "0");
}
