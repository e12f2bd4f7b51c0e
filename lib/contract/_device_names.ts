import type { Device } from "./types.ts";

/** Device names normalised like {@linkcode deviceKey}, and the canonical device each one means. */
const DEVICE_BY_KEY = new Map<string, Device>([
  ["smarttv", "Smart TV"],
  ["mobile", "Mobile"],
  ["phone", "Mobile"],
  ["smartphone", "Mobile"],
  ["desktop", "Desktop"],
  ["pc", "Desktop"],
  ["computer", "Desktop"],
  ["laptop", "Laptop"],
  ["tablet", "Tablet"],
  ["gamingconsole", "Gaming Console"],
  ["console", "Gaming Console"],
  ["other", "Other"],
]);

/** Device names exactly as they are stored: the common case, answered without normalising. */
const CANONICAL = new Set<string>(DEVICE_BY_KEY.values());

/** The matching key of a device name: lower case, without whitespace, `_` or `-`. */
function deviceKey(name: string): string {
  return name.replace(/[\s_-]/g, "").toLowerCase();
}

/** Looks up the canonical device a name stands for (data contract, section 4); undefined when unknown. */
export function lookupDevice(name: string): Device | undefined {
  return CANONICAL.has(name) ? name as Device : DEVICE_BY_KEY.get(deviceKey(name));
}
