import { SUBSCRIPTION_TYPES, type SubscriptionType } from "./types.ts";

const SUBSCRIPTION_BY_LOWER = new Map(SUBSCRIPTION_TYPES.map((type) => [type.toLowerCase(), type]));

/**
 * Maps a subscription name to `Basic`, `Standard` or `Premium` in any case (surrounding whitespace ignored),
 * or returns NULL.
 *
 * @example
 * ```ts
 * canonicalSubscription(" PREMIUM "); // "Premium"
 * canonicalSubscription("gold"); // null
 * ```
 */
export function canonicalSubscription(value: string | null | undefined): SubscriptionType | null {
  return value == null ? null : SUBSCRIPTION_BY_LOWER.get(value.trim().toLowerCase()) ?? null;
}
