/// <reference lib="dom" />
import { formatCount } from "../lib/format/mod.ts";
import { href, navigate, type Route } from "./router.ts";
import { useJson } from "./use_json.ts";
import { ErrorBanner, Kpi, Pager } from "./widgets.tsx";

type Doc = Record<string, unknown> & { content_id: string; title: string; type: string };

interface ContentPage {
  items: Doc[];
  page: number;
  pages: number;
  total: number;
}

interface CollectionSchema {
  database: string;
  collection: string;
  documentCount: number;
  indexes: { key: Record<string, number>; name: string; unique: boolean }[];
  fields: { name: string; types: string[]; documents: number }[];
  statistics: { documents: number; movies: number; series: number; avgRating: number | null };
}

interface ContentStats {
  byType: Record<string, unknown>[];
  byGenre: { genre: string; documents: number }[];
}

const SORTS = [
  ["title", "title"],
  ["rating", "rating"],
  ["release_year", "release year"],
  ["views", "views"],
  ["content_id", "id"],
] as const;

/** One document as JSON: `#/documents/<content_id>`. */
function DocumentView(props: { id: string; back: string }) {
  const doc = useJson<{ document: Doc }>(`/api/content/${encodeURIComponent(props.id)}`);
  return (
    <section className="card" data-document={props.id}>
      <p>
        <a href={props.back}>← Back to the documents</a>
      </p>
      <ErrorBanner error={doc.error} />
      {doc.data
        ? (
          <>
            <h2>{doc.data.document.title}</h2>
            <pre className="json" data-json>{JSON.stringify(doc.data.document, null, 2)}</pre>
          </>
        )
        : doc.error
        ? null
        : <p className="muted">Loading…</p>}
    </section>
  );
}

/**
 * The Documents page: the content collection as cards, filtered by type, genre and year, sorted, paged
 * (`#/documents?type=&genre=&year=&sort=&order=&page=`); its indexes, fields and statistics; one document's
 * JSON (`#/documents/<content_id>`).
 */
