/**
 * Thrown when an input file lacks a required column; nothing is loaded from such a file.
 *
 * @example
 * ```ts
 * new MissingColumnError("users.csv", "user_id", ["id", "device"]).message;
 * // 'Cannot load "users.csv": column "user_id" is missing (found: "id", "device")'
 * ```
 */
export class MissingColumnError extends Error {
  /** Base name of the file, e.g. `users.csv`. */
  readonly file: string;
  /** Canonical name of the missing column. */
  readonly column: string;
  /** Header names of the file, as written. */
  readonly found: string[];

  constructor(file: string, column: string, found: string[], options?: ErrorOptions) {
    const list = found.length === 0 ? "no columns" : found.map((name) => `"${name}"`).join(", ");
    super(`Cannot load "${file}": column "${column}" is missing (found: ${list})`, options);
    this.name = "MissingColumnError";
    this.file = file;
    this.column = column;
    this.found = found;
  }
}
