/**
 * Defect kinds of `--messy` data and their rates: the share of clean rows that get the defect. Each kind
 * gets `max(1, round(rate * rows))` rows, so every kind appears even in a small dataset, and every defect
 * sits on a row of its own, so that outcomes never interact. Expected outcomes (data contract):
 *
 * users.csv (rates of the 5,000 users at scale 1)
 * | kind | rate | example | outcome |
 * |---|---|---|---|
 * | junk_numbers | 0.5 % | `58.0 h`, ` 42 `, `"1,093.1"` | loaded |
 * | text_variants | 0.5 % | `mexico`, `  CHILE`, `premium` | loaded (normalised) |
 * | date_formats | 0.3 % | `2023/05/01`, `01/05/2023`, `2023-05-01T00:00:00Z` | loaded |
 * | padded_keys | 0.1 % | ` U0042` | loaded (trimmed) |
 * | empty_values | 0.2 % | empty age, country, plan, date or hours | loaded, NULL, not coerced |
 * | invalid_ages | 0.2 % | `7`, `130`, `41.5`, `n/a` | loaded, age coerced |
 * | unknown_plans | 0.1 % | `Gold` | loaded, subscription_type coerced |
 * | invalid_dates | 0.1 % | `2023-02-30`, `31/04/2023` | loaded, registration_date coerced |
 * | invalid_hours | 0.1 % | `-5.0`, `n/a` | loaded, total_watch_time_hours coerced |
 * | duplicates | 0.4 % | a later copy with other hours | the earlier copy counts as duplicate |
 * | missing_keys | 0.06 % | an extra line with an empty or blank id | rejected `missing_key` |
 * | wrong_field_counts | 0.04 % | an extra copy with a field too many or too few | rejected `malformed` |
 * | broken_quoting | 0.04 % | an extra copy with `"Mex"ico"` or `"Mexico` | rejected `malformed` |
 * | blank_lines | 0.1 % | an empty line | not a row |
 *
 * viewing_sessions.csv (rates of the 222,785 sessions at scale 1)
 * | kind | rate | example | outcome |
 * |---|---|---|---|
 * | junk_numbers | 0.5 % | `45.2 min`, ` 12.5 `, `"1,023.4"`, `85.5%` | loaded |
 * | device_aliases | 1 % | `smart_tv`, `SMARTTV`, `phone`, `console`, `pc`, `laptop` | loaded (canonical device) |
 * | unknown_devices | 0.1 % | `VR Headset` | loaded as `Other`, device_type coerced |
 * | quality_variants | 0.3 % | `hd`, ` 4k ` | loaded |
 * | unknown_qualities | 0.1 % | `8K`, `720p` | loaded, quality_level coerced |
 * | date_formats | 0.3 % | `2024/03/05`, `05/03/2024`, `2024-03-05T14:30:00Z`, `2024-03-05 14:30` | loaded |
 * | empty_dates | 0.1 % | empty watch_date | loaded, missing_watch_date |
 * | invalid_dates | 0.05 % | `2024-02-30`, `yesterday` | loaded, watch_date coerced and missing_watch_date |
 * | unparsable_completions | 0.05 % | `n/a` | loaded, completion_percentage coerced |
 * | empty_values | 0.1 % | empty completion, device or quality | loaded, NULL / `Other`, not coerced |
 * | padded_keys | 0.1 % | ` SS0000042`, `U0042 ` | loaded (trimmed) |
 * | orphan_users | 0.1 % | a user id not in users.csv | rejected `unknown_user` |
 * | bad_durations | 0.05 % | `-5`, `2000`, `1441`, `n/a`, empty | rejected `bad_duration` |
 * | bad_completions | 0.05 % | `150`, `-10`, `100.5` | rejected `bad_completion` |
 * | missing_keys | 0.05 % | empty session_id, user_id or content_id | rejected `missing_key` |
 * | wrong_field_counts | 0.03 % | a field too many or too few | rejected `malformed` |
 * | broken_quoting | 0.02 % | `"Smart "TV"`, `"Smart TV` | rejected `malformed` |
 * | duplicates | 0.3 % | a later copy with another completion | the earlier copy counts as duplicate |
 * | blank_lines | 0.05 % | an empty line | not a row |
 *
 * Whole files: new header names (both CSV files), reordered columns (users.csv), CRLF line ends (users.csv),
 * a UTF-8 BOM (viewing_sessions.csv). content.json (not scaled, so counts rather than rates): one genre
 * given as a single string (loaded); one movie repeated at the end with other views (the earlier copy counts
 * as duplicate); extra documents without a title (`missing_field`), with an empty genre list (`bad_genre`), with
 * a rating of 7.5 and of `"excellent"` (`bad_rating`).
 */
export const MESSY_RATES = {
  users: {
    junk_numbers: 0.005,
    text_variants: 0.005,
    date_formats: 0.003,
    padded_keys: 0.001,
    empty_values: 0.002,
    invalid_ages: 0.002,
    unknown_plans: 0.001,
    invalid_dates: 0.001,
    invalid_hours: 0.001,
    duplicates: 0.004,
    missing_keys: 0.0006,
    wrong_field_counts: 0.0004,
    broken_quoting: 0.0004,
    blank_lines: 0.001,
  },
  sessions: {
    junk_numbers: 0.005,
    device_aliases: 0.01,
    unknown_devices: 0.001,
    quality_variants: 0.003,
    unknown_qualities: 0.001,
    date_formats: 0.003,
    empty_dates: 0.001,
    invalid_dates: 0.0005,
    unparsable_completions: 0.0005,
    empty_values: 0.001,
    padded_keys: 0.001,
    orphan_users: 0.001,
    bad_durations: 0.0005,
    bad_completions: 0.0005,
    missing_keys: 0.0005,
    wrong_field_counts: 0.0003,
    broken_quoting: 0.0002,
    duplicates: 0.003,
    blank_lines: 0.0005,
  },
} as const;

/** A defect kind of `users.csv`. */
export type UserDefect = keyof typeof MESSY_RATES.users;
/** A defect kind of `viewing_sessions.csv`. */
export type SessionDefect = keyof typeof MESSY_RATES.sessions;
