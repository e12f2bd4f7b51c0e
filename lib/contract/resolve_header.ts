import { type InputColumn, type InputKind, INPUTS, type InputSpec } from "./inputs.ts";
import { MissingColumnError } from "./missing_column_error.ts";
import { normalizeHeaderName } from "./normalize_header_name.ts";

/** The kinds of CSV input the contract knows. */
export type HeaderKind = InputKind;

/** A CSV header mapped onto the contract's canonical columns. */
export interface ResolvedHeader {
  kind: HeaderKind;
  /** Base name of the file, used in messages. */
  file: string;
  /** Number of fields in the header; a data line with another count is `malformed`. */
  width: number;
  /** Canonical column name -> field position, for the columns present only. */
  index: Record<string, number>;
  /** Header names not used, as written: unknown names, and aliases shadowed by an exact canonical name. */
  ignored: string[];
}

interface Match {
  column: string;
  /** 0 for the canonical name, 1 for an alias: the lower one wins. */
  priority: number;
}

interface Claim extends Match {
  position: number;
}

function buildLookup(specs: readonly InputColumn[]): Map<string, Match> {
  // Canonical names first, so that an alias normalising to one (`userid`) never demotes it to an alias.
  const lookup = new Map<string, Match>(
    specs.map(({ name }) => [normalizeHeaderName(name), { column: name, priority: 0 }]),
  );
  for (const { name, aliases } of specs) {
    for (const alias of aliases) {
      const key = normalizeHeaderName(alias);
      if (!lookup.has(key)) lookup.set(key, { column: name, priority: 1 });
    }
  }
  return lookup;
}

const LOOKUPS = new Map<string, { input: InputSpec; lookup: Map<string, Match> }>(
  INPUTS.map((input) => [input.kind, { input, lookup: buildLookup(input.columns) }]),
);

/** A header name as the user wrote it; a leading byte order mark is an encoding artefact, not part of it. */
function asWritten(name: string): string {
  return name.startsWith("\uFEFF") ? name.slice(1) : name;
}

/**
 * Maps a CSV header onto the canonical columns of an input, given or named by its kind (data contract,
 * sections 1-3).
 *
 * Names match after {@linkcode normalizeHeaderName}; an exact canonical name wins over an alias.
 *
 * @throws {MissingColumnError} when a required column is absent.
 * @throws {SyntaxError} when two header names claim the same column with the same priority.
 * @example
 * ```ts
 * const header = resolveHeader("users", ["User_ID", "Age", "notes"], "users.csv");
 * // { kind: "users", file: "users.csv", width: 3, index: { user_id: 0, age: 1 }, ignored: ["notes"] }
 * ```
 */
export function resolveHeader(
  input: InputSpec | HeaderKind,
  header: string[],
  file: string,
): ResolvedHeader {
  const kind = typeof input === "string" ? input : input.kind;
  const known = LOOKUPS.get(kind);
  if (!known) throw new TypeError(`Cannot resolve header: unknown kind "${kind}"`);
  const { lookup } = known;
  const columns = known.input.columns;
  const claims = new Map<string, Claim>();
  const unused: number[] = [];
  for (const [position, name] of header.entries()) {
    const match = lookup.get(normalizeHeaderName(name));
    const previous = match && claims.get(match.column);
    if (match === undefined) {
      unused.push(position);
    } else if (previous === undefined || match.priority < previous.priority) {
      if (previous !== undefined) unused.push(previous.position);
      claims.set(match.column, { ...match, position });
    } else if (match.priority > previous.priority) {
      unused.push(position);
    } else {
      const names = `"${asWritten(header[previous.position])}" and "${asWritten(name)}"`;
      throw new SyntaxError(`Cannot load "${file}": columns ${names} both name "${match.column}"`);
    }
  }
  const found = header.map(asWritten);
  for (const spec of columns) {
    if (spec.required && !claims.has(spec.name)) throw new MissingColumnError(file, spec.name, found);
  }
  const index: Record<string, number> = {};
  for (const spec of columns) {
    const claim = claims.get(spec.name);
    if (claim !== undefined) index[spec.name] = claim.position;
  }
  const ignored = unused.sort((a, b) => a - b).map((position) => found[position]);
  return { kind, file, width: header.length, index, ignored };
}
