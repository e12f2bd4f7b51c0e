/// <reference lib="dom" />
import { formatCount } from "../lib/format/mod.ts";
import { href } from "./router.ts";
import { useJson } from "./use_json.ts";
import { useWidth } from "./use_width.ts";
import { ErrorBanner, Kpi } from "./widgets.tsx";

interface Analytics {
  totalUsers: number;
  totalSessions: number;
  avgWatchTimeMinutes: number;
  completionRate: number;
  deviceDistribution: { label: string; value: number }[];
  subscriptionTypes: { label: string; value: number }[];
}

interface Charts {
  width: number;
  charts: { id: string; section: string; html: string }[];
  missing: string | null;
}

/**
 * KPIs and the device and geography charts of notebook 03. The charts are drawn on the server by the same
 * `lib/charts` functions as the notebook and the report, at the width of the column they go in (measured
 * here, so they fit a phone as well as a projector); they are fetched again when a run ends.
 */
export function AnalyticsPage(props: { version: string }) {
  const analytics = useJson<{ analytics: Analytics }>("/api/analytics", props.version);
  const [ref, width] = useWidth<HTMLDivElement>();
  // Two columns of charts on a wide screen, one on a narrow one.
  const columns = width >= 1000 ? 2 : 1;
  const chartWidth = Math.max(240, Math.min(1100, Math.floor((width - (columns - 1) * 16) / columns) - 32));
  const charts = useJson<Charts>(
    width > 0 ? `/api/analytics/charts?width=${chartWidth}` : null,
    props.version,
  );
  const a = analytics.data?.analytics;
  return (
    <main>
      <header>
        <div>
          <h1>Analytics</h1>
          <p className="muted">
            Who watches, on which device and where: from the warehouse's statistics tables, the same charts as
            notebook 03.
          </p>
        </div>
      </header>
      <ErrorBanner error={analytics.error ?? charts.error} />
      <section className="kpis" data-kpis>
        <Kpi id="users" label="Users" value={a ? formatCount(a.totalUsers) : "…"} />
        <Kpi id="sessions" label="Viewing sessions" value={a ? formatCount(a.totalSessions) : "…"} />
        <Kpi
          id="watch"
          label="Average watch time"
          value={a ? `${a.avgWatchTimeMinutes.toFixed(1)} min` : "…"}
          note="per session"
        />
        <Kpi
          id="completion"
          label="Completion rate"
          value={a ? `${a.completionRate.toFixed(1)} %` : "…"}
          note="average share of a title watched"
        />
      </section>
      <div
        ref={ref}
        className="chart-grid"
        style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
      >
        {charts.data?.missing
          ? (
            <p className="muted" data-charts-missing>
              {charts.data.missing} <a href={href("pipeline")}>Go to the Pipeline page</a>.
            </p>
          )
          : null}
        {(charts.data?.charts ?? []).map((c) => (
          <section key={c.id} className="card plot" data-chart={c.id}>
            <h4>{c.section}</h4>
            <div dangerouslySetInnerHTML={{ __html: c.html }} />
          </section>
        ))}
        {charts.loading && !charts.data ? <p className="muted">Drawing the charts…</p> : null}
      </div>
    </main>
  );
}
