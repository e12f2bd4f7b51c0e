/// <reference lib="dom" />
// @ts-types="@types/react"
import { useCallback, useEffect, useState } from "react";
import { callApi } from "./api.ts";
import { href } from "./router.ts";
import { DagGraph } from "./dag_graph.tsx";
import { formatDuration } from "../lib/format/mod.ts";
import { NodeTable } from "./node_table.tsx";
import { PartitionStrip } from "./partition_strip.tsx";
import {
  DurationChart,
  type RunDetails,
  RunDetailsView,
  RunHistory,
  type RunSummary,
} from "./run_history.tsx";
import { Gantt } from "./gantt.tsx";
import type { NodeView } from "./normalize_dag.ts";
import type { StartEtlOptions, UseEtl } from "./use_etl.ts";
import { useJson } from "./use_json.ts";

const DAG_LABEL = {
  idle: "Idle: not started",
  running: "Running",
  success: "Succeeded",
  error: "Failed",
  abandoned: "Abandoned",
};

/** The token for Start and Reset: `#token=...` in the address, else the one saved in this browser. */
export function initialToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) localStorage.setItem("workbenchToken", fromHash);
  return fromHash ?? localStorage.getItem("workbenchToken");
}

/** Elapsed time that keeps counting between updates while the run is going. */
function useElapsed(elapsedMs: number, receivedAt: number, running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [running]);
  return running ? elapsedMs + Math.max(0, now - receivedAt) : elapsedMs;
}

/** The whole run's progress: finished nodes count 1, a running node its share of rows read. */
export function overallPercent(nodes: readonly NodeView[]): number {
  if (nodes.length === 0) return 0;
  const done = nodes.reduce(
    (sum, n) => sum + (n.status === "running" ? (n.percent ?? 0) / 100 : n.status === "pending" ? 0 : 1),
    0,
  );
  return Math.round((done / nodes.length) * 1000) / 10;
}

/**
 * The Pipeline page: the run's live state, Start / Reset / Refresh, which stores the server uses, the
 * history, and the selected run's timeline, rejects and checks.
 */
