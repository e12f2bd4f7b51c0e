/**
 * The shape of the generated dataset: sizes, shares and ranges, taken from the original files
 * (`users.csv`, `content.json`) and the facts known about the original `viewing_sessions.csv`.
 *
 * Shares need not sum to 1: they are weights. Tests compare generated data against these numbers.
 */
export const DATASET_PROFILE = {
  /** Rows at scale 1. */
  users: 5_000,
  /** Rows at scale 1: the size of the original sessions file. */
  sessions: 222_785,
  /** Documents in `content.json`, whatever the scale. */
  movies: 200,
  series: 100,

  countries: { Mexico: 0.303, Colombia: 0.238, Argentina: 0.213, Chile: 0.151, Peru: 0.095 },
  plans: { Basic: 0.401, Standard: 0.357, Premium: 0.242 },
  ages: { min: 18, max: 65 },
  registration: { first: "2022-01-01", last: "2024-03-01" },
  /** Share of users who watch nothing in the window: they have no session at all. */
  inactiveUsers: 0.04,

  watchWindow: { first: "2024-01-01", last: "2024-08-31" },
  devices: { "Smart TV": 0.358, Mobile: 0.314, Desktop: 0.141, Tablet: 0.14, "Gaming Console": 0.047 },
  /** Targets of the original file; the generator gets close to them, tests allow a tolerance. */
  meanDurationMinutes: 78.9,
  meanCompletion: 78.4,
  medianCompletion: 84.5,
} as const;

/** A country of the generated users. */
export type Country = keyof typeof DATASET_PROFILE.countries;
/** A device the clean generator writes (never `Laptop` or `Other`: those come only from messy aliases). */
export type GeneratedDevice = keyof typeof DATASET_PROFILE.devices;
