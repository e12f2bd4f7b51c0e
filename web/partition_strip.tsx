/// <reference lib="dom" />
// @ts-types="@types/react"
import { useEffect, useState } from "react";
import { callApi } from "./api.ts";
import type { PartitionsAnswer, PartitionView } from "../lib/server/partitions_query.ts";

const STATES: { state: PartitionView["state"]; label: string }[] = [
  { state: "new", label: "new in the last load" },
  { state: "changed", label: "changed (replaced)" },
  { state: "reloaded", label: "reloaded (backfill)" },
  { state: "skipped", label: "unchanged, skipped" },
];

const STYLE = `
.partition-strip { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 2px; margin: 0.5rem 0; }
.partition-day { width: 12px; height: 22px; border-radius: 2px; border: 0; padding: 0; cursor: default; }
.partition-day.state-new, .partition-swatch.state-new { background: #2e7d32; }
.partition-day.state-changed, .partition-swatch.state-changed { background: #ef6c00; }
.partition-day.state-reloaded, .partition-swatch.state-reloaded { background: #1565c0; }
.partition-day.state-skipped, .partition-swatch.state-skipped { background: #b0bec5; }
.partition-day.has-rejects { box-shadow: inset 0 -4px 0 #c62828; }
.partition-day.month-start { margin-left: 6px; }
.partition-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; margin: 0; }
.partition-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.partition-focus { min-height: 1.4em; }
`;

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The session partitions (one file per day) as a strip of days coloured by their state in the latest load,
 * each as tall as its rows,
 * from `GET /api/etl/partitions`; hovering or focusing a day shows its rows. Reloads when `refreshKey` changes
 * (a run started or ended).
 */
export function PartitionStrip({ refreshKey }: { refreshKey: string | null }) {
  const [answer, setAnswer] = useState<PartitionsAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [focus, setFocus] = useState<PartitionView | null>(null);
  useEffect(() => {
    callApi<PartitionsAnswer>("", "/api/etl/partitions").then(
      (res) => {
        setAnswer(res);
        setError(null);
      },
      (e) => setError((e as Error).message),
    );
  }, [refreshKey]);
  if (error) return <div className="banner error">{error}</div>;
  if (!answer) return <p className="muted">Loading the partitions...</p>;
  if (!answer.partitioned) {
    return (
      <p className="muted" data-partitions="none">
        The sessions come as one file (viewing_sessions.csv), not as daily partitions.
      </p>
    );
  }
  const { partitions, latest } = answer;
  const rows = partitions.reduce((n, p) => n + p.rowsLoaded, 0);
  const files = latest?.files ?? {};
  // A day's height follows its rows, so an emptied or a busy day shows at a glance.
  const most = Math.max(1, ...partitions.map((p) => p.rowsLoaded));
  return (
    <div data-partitions={partitions.length}>
      <style>{STYLE}</style>
      <p>
        {partitions.length} daily files, {count(rows)} sessions loaded. Last load ({latest?.refresh}):{" "}
        <strong>{files.new ?? 0} new</strong>, <strong>{files.changed ?? 0} changed</strong>,{" "}
        {files.unchanged ?? 0} skipped{files.removed ? `, ${files.removed} removed` : ""}.
      </p>
      <div className="partition-strip" role="list" aria-label="Session partitions by day">
        {partitions.map((p, i) => (
          <button
            type="button"
            role="listitem"
            key={p.file}
            className={`partition-day state-${p.state}${p.rowsRejected ? " has-rejects" : ""}${
              i > 0 && p.name.slice(0, 7) !== partitions[i - 1].name.slice(0, 7) ? " month-start" : ""
            }`}
            title={`${p.name}: ${count(p.rowsLoaded)} loaded, ${count(p.rowsRejected)} rejected, ${
              count(p.rowsReplaced)
            } replaced (${p.state})`}
            aria-label={`${p.name}, ${p.state}, ${p.rowsLoaded} rows`}
            data-state={p.state}
            style={{ height: `${6 + Math.round((16 * p.rowsLoaded) / most)}px` }}
            onMouseEnter={() => setFocus(p)}
            onFocus={() => setFocus(p)}
          />
        ))}
      </div>
      <p className="partition-focus muted" data-partition-focus>
        {focus
          ? `${focus.name}: ${count(focus.rowsRead)} read = ${count(focus.rowsLoaded)} loaded + ${
            count(focus.rowsRejected)
          } rejected + ${count(focus.rowsReplaced)} replaced; loaded ${focus.loadedAt}`
          : "Point at a day to see its rows."}
      </p>
      <ul className="partition-legend">
        {STATES.map(({ state, label }) => (
          <li key={state}>
            <span className={`partition-swatch state-${state}`} />
            {label}
          </li>
        ))}
        <li>
          <span className="partition-swatch" style={{ background: "#c62828" }} />
          has rejected rows (bottom edge)
        </li>
      </ul>
    </div>
  );
}
