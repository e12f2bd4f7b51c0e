import { dayNumber, isoDate, weekday } from "./_calendar.ts";
import { DATASET_PROFILE, type GeneratedDevice } from "./dataset_profile.ts";
import type { ContentCatalog } from "./generate_content.ts";
import { cumulativeWeights, Random } from "./random.ts";
import { UserTable } from "./user_table.ts";

const DEVICES = Object.keys(DATASET_PROFILE.devices) as GeneratedDevice[];
const QUALITIES = ["4K", "HD", "SD"];

/** Device tilts per country (Smart TV, Mobile, Desktop, Tablet, Gaming Console), so charts by country differ. */
const COUNTRY_DEVICE_TILT: Record<string, number[]> = {
  Mexico: [1.05, 1.0, 0.9, 1.0, 1.1],
  Colombia: [0.95, 1.1, 0.95, 0.95, 0.9],
  Argentina: [1.05, 0.9, 1.12, 1.0, 1.05],
  Chile: [1.0, 0.95, 1.05, 1.12, 1.0],
  Peru: [0.85, 1.22, 0.95, 1.0, 0.85],
};
/** Device tilts per month, January to August: more TV in the first months, more mobile in the summer. */
const MONTH_DEVICE_TILT = [
  [1.08, 0.92, 1.0, 1.0, 1.15],
  [1.05, 0.95, 1.0, 1.0, 1.05],
  [1.0, 1.0, 1.02, 1.0, 1.0],
  [1.0, 1.0, 1.02, 1.0, 0.95],
  [0.98, 1.02, 1.0, 1.0, 0.95],
  [0.95, 1.06, 0.98, 1.02, 0.95],
  [0.93, 1.08, 0.96, 1.04, 1.0],
  [0.95, 1.06, 0.98, 1.02, 1.05],
];
/** Sessions per day by month, January to August, and by weekday (Sunday first). */
const MONTH_VOLUME = [0.92, 0.9, 0.97, 1.0, 1.0, 1.06, 1.1, 1.05];
const WEEKDAY_VOLUME = [1.25, 0.95, 0.95, 0.95, 1.0, 1.1, 1.25];
/** Quality weights (4K, HD, SD) per plan (Basic, Standard, Premium), and the 4K factor per device. */
const PLAN_QUALITY = [[0.04, 0.46, 0.5], [0.14, 0.66, 0.2], [0.52, 0.4, 0.08]];
const DEVICE_4K = [1.3, 0.45, 1.0, 0.7, 1.25];
/**
 * Kumaraswamy(a, b) shape of the completion share: mean 0.784 and median 0.845, like the original file,
 * with one closed-form draw per session.
 */
const COMPLETION_A = 2.62;
const COMPLETION_B = 0.672;
/** Episodes watched in one series session: 1, 2 or 3, tuned so that the mean duration is about 78.9 min. */
const EPISODE_WEIGHTS = cumulativeWeights([0.48, 0.33, 0.19]);

/** Options of {@linkcode SessionSampler}. */
export interface SessionSamplerOptions {
  /**
   * Sessions that will be drawn: session ids get 7 digits, or more when this needs it.
   * @default 222785
   */
  sessions?: number;
}

/**
 * Draws viewing sessions one at a time, in bounded memory: users by their activity, content by its
 * popularity, dates after the user's registration, device by country and month, quality by plan and device,
 * and a duration consistent with the content's length and the completion.
 *
 * @example
 * ```ts
 * import { generateContent, SessionSampler, UserTable } from "./mod.ts";
 *
 * const sampler = new SessionSampler(UserTable.generate(100, 42), generateContent(42), 42);
 * sampler.draw(0); // ["SS0000001", "U0063", "S094", "2024-07-26", "69.2", "62.3", "Mobile", "HD"]
 * ```
 */
export class SessionSampler {
  readonly #users: UserTable;
  readonly #random: Random;
  readonly #idWidth: number;
  readonly #firstDay: number;
  readonly #dates: string[];
  readonly #monthOfDay: number[];
  readonly #dayWeights: Float64Array;
  readonly #contentIds: string[] = [];
  readonly #contentMinutes: number[] = [];
  /** For a series, its episode length; 0 for a movie. */
  readonly #episodeMinutes: number[] = [];
  readonly #popularity: Float64Array;
  /** Cumulative device weights per country and month: index `country * 8 + month`. */
  readonly #deviceTables: Float64Array[];
  /** Cumulative quality weights per plan and device: index `plan * 5 + device`. */
  readonly #qualityTables: Float64Array[];

