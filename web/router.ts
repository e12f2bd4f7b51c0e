/// <reference lib="dom" />
// @ts-types="@types/react"
import { useEffect, useState } from "react";

/** The pages of the dashboard, in the order of the nav bar. */
export const PAGES = [
  { id: "pipeline", title: "Pipeline" },
  { id: "analytics", title: "Analytics" },
  { id: "warehouse", title: "Warehouse" },
  { id: "documents", title: "Documents" },
  { id: "users", title: "Users" },
  { id: "rejects", title: "Rejects" },
] as const;

/** A page's id. */
export type PageId = typeof PAGES[number]["id"];

/** Where the address points: `#/page/rest?query`; anything else (an empty hash, `#token=...`) is Pipeline. */
export interface Route {
  page: PageId;
  /** Path segments after the page, decoded: `#/warehouse/users` -> `["users"]`. */
  rest: string[];
  query: URLSearchParams;
}

/** Reads a hash such as `#/rejects/abc?file=users.csv`. */
export function parseRoute(hash: string): Route {
  const match = /^#\/([a-z]+)((?:\/[^?]*)?)(?:\?(.*))?$/.exec(hash);
  const page = PAGES.find((p) => p.id === match?.[1])?.id;
  if (!match || !page) return { page: "pipeline", rest: [], query: new URLSearchParams() };
  const rest = match[2].split("/").filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return { page, rest, query: new URLSearchParams(match[3] ?? "") };
}

/** The hash of a route: `href("rejects", ["abc"], { file: "users.csv" })` -> `#/rejects/abc?file=users.csv`. */
export function href(
  page: PageId,
  rest: readonly string[] = [],
  query: Record<string, string | number | undefined | null> = {},
): string {
  const path = [page, ...rest.map(encodeURIComponent)].join("/");
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return `#/${path}${text ? `?${text}` : ""}`;
}

/** The current route, following the address bar (back and forward included). */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return parseRoute(hash);
}

/** Goes to a route (a new history entry, so Back returns). */
export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}
