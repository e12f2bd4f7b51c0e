import type { Device } from "./types.ts";
import { lookupDevice } from "./_device_names.ts";

/**
 * Maps a device name to its canonical device (data contract, section 4); empty or unknown is `Other`.
 *
 * Matching ignores case, whitespace, `_` and `-`; `phone` and `smartphone` are `Mobile`, `console` is
 * `Gaming Console`, `pc` and `computer` are `Desktop`.
 *
 * @example
 * ```ts
 * canonicalDevice("smart_tv"); // "Smart TV"
 * canonicalDevice("toaster"); // "Other"
 * ```
 */
export function canonicalDevice(value: string | null | undefined): Device {
  return value == null ? "Other" : lookupDevice(value) ?? "Other";
}