  constructor(users: UserTable, content: ContentCatalog, seed: number, options: SessionSamplerOptions = {}) {
    const { sessions = DATASET_PROFILE.sessions } = options;
    this.#users = users;
    this.#random = new Random(seed, "sessions");
    this.#idWidth = Math.max(7, String(sessions).length);
    const window = watchWindow();
    this.#firstDay = window.firstDay;
    this.#dates = window.dates;
    this.#monthOfDay = window.months;
    this.#dayWeights = cumulativeWeights(window.weights);
    const views: number[] = [];
    for (const movie of content.movies) {
      this.#contentIds.push(movie.content_id);
      this.#contentMinutes.push(movie.duration_minutes);
      this.#episodeMinutes.push(0);
      views.push(movie.views_count);
    }
    for (const series of content.series) {
      this.#contentIds.push(series.content_id);
      this.#contentMinutes.push(0);
      this.#episodeMinutes.push(series.avg_episode_duration);
      views.push(series.total_views);
    }
    this.#popularity = cumulativeWeights(views);
    this.#deviceTables = deviceTables(monthShares(window.weights, window.months));
    this.#qualityTables = PLAN_QUALITY.flatMap(([k4, hd, sd]) =>
      DEVICE_4K.map((factor) => cumulativeWeights([k4 * factor, hd, sd / factor ** 0.5]))
    );
  }

  /** Draws the next session, whose id is built from `index` (0 gives `SS0000001`), as CSV values. */
  draw(index: number): string[] {
    const random = this.#random;
    const users = this.#users;
    const user = random.pickCumulative(users.activity);
    const fromDay = Math.max(0, users.registrationDay[user] - this.#firstDay);
    const day = random.pickCumulative(this.#dayWeights, fromDay);
    const content = random.pickCumulative(this.#popularity);
    const episode = this.#episodeMinutes[content];
    const minutes = episode === 0
      ? this.#contentMinutes[content]
      : episode * (1 + random.pickCumulative(EPISODE_WEIGHTS));
    const share = (1 - (1 - random.next()) ** (1 / COMPLETION_B)) ** (1 / COMPLETION_A);
    const device = random.pickCumulative(this.#deviceTables[users.country[user] * 8 + this.#monthOfDay[day]]);
    const quality = random.pickCumulative(this.#qualityTables[users.plan[user] * 5 + device]);
    return [
      `SS${String(index + 1).padStart(this.#idWidth, "0")}`,
      users.id(user),
      this.#contentIds[content],
      this.#dates[day],
      (minutes * share).toFixed(1),
      (share * 100).toFixed(1),
      DEVICES[device],
      QUALITIES[quality],
    ];
  }
}

/** The days a session can fall on, with their month (0 = January) and relative session volume. */
function watchWindow(): { firstDay: number; dates: string[]; months: number[]; weights: number[] } {
  const firstDay = dayNumber(DATASET_PROFILE.watchWindow.first);
  const lastDay = dayNumber(DATASET_PROFILE.watchWindow.last);
  const dates: string[] = [];
  const months: number[] = [];
  const weights: number[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const date = isoDate(day);
    const month = Number(date.slice(5, 7)) - 1;
    dates.push(date);
    months.push(month);
    weights.push(MONTH_VOLUME[month] * WEEKDAY_VOLUME[weekday(day)]);
  }
  return { firstDay, dates, months, weights };
}

/** Cumulative device weights for each country and month, in the order `country * 8 + month`. */
function deviceTables(months: number[]): Float64Array[] {
  const base = fitDeviceBase(months);
  return UserTable.COUNTRIES.flatMap((country) =>
    MONTH_DEVICE_TILT.map((monthTilt) =>
      cumulativeWeights(base.map((weight, d) => weight * COUNTRY_DEVICE_TILT[country][d] * monthTilt[d]))
    )
  );
}

/** Share of sessions per month implied by the day weights. */
function monthShares(dayWeights: number[], monthOfDay: number[]): number[] {
  const shares = new Array(MONTH_VOLUME.length).fill(0);
  const total = dayWeights.reduce((sum, weight) => sum + weight, 0);
  dayWeights.forEach((weight, day) => shares[monthOfDay[day]] += weight / total);
  return shares;
}

/**
 * Base device weights such that, once tilted by country and month and averaged over the population, the
 * overall device shares match {@linkcode DATASET_PROFILE}: a few rounds of proportional fitting.
 */
function fitDeviceBase(months: number[]): number[] {
  const target: number[] = Object.values(DATASET_PROFILE.devices);
  const countries = Object.values(DATASET_PROFILE.countries);
  const countryTotal = countries.reduce((sum, share) => sum + share, 0);
  const base = [...target];
  for (let round = 0; round < 30; round++) {
    const achieved = new Array(base.length).fill(0);
    UserTable.COUNTRIES.forEach((country, c) => {
      MONTH_DEVICE_TILT.forEach((monthTilt, m) => {
        const tilted = base.map((weight, d) => weight * COUNTRY_DEVICE_TILT[country][d] * monthTilt[d]);
        const sum = tilted.reduce((a, b) => a + b, 0);
        tilted.forEach((weight, d) =>
          achieved[d] += (countries[c] / countryTotal) * months[m] * weight / sum
        );
      });
    });
    base.forEach((weight, d) => base[d] = weight * target[d] / achieved[d]);
  }
  return base;
}
