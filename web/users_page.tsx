/// <reference lib="dom" />
import { formatCount, formatTime } from "../lib/format/mod.ts";
import { href, navigate, type Route } from "./router.ts";
import { useJson } from "./use_json.ts";
import { ErrorBanner, Kpi, Pager, SortHeader } from "./widgets.tsx";

interface UserRow {
  user_id: string;
  age: number | null;
  country: string | null;
  subscription_type: string | null;
  total_sessions: number;
  total_watch_hours: number;
  avg_completion: number | null;
  favorite_device: string | null;
  last_activity: string | null;
}

interface UserStats {
  total_users: number;
  avg_age: number;
  countries: number;
  avg_sessions: number;
  avg_watch_hours: number;
  top_countries: { country: string; count: number }[];
}

const COLUMNS: [keyof UserRow, string, boolean][] = [
  ["user_id", "User", false],
  ["age", "Age", true],
  ["country", "Country", false],
  ["subscription_type", "Plan", false],
  ["total_sessions", "Sessions", true],
  ["total_watch_hours", "Hours", true],
  ["avg_completion", "Completion %", true],
  ["favorite_device", "Favourite device", false],
  ["last_activity", "Last activity", false],
];

/**
 * The Users page: users joined with their `user_metrics`, searched by id, country or plan, sortable by any
 * column, paged (`#/users?search=&sortBy=&order=&page=`); user statistics and the top countries.
 */
export function UsersPage(props: { route: Route; version: string }) {
  const q = props.route.query;
  const state = {
    search: q.get("search") ?? "",
    sortBy: q.get("sortBy") ?? "user_id",
    order: q.get("order") === "desc" ? "desc" : "asc",
    page: q.get("page") ?? "1",
  };
  const go = (next: Partial<typeof state>) => navigate(href("users", [], { ...state, page: "1", ...next }));
  const params = new URLSearchParams({
    sortBy: state.sortBy,
    order: state.order.toUpperCase(),
    page: state.page,
    limit: "15",
    ...(state.search ? { search: state.search } : {}),
  });
  const users = useJson<{ data: UserRow[]; pagination: { page: number; pages: number; total: number } }>(
    `/api/users?${params}`,
    props.version,
  );
  const stats = useJson<{ stats: UserStats }>("/api/users/stats", props.version);
  const s = stats.data?.stats;
  const maxCountry = Math.max(1, ...(s?.top_countries ?? []).map((c) => c.count));
  return (
    <main>
      <header>
        <div>
          <h1>Users</h1>
          <p className="muted">Every loaded user with their metrics (user_metrics), from the warehouse.</p>
        </div>
      </header>
      <ErrorBanner error={users.error ?? stats.error} />
      <section className="kpis" data-user-stats>
        <Kpi id="total" label="Users" value={s ? formatCount(s.total_users) : "…"} />
        <Kpi id="age" label="Average age" value={s ? s.avg_age.toFixed(1) : "…"} />
        <Kpi id="countries" label="Countries" value={s ? formatCount(s.countries) : "…"} />
        <Kpi
          id="sessions"
          label="Sessions per user"
          value={s ? s.avg_sessions.toFixed(1) : "…"}
          note={s ? `${s.avg_watch_hours.toFixed(1)} h watched on average` : undefined}
        />
      </section>
      <div className="users-layout">
        <section className="card">
          <form
            className="controls"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              go({ search: String(new FormData(e.currentTarget).get("search") ?? "") });
            }}
          >
            <input
              name="search"
              type="search"
              placeholder="Search id, country or plan"
              defaultValue={state.search}
              key={state.search}
              aria-label="Search users"
            />
            <button type="submit">Search</button>
            {state.search ? <a href={href("users")}>clear</a> : null}
          </form>
          <div className="table-wrap">
            <table className="compact" data-users>
              <thead>
                <tr>
                  {COLUMNS.map(([column, label, numeric]) => (
                    <SortHeader
                      key={column}
                      column={column}
                      label={label}
                      numeric={numeric}
                      sort={state.sortBy}
                      order={state.order as "asc" | "desc"}
                      onSort={(c, o) => go({ sortBy: c, order: o })}
                    />
                  ))}
                </tr>
              </thead>
              <tbody>
                {(users.data?.data ?? []).map((u) => (
                  <tr key={u.user_id} data-user={u.user_id}>
                    <td>
                      <code>{u.user_id}</code>
                    </td>
                    <td className="num">{u.age ?? "–"}</td>
                    <td>{u.country ?? "–"}</td>
                    <td>{u.subscription_type ?? "–"}</td>
                    <td className="num">{formatCount(u.total_sessions)}</td>
                    <td className="num">{u.total_watch_hours.toFixed(1)}</td>
                    <td className="num">{u.avg_completion === null ? "–" : u.avg_completion.toFixed(1)}</td>
                    <td>{u.favorite_device ?? "–"}</td>
                    <td>{u.last_activity ? formatTime(u.last_activity).replace(" UTC", "") : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {users.data
            ? (
              <Pager
                page={users.data.pagination.page}
                pages={users.data.pagination.pages}
                total={users.data.pagination.total}
                unit="users"
                onPage={(p) => go({ page: String(p) })}
              />
            )
            : null}
        </section>
        <section className="card">
          <h2>Top countries</h2>
          <ul className="bars" data-top-countries>
            {(s?.top_countries ?? []).map((c) => (
              <li key={c.country}>
                <a href={href("users", [], { search: c.country })}>{c.country}</a>
                <span className="bar" style={{ width: `${(c.count / maxCountry) * 100}%` }} />
                <span className="num">{formatCount(c.count)}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </main>
  );
}
