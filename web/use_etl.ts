/// <reference lib="dom" />
// @ts-types="@types/react"
import { useCallback, useEffect, useRef, useState } from "react";
import { callApi, ServerUnreachableError } from "./api.ts";
import { type DagView, isNewerDag, normalizeDag } from "./normalize_dag.ts";

/** What `POST /api/etl/start` accepts. */
export interface StartEtlOptions {
  pipelines?: "relational" | "document" | "both";
  fresh?: boolean;
  batchSize?: number;
}

/** Options of {@linkcode useETL}. */
export interface UseEtlOptions {
  /** @default "" (the page's own server) */
  baseUrl?: string;
  /** Sent with Start and Reset when the server requires one. */
  token?: string | null;
  /** @default 2000 */
  pollMs?: number;
  /** Follow `GET /api/etl/events`; polling takes over while the stream is down. @default true */
  stream?: boolean;
}

/** What {@linkcode useETL} returns. */
export interface UseEtl {
  dag: DagView | null;
  loading: boolean;
  error: string | null;
  isRunning: boolean;
  /** Whether the event stream is connected (otherwise the hook polls while running). */
  streaming: boolean;
  /** `Date.now()` when `dag` was last received, to advance timers between updates. */
  receivedAt: number;
  startETL(options?: StartEtlOptions): Promise<boolean>;
  resetETL(): Promise<boolean>;
  refresh(): Promise<void>;
}

/**
 * The live DAG status: follows the server's event stream, and polls every `pollMs` while a run is going and
 * the stream is down. Start and Reset report the server's error sentence in `error`, where it stays until the
 * next Start or Reset; an unreachable server's error goes as soon as the server answers again.
 */
export function useETL(options: UseEtlOptions = {}): UseEtl {
  const { baseUrl = "", token = null, pollMs = 2000, stream = true } = options;
  const [dag, setDagState] = useState<DagView | null>(null);
  const [receivedAt, setReceivedAt] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [streaming, setStreaming] = useState(false);
  const mounted = useRef(true);
  const latest = useRef<DagView | null>(null);
  // A refused Start or Reset (409, 400) stays shown until the next action; a status poll must not hide it.
  const actionRefused = useRef(false);

  const setDag = useCallback((response: unknown) => {
    const next = normalizeDag(response);
    if (!mounted.current || !next || !isNewerDag(latest.current, next)) return;
    latest.current = next;
    setDagState(next);
    setReceivedAt(Date.now());
  }, []);

  const refresh = useCallback(async () => {
    try {
      setDag(await callApi(baseUrl, "/api/etl/status"));
      if (mounted.current && !actionRefused.current) setError(null);
    } catch (e) {
      actionRefused.current = false;
      if (mounted.current) setError((e as Error).message);
    } finally {
      if (mounted.current) setLoading(false);
    }
  }, [baseUrl, setDag]);

  const mutate = useCallback(async (path: string, body?: unknown) => {
    try {
      setDag(await callApi(baseUrl, path, { method: "POST", body, token }));
      actionRefused.current = false;
      if (mounted.current) setError(null);
      return true;
    } catch (e) {
      // Unreachable is about the connection: the next answer from the server clears it.
      actionRefused.current = !(e instanceof ServerUnreachableError);
      if (mounted.current) setError((e as Error).message);
      return false;
    }
  }, [baseUrl, token, setDag]);

  const startETL = useCallback((start: StartEtlOptions = {}) => mutate("/api/etl/start", start), [mutate]);
  const resetETL = useCallback(() => mutate("/api/etl/reset"), [mutate]);

  useEffect(() => {
    mounted.current = true;
    refresh();
    return () => {
      mounted.current = false;
    };
  }, [refresh]);

  useEffect(() => {
    if (!stream || typeof EventSource === "undefined") return;
    const source = new EventSource(`${baseUrl}/api/etl/events`);
    source.onopen = () => setStreaming(true);
    source.onmessage = (message) => {
      setStreaming(true);
      setLoading(false);
      setDag(JSON.parse(message.data));
    };
    // EventSource reconnects by itself; polling covers the gap.
    source.onerror = () => setStreaming(false);
    return () => {
      source.close();
      setStreaming(false);
    };
  }, [baseUrl, stream, setDag]);

  const isRunning = dag?.status === "running";
  useEffect(() => {
    if (!isRunning || streaming) return;
    const timer = setInterval(refresh, pollMs);
    return () => clearInterval(timer);
  }, [isRunning, streaming, pollMs, refresh]);

  return { dag, loading, error, isRunning, streaming, receivedAt, startETL, resetETL, refresh };
}
