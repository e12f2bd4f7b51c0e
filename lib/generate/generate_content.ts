import { DATASET_PROFILE } from "./dataset_profile.ts";
import { Random } from "./random.ts";

/** A movie document of `content.json`, fields as in the original file. */
export interface Movie {
  content_id: string;
  title: string;
  genre: string[];
  duration_minutes: number;
  release_year: number;
  rating: number;
  views_count: number;
  production_budget: number;
}

/** A series document of `content.json`, fields as in the original file. */
export interface Series {
  content_id: string;
  title: string;
  genre: string[];
  seasons: number;
  episodes_per_season: number[];
  avg_episode_duration: number;
  rating: number;
  total_views: number;
  production_budget: number;
}

/** The clean content catalogue: the root object of `content.json`. */
export interface ContentCatalog {
  movies: Movie[];
  series: Series[];
}

/** Word lists in the style of the original titles ("Lost Kingdom", "Data Expert Chronicles", "The Analysts"). */
const MOVIE_GENRES = "Action Animation Comedy Documentary Drama Horror Romance Sci-Fi Thriller".split(" ");
const SERIES_GENRES = "Action Comedy Crime Documentary Drama Reality Romance Sci-Fi".split(" ");
const MOVIE_PREFIXES =
  ("A An The Advanced Binary Cyber Dark Digital Final First Hidden Infinite Last Lost Neural " +
    "Quantum Secret Smart Ultimate Virtual").split(" ");
const MOVIE_NOUNS =
  ("Adventure Algorithm Cloud Code Data Database Empire Journey Kingdom Matrix Mystery Network " +
    "Protocol Quest Signal Story Stream System Tale World").split(" ");
const SERIES_TOPICS = "Analytics Cloud Code Cyber Data Digital Intelligence Network System Tech".split(" ");
const SERIES_ROLES = "Analyst Detective Engineer Expert Investigator Master Scientist Specialist".split(" ");
const SERIES_SHELVES = "Archives Cases Chronicles Diaries Files Logs Records Reports Stories".split(" ");

/**
 * Generates the content catalogue: 200 movies `M001`.. and 100 series `S001`.., with the fields, value ranges
 * and title style of the original `content.json`. It does not depend on the scale.
 *
 * @example
 * ```ts
 * const { movies, series } = generateContent(42);
 * movies[0].content_id; // "M001"
 * ```
 */
export function generateContent(seed: number): ContentCatalog {
  const random = new Random(seed, "content");
  const movies: Movie[] = [];
  for (let i = 1; i <= DATASET_PROFILE.movies; i++) movies.push(generateMovie(random, i));
  const series: Series[] = [];
  for (let i = 1; i <= DATASET_PROFILE.series; i++) series.push(generateSeries(random, i));
  return { movies, series };
}

function generateMovie(random: Random, number: number): Movie {
  const prefix = random.chance(0.8) ? `${random.pick(MOVIE_PREFIXES)} ` : "";
  const sequel = random.chance(0.08) ? ` ${random.int(2, 5)}` : "";
  const views = random.chance(0.9) ? random.int(2_000, 150_000) : random.int(150_000, 300_000);
  return {
    content_id: `M${String(number).padStart(3, "0")}`,
    title: `${prefix}${random.pick(MOVIE_NOUNS)}${sequel}`,
    genre: distinctGenres(random, MOVIE_GENRES, random.pick([1, 2, 2, 3, 3])),
    duration_minutes: random.int(80, 180),
    release_year: random.int(2020, 2024),
    rating: random.int(10, 50) / 10,
    views_count: views,
    production_budget: Math.round(1_500_000 + 298_500_000 * random.next() ** 1.4),
  };
}

function generateSeries(random: Random, number: number): Series {
  const title = seriesTitle(random);
  const seasons = random.int(1, 8);
  const episodes: number[] = [];
  for (let s = 0; s < seasons; s++) episodes.push(random.int(6, 24));
  return {
    content_id: `S${String(number).padStart(3, "0")}`,
    title,
    genre: distinctGenres(random, SERIES_GENRES, random.int(1, 2)),
    seasons,
    episodes_per_season: episodes,
    avg_episode_duration: random.int(20, 60),
    rating: random.int(10, 50) / 10,
    total_views: random.int(11_000, 365_000),
    production_budget: Math.round(5_000_000 + 495_000_000 * random.next() ** 1.8),
  };
}

/** "The Analysts", "Data Logs" or "Data Expert Chronicles". */
function seriesTitle(random: Random): string {
  if (random.chance(0.3)) return `The ${random.pick(SERIES_ROLES)}s`;
  const topic = random.pick(SERIES_TOPICS);
  const role = random.chance(0.25) ? ` ${random.pick(SERIES_ROLES)}` : "";
  return `${topic}${role} ${random.pick(SERIES_SHELVES)}`;
}

/** `count` different genres in a random order. */
function distinctGenres(random: Random, genres: readonly string[], count: number): string[] {
  const chosen: string[] = [];
  while (chosen.length < count) {
    const genre = random.pick(genres);
    if (!chosen.includes(genre)) chosen.push(genre);
  }
  return chosen;
}
