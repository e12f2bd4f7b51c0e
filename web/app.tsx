/// <reference lib="dom" />
// @ts-types="@types/react"
import { useCallback, useEffect, useState } from "react";
import { callApi } from "./api.ts";
import { DagGraph } from "./dag_graph.tsx";
import { formatDuration } from "./format.ts";
import { NodeTable } from "./node_table.tsx";
import { PartitionStrip } from "./partition_strip.tsx";
import {
  DurationChart,
  type RunDetails,
  RunDetailsView,
  RunHistory,
  type RunSummary,
} from "./run_history.tsx";
import { type StartEtlOptions, useETL } from "./use_etl.ts";

const DAG_LABEL = { idle: "Idle: not started", running: "Running", success: "Succeeded", error: "Failed" };

/** The token for Start and Reset: `#token=...` in the address, else the one saved in this browser. */
function initialToken(): string | null {
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

/** The dashboard: the run's live state, Start / Reset / Refresh, the history and the selected run. */
export function App() {
  const [token, setToken] = useState(initialToken);
  // `?stream=off` follows the run by polling alone, as when a proxy cuts the event stream.
  const [stream] = useState(() => new URLSearchParams(location.search).get("stream") !== "off");
  const etl = useETL({ token, stream });
  const { dag } = etl;
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
  const current = dag?.nodes.find((n) => n.id === dag.currentNode);
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
              <div>
                <span className="label">Current node</span>
                <span className="value" data-current-node>
                  {current
                    ? current.name
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
            </section>
            <section className="card">
              <DagGraph nodes={dag.nodes} selected={dag.currentNode} />
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
              <NodeTable nodes={dag.nodes} />
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
        <RunHistory runs={runs} selected={selected} running={running} onSelect={setSelected} />
        <h2>Node durations over the last runs</h2>
        {dag && runs.length > 0
          ? <DurationChart runs={runs} nodeOrder={dag.nodes.map((n) => ({ id: n.id, name: n.name }))} />
          : <p className="muted">No runs yet.</p>}
        <h2>Selected run</h2>
        <RunDetailsView run={details} />
      </section>
    </main>
  );
}
