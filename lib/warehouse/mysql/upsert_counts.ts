import type { UpsertCounts } from "../types.ts";

/** The parts of a mysql2 result header an upsert count needs. */
export interface UpsertResultHeader {
  affectedRows: number;
  /** `Records: 3  Duplicates: 1  Warnings: 0` for a multi-row INSERT, empty for a single row. */
  info?: string;
}

/**
 * What one `INSERT ... ON DUPLICATE KEY UPDATE` of `rowCount` rows did, on a connection without FOUND_ROWS.
 *
 * There, affectedRows = inserted + 2 x updated, and `Duplicates` in `info` counts the rows that really
 * changed an existing row (MariaDB 10.11 and MySQL 8 alike; a key hit that changes nothing is not counted).
 * A key repeated within the statement counts as insert then update (or unchanged), like separate statements.
 * A single-row INSERT has no `info`: affectedRows alone (0, 1 or 2) tells.
 */
export function upsertCounts(rowCount: number, header: UpsertResultHeader): UpsertCounts {
  const { affectedRows, info = "" } = header;
  const duplicates = /Duplicates:\s*(\d+)/.exec(info)?.[1];
  let updated: number;
  if (duplicates !== undefined) {
    updated = Number(duplicates);
  } else if (rowCount === 1) {
    updated = affectedRows === 2 ? 1 : 0;
  } else {
    throw new Error(`Cannot count upserted rows: the server sent no "Duplicates" figure (info: "${info}")`);
  }
  const inserted = affectedRows - 2 * updated;
  const unchanged = rowCount - inserted - updated;
  if (inserted < 0 || unchanged < 0) {
    throw new Error(
      `Cannot count upserted rows: ${affectedRows} affected rows and info "${info}" do not fit ${rowCount} rows`,
    );
  }
  return { inserted, updated, unchanged };
}