export function App(props: { etl: UseEtl; setToken(token: string): void }) {
  const { etl, setToken } = props;
  const { dag } = etl;
  const health = useJson<{ warehouse: string; docstore: string }>("/api/health");
  const [options, setOptions] = useState<Required<StartEtlOptions>>({
    pipelines: "both",
    fresh: false,
    batchSize: 1000,
  });
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [details, setDetails] = useState<RunDetails | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);

  const loadRuns = useCallback(async () => {
    try {
      const res = await callApi<{ runs: RunSummary[] }>("", "/api/etl/runs?limit=12");
      setRuns(res.runs);
      setHistoryError(null);
      setSelected((current) => current ?? res.runs[0]?.runId ?? null);
    } catch (e) {
      setHistoryError((e as Error).message);
    }
  }, []);

  // Reload the history at first load, when a run starts and when it ends; select the run shown above.
  const runKey = dag ? `${dag.status}:${dag.runId}` : null;
  useEffect(() => {
    if (runKey === null) return;
    loadRuns().then(() => {
      if (dag?.runId && dag.status !== "idle") setSelected(dag.runId);
    });
  }, [runKey, loadRuns]);

  useEffect(() => {
    if (!selected) return;
    callApi<{ run: RunDetails }>("", `/api/etl/runs/${encodeURIComponent(selected)}`).then(
      (res) => setDetails(res.run),
      (e) => setHistoryError((e as Error).message),
    );
  }, [selected, runs]);

  const running = etl.isRunning;
  const elapsed = useElapsed(dag?.elapsedMs ?? 0, etl.receivedAt, running);
  const runningNodes = dag?.nodes.filter((n) => n.status === "running") ?? [];
  const overall = dag ? (dag.status === "success" ? 100 : overallPercent(dag.nodes)) : 0;
  const needsToken = /token/i.test(etl.error ?? "");

  return (
    <main>
      <header>
        <div>
          <h1>Streaming ETL workbench</h1>
          <p className="muted">
            Live monitoring of the DAG: the relational pipeline into the warehouse, documents into the
            document store.
          </p>
          <p className="stores" data-stores>
            <span>
              Warehouse: <code data-store="warehouse">{health.data?.warehouse ?? "…"}</code>
            </span>{" "}
            <span>
              Document store: <code data-store="docstore">{health.data?.docstore ?? "…"}</code>
            </span>
          </p>
        </div>
        <div
          className={`dag-status status-${dag?.status ?? "idle"}`}
          data-dag-status={dag?.status ?? "loading"}
        >
          {dag ? DAG_LABEL[dag.status] : "Loading..."}
        </div>
      </header>

      <section className="controls">
        <label>
          Pipelines{" "}
          <select
            value={options.pipelines}
            disabled={running}
            onChange={(e) =>
              setOptions({ ...options, pipelines: e.target.value as typeof options.pipelines })}
          >
            <option value="both">both</option>
            <option value="relational">relational only</option>
            <option value="document">documents only</option>
          </select>
        </label>
        <label>
          Batch size{" "}
          <input
            type="number"
            min={1}
            max={100000}
            value={options.batchSize}
            disabled={running}
            onChange={(e) => setOptions({ ...options, batchSize: Number(e.target.value) })}
          />
        </label>
        <label title="Drop and recreate the data tables first (the run history is kept)">
          <input
            type="checkbox"
            checked={options.fresh}
            disabled={running}
            onChange={(e) => setOptions({ ...options, fresh: e.target.checked })}
          />{" "}
          fresh tables
        </label>
        <button
          type="button"
          className="primary"
          disabled={running || !dag}
          onClick={() => etl.startETL(options)}
        >
          Start
        </button>
        <button
          type="button"
          disabled={running || !dag || dag.status === "idle"}
          title="Clear the live view back to idle; data and history stay"
          onClick={() => etl.resetETL()}
        >
          Reset
        </button>
        <button type="button" onClick={() => etl.refresh().then(loadRuns)}>Refresh</button>
        <span className="muted live">
          {etl.streaming ? "live (event stream)" : running ? "polling every 2 s" : ""}
        </span>
      </section>

      {etl.error
        ? (
          <div className="banner error" role="alert">
            {etl.error}
            {needsToken
              ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    const value = new FormData(e.currentTarget).get("token")?.toString() ?? "";
                    localStorage.setItem("workbenchToken", value);
                    setToken(value);
                  }}
                >
                  <input name="token" type="password" placeholder="WORKBENCH_TOKEN" />
                  <button type="submit">Use token</button>
                </form>
              )
              : null}
          </div>
        )
        : null}

      {dag
        ? (
          <>
            <section className="summary" data-summary>
              <div>
                <span className="label">Elapsed</span>
                <span className="value" data-elapsed>{dag.startTime ? formatDuration(elapsed) : "–"}</span>
              </div>
              <div className="wide-cell">
                <span className="label">
                  {runningNodes.length > 1 ? `Running now (${runningNodes.length})` : "Current node"}
                </span>
                <span className="value" data-current-node>
                  {runningNodes.length > 0
                    ? runningNodes.map((n) => n.name).join(" · ")
                    : running
                    ? dag.stats.completed === 0 ? "starting..." : "next node starting..."
                    : dag.status === "idle"
                    ? "none"
                    : "none (run ended)"}
                </span>
              </div>
              <div>
                <span className="label">Nodes done</span>
                <span className="value">{dag.stats.completed} of {dag.stats.totalNodes}</span>
              </div>
              <div>
                <span className="label">Failed</span>
                <span className={`value${dag.stats.failed ? " bad" : ""}`}>{dag.stats.failed}</span>
              </div>
              <div>
                <span className="label">Skipped</span>
                <span className="value">{dag.stats.skipped}</span>
              </div>
              <div>
                <span className="label">Run</span>
                <span className="value">
                  <code>{dag.runId ? dag.runId.slice(0, 8) : "–"}</code>
                </span>
              </div>
              <div>
                <span className="label">Started by</span>
                <span className="value" data-started-by={dag.startedBy?.source ?? ""}>
                  {dag.startedBy
                    ? `${dag.startedBy.source}${
                      dag.startedBy.pid !== null ? ` (pid ${dag.startedBy.pid}` : " ("
                    }${dag.startedBy.host ? ` on ${dag.startedBy.host})` : ")"}`
                    : "–"}
                </span>
              </div>
            </section>
            <div className="overall" data-overall-percent={String(overall)}>
              <div className={`progress-track status-${dag.status === "error" ? "failed" : dag.status}`}>
                <div className="progress-fill" style={{ width: `${overall}%` }} />
              </div>
              <span className="progress-text">
                {`Overall ${overall.toFixed(overall === 100 ? 0 : 1)}% · ${
                  dag.stats.completed + dag.stats.failed + dag.stats.skipped
                } of ${dag.stats.totalNodes} nodes finished`}
              </span>
            </div>
            {dag.error
              ? (
                <div className={`banner ${dag.status === "abandoned" ? "warning" : "error"}`} data-run-error>
                  {dag.status === "abandoned" ? "Abandoned: " : "The run ended in error: "}
                  {dag.error.replace(/^abandoned: /, "")}
                </div>
              )
              : null}
            <section className="card">
              <div className="dag-scroll">
                <DagGraph nodes={dag.nodes} selected={dag.currentNode} />
              </div>
              <ul className="legend">
                {(["pending", "running", "success", "failed", "skipped"] as const).map((s) => (
                  <li key={s}>
                    <span className={`swatch status-${s}`} />
                    {s === "pending" ? "waiting" : s}
                  </li>
                ))}
              </ul>
            </section>
            <section className="card">
              <h2>Nodes</h2>
              <div className="table-wrap">
                <NodeTable nodes={dag.nodes} />
              </div>
            </section>
          </>
        )
        : <p className="muted">{etl.loading ? "Loading the status..." : "No status."}</p>}

      <section className="card">
        <h2>Session partitions</h2>
        <PartitionStrip refreshKey={runKey} />
      </section>

      <section className="card">
        <h2>Run history</h2>
        {historyError ? <div className="banner error">{historyError}</div> : null}
        <div className="table-wrap">
          <RunHistory runs={runs} selected={selected} running={running} onSelect={setSelected} />
        </div>
        <h2>Node durations over the last runs</h2>
        {dag && runs.length > 0
          ? <DurationChart runs={runs} nodeOrder={dag.nodes.map((n) => ({ id: n.id, name: n.name }))} />
          : <p className="muted">No runs yet.</p>}
        <h2>Selected run</h2>
        <RunDetailsView run={details} />
        {details && dag
          ? (
            <>
              <h4>Timeline of the run (both branches)</h4>
              <Gantt run={details} nodes={dag.nodes} />
              <p>
                <a href={href("rejects", [details.runId])} data-rejects-link>
                  Browse this run's rejected rows and coerced values →
                </a>
              </p>
            </>
          )
          : null}
      </section>
    </main>
  );
}