export function DocumentsPage(props: { route: Route; version: string }) {
  const q = props.route.query;
  const filters = {
    type: q.get("type") ?? "",
    genre: q.get("genre") ?? "",
    year: q.get("year") ?? "",
    sort: q.get("sort") ?? "title",
    order: q.get("order") === "desc" ? "desc" : "asc",
    page: q.get("page") ?? "1",
  };
  const here = href("documents", [], filters);
  const go = (next: Partial<typeof filters>) =>
    navigate(href("documents", [], { ...filters, page: "1", ...next }));
  const query = new URLSearchParams({ limit: "15" });
  for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
  const page = useJson<ContentPage>(`/api/content?${query}`, props.version);
  const schema = useJson<{ schema: CollectionSchema }>("/api/mongodb/schema", props.version);
  const stats = useJson<{ stats: ContentStats }>("/api/content/stats", props.version);
  const sc = schema.data?.schema;
  if (props.route.rest[0]) {
    return (
      <main>
        <DocumentView id={props.route.rest[0]} back={here} />
      </main>
    );
  }
  return (
    <main>
      <header>
        <div>
          <h1>Documents</h1>
          <p className="muted">
            {sc
              ? `Collection "${sc.collection}" in ${sc.database}: ${formatCount(sc.documentCount)} documents`
              : "Loading the collection…"}
          </p>
        </div>
      </header>
      <ErrorBanner error={page.error ?? schema.error} />
      {sc
        ? (
          <section className="kpis" data-doc-stats>
            <Kpi label="Documents" value={formatCount(sc.statistics.documents)} id="documents" />
            <Kpi label="Movies" value={formatCount(sc.statistics.movies)} id="movies" />
            <Kpi label="Series" value={formatCount(sc.statistics.series)} id="series" />
            <Kpi
              label="Average rating"
              value={sc.statistics.avgRating === null ? "–" : sc.statistics.avgRating.toFixed(2)}
              id="rating"
            />
          </section>
        )
        : null}
      <section className="controls" aria-label="Filters">
        <label>
          Type{" "}
          <select value={filters.type} onChange={(e) => go({ type: e.target.value })} data-filter="type">
            <option value="">all</option>
            <option value="movie">movies</option>
            <option value="series">series</option>
          </select>
        </label>
        <label>
          Genre{" "}
          <select value={filters.genre} onChange={(e) => go({ genre: e.target.value })} data-filter="genre">
            <option value="">all</option>
            {(stats.data?.stats.byGenre ?? []).map((g) => (
              <option key={g.genre} value={g.genre}>{`${g.genre} (${g.documents})`}</option>
            ))}
          </select>
        </label>
        <label>
          Year{" "}
          <input
            type="number"
            min={1900}
            max={2100}
            placeholder="any"
            defaultValue={filters.year}
            key={filters.year}
            data-filter="year"
            onKeyDown={(e) => {
              if (e.key === "Enter") go({ year: e.currentTarget.value });
            }}
            onBlur={(e) => e.currentTarget.value !== filters.year && go({ year: e.currentTarget.value })}
          />
        </label>
        <label>
          Sort{" "}
          <select value={filters.sort} onChange={(e) => go({ sort: e.target.value })} data-filter="sort">
            {SORTS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => go({ order: filters.order === "asc" ? "desc" : "asc" })}>
          {filters.order === "asc" ? "▲ ascending" : "▼ descending"}
        </button>
      </section>
      <section className="cards" data-cards>
        {(page.data?.items ?? []).map((d) => (
          <a
            key={d.content_id}
            className="doc-card"
            href={href("documents", [d.content_id])}
            data-card={d.content_id}
          >
            <span className="doc-head">
              <span className={`badge type-${d.type}`}>{d.type}</span>
              <code>{d.content_id}</code>
            </span>
            <strong>{d.title}</strong>
            <span className="muted">
              {[
                d.release_year,
                typeof d.seasons === "number" ? `${d.seasons} season${d.seasons === 1 ? "" : "s"}` : null,
                Array.isArray(d.genre) ? d.genre.join(", ") : null,
              ].filter(Boolean).join(" · ")}
            </span>
            <span className="doc-meta">
              <span>★ {typeof d.rating === "number" ? d.rating.toFixed(1) : "–"}</span>
              <span>
                {typeof d.views === "number" ? `${formatCount(d.views)} views` : ""}
              </span>
            </span>
          </a>
        ))}
        {page.data && page.data.items.length === 0 ? <p className="muted">No document matches.</p> : null}
      </section>
      {page.data
        ? (
          <Pager
            page={page.data.page}
            pages={page.data.pages}
            total={page.data.total}
            unit="documents"
            onPage={(p) => go({ page: String(p) })}
          />
        )
        : null}
      {sc
        ? (
          <div className="two-col">
            <section className="card">
              <h2>Indexes</h2>
              <table className="compact" data-indexes>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Key</th>
                    <th>Unique</th>
                  </tr>
                </thead>
                <tbody>
                  {sc.indexes.map((i) => (
                    <tr key={i.name}>
                      <td>
                        <code>{i.name}</code>
                      </td>
                      <td>
                        <code>{JSON.stringify(i.key)}</code>
                      </td>
                      <td>{i.unique ? "yes" : "no"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card">
              <h2>Fields</h2>
              <table className="compact" data-fields>
                <thead>
                  <tr>
                    <th>Field</th>
                    <th>Types</th>
                    <th className="num">In documents</th>
                  </tr>
                </thead>
                <tbody>
                  {sc.fields.map((f) => (
                    <tr key={f.name}>
                      <td>
                        <code>{f.name}</code>
                      </td>
                      <td>{f.types.join(", ")}</td>
                      <td className="num">{formatCount(f.documents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        )
        : null}
    </main>
  );
}
