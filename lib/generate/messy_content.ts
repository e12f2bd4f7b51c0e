import type { ContentCatalog, Movie, Series } from "./generate_content.ts";
import type { ContentFileManifest } from "./manifest.ts";
import type { Random } from "./random.ts";

/** The documents of a messy `content.json`, what a correct loader makes of them, and the defects, per kind. */
export interface MessyContent {
  root: { movies: unknown[]; series: unknown[] };
  manifest: ContentFileManifest;
  defects: Record<string, number>;
}

/**
 * Adds the content defects to a clean catalogue (which is not changed): one genre given as a single string
 * (loaded), a movie repeated at the end with other views (the earlier copy is a duplicate), and extra
 * documents that are rejected: no title (`missing_field`), an empty genre list (`bad_genre`), ratings out of
 * 0..5 or not a number (`bad_rating`). The rejected documents have new ids that no session uses, so the
 * loaded catalogue is the clean one.
 */
export function messUpContent(catalog: ContentCatalog, random: Random): MessyContent {
  const movies: unknown[] = catalog.movies.map((movie) => ({ ...movie }));
  const series: unknown[] = catalog.series.map((show) => ({ ...show }));
  const singleGenre = random.int(0, catalog.movies.length - 1);
  let repeated = random.int(0, catalog.movies.length - 1);
  if (repeated === singleGenre) repeated = (repeated + 1) % catalog.movies.length;

  const single = movies[singleGenre] as Movie;
  movies[singleGenre] = { ...single, genre: single.genre[0] };
  const template = catalog.movies[repeated];
  const nextMovie = (offset: number) => `M${String(catalog.movies.length + offset).padStart(3, "0")}`;
  const { title: _, ...untitled } = { ...template, content_id: nextMovie(1) };
  movies.push(
    untitled,
    { ...template, content_id: nextMovie(2), genre: [] },
    { ...template, content_id: nextMovie(3), rating: 7.5 },
    { ...template, views_count: template.views_count + random.int(1, 5_000) },
  );
  const badSeries: Series = {
    ...catalog.series[0],
    content_id: `S${String(catalog.series.length + 1).padStart(3, "0")}`,
  };
  series.push({ ...badSeries, rating: "excellent" });

  return {
    root: { movies, series },
    manifest: {
      documents: movies.length + series.length,
      loaded: catalog.movies.length + catalog.series.length,
      duplicates: 1,
      rejected: { missing_field: 1, bad_genre: 1, bad_rating: 2 },
      reject_ids: {
        missing_field: [nextMovie(1)],
        bad_genre: [nextMovie(2)],
        bad_rating: [nextMovie(3), badSeries.content_id],
      },
      duplicate_ids: [template.content_id],
    },
    defects: {
      missing_titles: 1,
      empty_genres: 1,
      bad_ratings: 2,
      genre_strings: 1,
      duplicate_content_ids: 1,
    },
  };
}
