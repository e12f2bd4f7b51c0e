import { dayNumber, isoDate } from "./_calendar.ts";
import { type Country, DATASET_PROFILE } from "./dataset_profile.ts";
import { cumulativeWeights, Random } from "./random.ts";

const COUNTRIES = Object.keys(DATASET_PROFILE.countries) as Country[];
const COUNTRY_WEIGHTS = cumulativeWeights(Object.values(DATASET_PROFILE.countries));
const PLANS = Object.keys(DATASET_PROFILE.plans) as (keyof typeof DATASET_PROFILE.plans)[];
const PLAN_WEIGHTS = cumulativeWeights(Object.values(DATASET_PROFILE.plans));
/** Premium users watch more: a factor on how many sessions a user gets. */
const PLAN_ACTIVITY = [0.85, 1, 1.2];

/**
 * The generated users, one typed array per column: the sessions generator looks users up by index, and
 * typed arrays keep 50,000 users (scale 10) in about 1 MB.
 *
 * @example
 * ```ts
 * const users = UserTable.generate(5000, 42);
 * users.id(0); // "U0001"
 * users.values(0); // ["U0001", "21", "Argentina", "Basic", "2022-10-02", "58.0"]
 * ```
 */
export class UserTable {
  /** Countries by the index stored in {@linkcode UserTable.country}. */
  static readonly COUNTRIES: readonly Country[] = COUNTRIES;
  /** Plans by the index stored in {@linkcode UserTable.plan}. */
  static readonly PLANS: readonly string[] = PLANS;

  /** Digits of the numeric part of an id: 4, or more when the count needs it. */
  readonly idWidth: number;
  readonly age: Uint8Array;
  readonly country: Uint8Array;
  readonly plan: Uint8Array;
  /** Days since 1970-01-01. */
  readonly registrationDay: Int32Array;
  /** `total_watch_time_hours` times ten, so that the written value has exactly one decimal. */
  readonly watchTenths: Uint32Array;
  /** Cumulative share of sessions per user, for {@linkcode Random.pickCumulative}; inactive users add zero. */
  readonly activity: Float64Array;

  private constructor(readonly count: number) {
    this.idWidth = Math.max(4, String(count).length);
    this.age = new Uint8Array(count);
    this.country = new Uint8Array(count);
    this.plan = new Uint8Array(count);
    this.registrationDay = new Int32Array(count);
    this.watchTenths = new Uint32Array(count);
    this.activity = new Float64Array(count);
  }

  /** Draws `count` users from the seed, with the shares of {@linkcode DATASET_PROFILE}. */
  static generate(count: number, seed: number): UserTable {
    const table = new UserTable(count);
    const random = new Random(seed, "users");
    const { ages, registration, inactiveUsers } = DATASET_PROFILE;
    const firstDay = dayNumber(registration.first);
    const lastDay = dayNumber(registration.last);
    let cumulative = 0;
    for (let i = 0; i < count; i++) {
      table.country[i] = random.pickCumulative(COUNTRY_WEIGHTS);
      table.age[i] = random.int(ages.min, ages.max);
      table.plan[i] = random.pickCumulative(PLAN_WEIGHTS);
      table.registrationDay[i] = random.int(firstDay, lastDay);
      const hours = watchHours(random);
      table.watchTenths[i] = Math.round(hours * 10);
      const inactive = random.chance(inactiveUsers);
      const weight = (0.3 + hours / 335) * random.float(0.4, 1.6) * PLAN_ACTIVITY[table.plan[i]];
      table.activity[i] = cumulative += inactive ? 0 : weight;
    }
    return table;
  }

  /** The id of the user at `index`: `U0001` for index 0. */
  id(index: number): string {
    return `U${String(index + 1).padStart(this.idWidth, "0")}`;
  }

  /** The CSV values of the user at `index`, in the canonical column order. */
  values(index: number): string[] {
    return [
      this.id(index),
      String(this.age[index]),
      COUNTRIES[this.country[index]],
      PLANS[this.plan[index]],
      isoDate(this.registrationDay[index]),
      (this.watchTenths[index] / 10).toFixed(1),
    ];
  }
}

/** Total watch hours like the original file: mostly 10..500, a tail up to 1,100. */
function watchHours(random: Random): number {
  const band = random.next();
  if (band < 0.82) return random.float(10, 500);
  if (band < 0.9) return random.float(500, 650);
  return random.float(650, 1100);
}
