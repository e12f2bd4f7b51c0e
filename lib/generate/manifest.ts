/** Expected outcome of loading one generated CSV file, per the data contract. */
export interface CsvFileOutcome {
  /** Data lines: not the header, not blank lines. */
  rows: number;
  /** `rows - rejected - duplicates`. */
  loaded: number;
  /** Accepted rows replaced by a later row with the same key. */
  duplicates: number;
  /** Loaded sessions whose watch_date is NULL (sessions only). */
  missing_watch_date?: number;
  /** Rejected rows per reason code. */
  rejected: Record<string, number>;
  /** Loaded rows per field stored as NULL (or `Other`) from a non-empty invalid value. */
  coerced: Record<string, number>;
  /** Physical line numbers (header = 1, blank lines counted) of the rejected rows, per reason. */
  reject_lines: Record<string, number[]>;
  /** Physical line numbers of the rows that count as duplicates. */
  duplicate_lines: number[];
}

/** A generated CSV file: its expected outcome and how it is written. */
export interface CsvFileManifest extends CsvFileOutcome {
  header: string[];
  line_end: "LF" | "CRLF";
  bom: boolean;
}

/** Expected outcome of loading the generated `content.json`. */
export interface ContentFileManifest {
  /** Documents in the file, movies and series. */
  documents: number;
  loaded: number;
  duplicates: number;
  rejected: Record<string, number>;
  /** content_id of the rejected documents, per reason. */
  reject_ids: Record<string, string[]>;
  /** content_id of the documents replaced by a later one. */
  duplicate_ids: string[];
}

/**
 * Counts of injected defects: totals per kind over all files (`junk_numbers`, `device_aliases`...), the files
 * written with CRLF line ends or a BOM, and the counts per file.
 */
export interface DefectSummary {
  /** Files whose header uses aliases or other spellings of the canonical names. */
  header_variants: number;
  /** Files whose columns are not in the canonical order. */
  reordered_columns: number;
  crlf: string[];
  bom: string[];
  by_file: Record<string, Record<string, number>>;
  [kind: string]: number | string[] | Record<string, Record<string, number>>;
}

/** `manifest.json`: the options a dataset was generated with and what a correct pipeline must make of it. */
export interface DatasetManifest {
  seed: number;
  scale: number;
  messy: boolean;
  /** Clean users and sessions generated (before defects add or break lines). */
  users: number;
  sessions: number;
  files: {
    "users.csv": CsvFileManifest;
    "viewing_sessions.csv": CsvFileManifest;
    "content.json": ContentFileManifest;
  };
  defects: DefectSummary;
}
