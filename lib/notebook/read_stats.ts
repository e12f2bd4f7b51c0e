import type {
  ContentTypeRow,
  CountryDeviceRow,
  CountryGenreRow,
  CountryMinutesRow,
  CountryTopContentRow,
  DeviceQualityRow,
  FavoriteDeviceRow,
  GenreRow,
  MonthDeviceRow,
  RatingBudgetRow,
  RejectReasonRow,
  ReleaseYearRow,
} from "../charts/mod.ts";
import type { DocStore } from "../docstore/mod.ts";
import { CONTENT_COLLECTION, WarehouseRunStore } from "../pipelines/mod.ts";
import type { Warehouse } from "../warehouse/mod.ts";

/** Device usage rows: what `stats_device_usage` holds. */
export interface DeviceUsageRow {
  device_type: string;
  sessions: number;
  minutes: number;
  share_sessions: number;
  share_minutes: number;
  avg_completion: number | null;
}

/** The device usage tables and queries the device charts draw. */
export interface DeviceStats {
  usage: DeviceUsageRow[];
  byCountry: CountryDeviceRow[];
  byMonth: MonthDeviceRow[];
  quality: DeviceQualityRow[];
  favorites: FavoriteDeviceRow[];
}

/** The geography tables the country charts draw. */
export interface GeographyStats {
  minutes: CountryMinutesRow[];
  genres: CountryGenreRow[];
  topContent: CountryTopContentRow[];
}

/** The content tables and documents the content charts draw. */
export interface ContentStats {
  types: ContentTypeRow[];
  genres: GenreRow[];
  documents: (RatingBudgetRow & ReleaseYearRow & { content_id: string; title: string })[];
}

/** Numbers as numbers whatever the driver returns for DECIMAL or BIGINT columns; NULL stays null. */
function numeric<T>(rows: Record<string, unknown>[], columns: readonly string[]): T[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const c of columns) out[c] = row[c] === null || row[c] === undefined ? null : Number(row[c]);
    return out as T;
  });
}

/** Reads the device statistics (after `generate_stats` and `create_aggregations`). */
export async function readDeviceStats(wh: Warehouse): Promise<DeviceStats> {
  const q = (sql: string) => wh.query<Record<string, unknown>>(sql);
  const [usage, byCountry, byMonth, quality, favorites] = await Promise.all([
    q("SELECT * FROM stats_device_usage ORDER BY sessions DESC, device_type"),
    q("SELECT * FROM stats_country_device ORDER BY country, device_type"),
    q("SELECT * FROM stats_month_device ORDER BY month, device_type"),
    q(`SELECT device_type, quality_level, COUNT(*) AS sessions FROM viewing_sessions
       GROUP BY device_type, quality_level ORDER BY device_type, quality_level`),
    q(`SELECT favorite_device, COUNT(*) AS users FROM user_metrics
       GROUP BY favorite_device ORDER BY users DESC, favorite_device`),
  ]);
  return {
    usage: numeric(usage, ["sessions", "minutes", "share_sessions", "share_minutes", "avg_completion"]),
    byCountry: numeric(byCountry, ["sessions", "minutes", "share_sessions"]),
    byMonth: numeric(byMonth, ["sessions", "minutes", "share_sessions"]),
    quality: numeric(quality, ["sessions"]),
    favorites: numeric(favorites, ["users"]),
  };
}

/** Reads the geography statistics (after `generate_stats` and `cross_store_stats`). */
export async function readGeographyStats(wh: Warehouse): Promise<GeographyStats> {
  const q = (sql: string) => wh.query<Record<string, unknown>>(sql);
  const [minutes, genres, topContent] = await Promise.all([
    q("SELECT * FROM stats_country_minutes ORDER BY minutes DESC, country"),
    q("SELECT * FROM stats_country_genre ORDER BY country, genre"),
    q("SELECT * FROM stats_country_top_content ORDER BY country, place"),
  ]);
  return {
    minutes: numeric(minutes, ["users", "active_users", "sessions", "minutes", "minutes_per_active_user"]),
    genres: numeric(genres, ["sessions", "minutes", "share_sessions", "share_minutes"]),
    topContent: numeric(topContent, ["place", "sessions", "minutes"]),
  };
}

/** Reads the content statistics (after `content_stats`) and the fields of each content document. */
export async function readContentStats(wh: Warehouse, docstore: DocStore): Promise<ContentStats> {
  const [types, genres, docs] = await Promise.all([
    wh.query<Record<string, unknown>>("SELECT * FROM content_type_stats ORDER BY type"),
    wh.query<Record<string, unknown>>("SELECT * FROM content_genre_stats ORDER BY documents DESC, genre"),
    docstore.collection(CONTENT_COLLECTION).find({}, {
      sort: { content_id: 1 },
      projection: {
        _id: 0,
        content_id: 1,
        title: 1,
        type: 1,
        rating: 1,
        production_budget: 1,
        release_year: 1,
      },
    }),
  ]);
  return {
    types: numeric(types, ["documents", "avg_rating", "avg_budget", "total_budget", "total_views"]),
    genres: numeric(genres, ["documents", "movies", "series", "avg_rating"]),
    documents: docs.map((d) => ({
      content_id: String(d.content_id),
      title: String(d.title),
      type: String(d.type),
      rating: Number(d.rating),
      production_budget: typeof d.production_budget === "number" ? d.production_budget : null,
      release_year: typeof d.release_year === "number" ? d.release_year : null,
    })),
  };
}

/**
 * Rejected rows per file and reason in one run, of every file or of the files given, by file and reason;
 * read through the run store (given, or opened on the warehouse).
 */
export async function readRejectReasons(
  store: WarehouseRunStore | Warehouse,
  runId: string,
  files?: readonly string[],
): Promise<RejectReasonRow[]> {
  const runStore = store instanceof WarehouseRunStore ? store : await WarehouseRunStore.open(store);
  const counts = await runStore.rejectCounts(runId, files);
  return counts
    .map((r) => ({ file: r.file, reason: r.reason, rows: r.count }))
    .sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0
    );
}
