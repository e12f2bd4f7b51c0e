/// <reference lib="dom" />
// @ts-types="@types/react"
import { useEffect, useState } from "react";
import { AnalyticsPage } from "./analytics_page.tsx";
import { App, initialToken } from "./app.tsx";
import { DocumentsPage } from "./documents_page.tsx";
import { RejectsPage } from "./rejects_page.tsx";
import { href, PAGES, useRoute } from "./router.ts";
import { useETL } from "./use_etl.ts";
import { UsersPage } from "./users_page.tsx";
import { WarehousePage } from "./warehouse_page.tsx";

/** Whether the page is in presenter mode (larger text for a projector), kept in this browser. */
function usePresenter(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => localStorage.getItem("workbenchPresenter") === "on");
  useEffect(() => {
    document.documentElement.classList.toggle("presenter", on);
    localStorage.setItem("workbenchPresenter", on ? "on" : "off");
  }, [on]);
  return [on, setOn];
}

/**
 * The dashboard: a nav bar and one page per route (`#/pipeline`, `#/analytics`, ...). One `useETL` follows
 * the run for every page, so the data pages reload when a run ends.
 */
export function Shell() {
  const route = useRoute();
  const [token, setToken] = useState(initialToken);
  // `?stream=off` follows the run by polling alone, as when a proxy cuts the event stream.
  const [stream] = useState(() => new URLSearchParams(location.search).get("stream") !== "off");
  const etl = useETL({ token, stream });
  const [presenter, setPresenter] = usePresenter();
  // Changes when a run ends (or a new one is shown): the data pages fetch again then.
  const runEnded = etl.dag && etl.dag.status !== "running" ? `${etl.dag.runId}:${etl.dag.status}` : "";
  const [dataVersion, setDataVersion] = useState(runEnded);
  useEffect(() => {
    if (runEnded) setDataVersion(runEnded);
  }, [runEnded]);

  const title = PAGES.find((p) => p.id === route.page)!.title;
  useEffect(() => {
    document.title = `${title} · Streaming ETL workbench`;
  }, [title]);

  return (
    <>
      <nav className="topnav" aria-label="Pages">
        <a className="brand" href={href("pipeline")}>ETL workbench</a>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a
                href={href(p.id)}
                data-nav={p.id}
                aria-current={p.id === route.page ? "page" : undefined}
              >
                {p.title}
              </a>
            </li>
          ))}
        </ul>
        <label className="presenter-toggle" title="Larger text, for a projector">
          <input
            type="checkbox"
            checked={presenter}
            onChange={(e) => setPresenter(e.target.checked)}
          />{" "}
          presenter
        </label>
      </nav>
      <div data-page={route.page}>
        {route.page === "pipeline"
          ? <App etl={etl} setToken={setToken} />
          : route.page === "analytics"
          ? <AnalyticsPage version={dataVersion} />
          : route.page === "warehouse"
          ? <WarehousePage route={route} version={dataVersion} />
          : route.page === "documents"
          ? <DocumentsPage route={route} version={dataVersion} />
          : route.page === "users"
          ? <UsersPage route={route} version={dataVersion} />
          : <RejectsPage route={route} version={dataVersion} latestRunId={etl.dag?.runId ?? null} />}
      </div>
    </>
  );
}
