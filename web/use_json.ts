/// <reference lib="dom" />
// @ts-types="@types/react"
import { useEffect, useState } from "react";
import { callApi } from "./api.ts";

/** What {@linkcode useJson} returns. */
export interface JsonState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * GETs `path` (again whenever it or `reload` changes) and keeps the last answer while the next one loads;
 * `null` fetches nothing. An answer that arrives after a newer request was made is dropped.
 */
export function useJson<T>(path: string | null, reload: unknown = 0): JsonState<T> {
  const [state, setState] = useState<JsonState<T>>({ data: null, error: null, loading: path !== null });
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    callApi<T>("", path).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (e) => current && setState((s) => ({ data: s.data, error: (e as Error).message, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [path, reload]);
  return state;
}
