import type { CsvFileOutcome } from "./manifest.ts";

/** What a correct loader does with one written line. */
export type LineOutcome =
  | { status: "loaded"; coerced?: readonly string[]; missingWatchDate?: boolean }
  | { status: "duplicate" }
  | { status: "rejected"; reason: string }
  | { status: "blank" };

/** One line to write (without its line end) and its expected outcome. */
export interface EmittedLine {
  text: string;
  outcome: LineOutcome;
}

/** The lines that replace one clean row, and optionally a line to insert a little further down. */
export interface DefectLines {
  lines: EmittedLine[];
  /** A later copy of the row's key (duplicates); the writer inserts it a few rows further. */
  later?: EmittedLine;
}

/** Options of {@linkcode FileTally}. */
export interface FileTallyOptions {
  /** Reject reasons the file can produce, listed in the manifest even when zero. */
  reasons: readonly string[];
  /** Fields that can be coerced, listed in the manifest even when zero. */
  coercible: readonly string[];
  /**
   * Counts NULL watch dates (sessions).
   * @default false
   */
  watchDate?: boolean;
}

/** Counts the expected outcome of every line written to one CSV file, for the manifest. */
export class FileTally {
  readonly #watchDate: boolean;
  #rows = 0;
  #duplicates = 0;
  #missingWatchDate = 0;
  readonly #rejected: Record<string, number> = {};
  readonly #coerced: Record<string, number> = {};
  readonly #rejectLines: Record<string, number[]> = {};
  readonly #duplicateLines: number[] = [];

  constructor(options: FileTallyOptions) {
    this.#watchDate = options.watchDate ?? false;
    for (const reason of options.reasons) {
      this.#rejected[reason] = 0;
      this.#rejectLines[reason] = [];
    }
    for (const field of options.coercible) this.#coerced[field] = 0;
  }

  /** Counts a clean row: the fast path, which needs no line number. */
  addClean(): void {
    this.#rows++;
  }

  /** Counts a line written at physical line `line`. */
  add(line: number, outcome: LineOutcome): void {
    switch (outcome.status) {
      case "blank":
        return;
      case "loaded":
        for (const field of outcome.coerced ?? []) this.#coerced[field] = (this.#coerced[field] ?? 0) + 1;
        if (outcome.missingWatchDate) this.#missingWatchDate++;
        break;
      case "duplicate":
        this.#duplicates++;
        this.#duplicateLines.push(line);
        break;
      case "rejected":
        this.#rejected[outcome.reason] = (this.#rejected[outcome.reason] ?? 0) + 1;
        (this.#rejectLines[outcome.reason] ??= []).push(line);
        break;
    }
    this.#rows++;
  }

  /** The counts so far, in the manifest's shape. */
  outcome(): CsvFileOutcome {
    const rejected = Object.values(this.#rejected).reduce((sum, count) => sum + count, 0);
    return {
      rows: this.#rows,
      loaded: this.#rows - rejected - this.#duplicates,
      duplicates: this.#duplicates,
      ...(this.#watchDate ? { missing_watch_date: this.#missingWatchDate } : {}),
      rejected: { ...this.#rejected },
      coerced: { ...this.#coerced },
      reject_lines: structuredClone(this.#rejectLines),
      duplicate_lines: [...this.#duplicateLines],
    };
  }
}
