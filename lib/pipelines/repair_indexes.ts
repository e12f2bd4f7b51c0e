import type { Warehouse } from "../warehouse/mod.ts";
import { ensureIndexes, indexNames, type TableSpec } from "./schema.ts";

/** A secondary index of the schema that a table lacks. */
export interface MissingIndex {
  table: string;
  index: string;
}

/**
 * The secondary indexes of `tables` that are missing, for the tables that exist. A load drops a table's
 * secondary index and builds it once afterwards; a process killed in between (or a full disk during the
 * rebuild) leaves it missing, and nothing else would notice.
 */
export async function missingIndexes(wh: Warehouse, tables: readonly TableSpec[]): Promise<MissingIndex[]> {
  const missing: MissingIndex[] = [];
  for (const table of tables) {
    if (!table.indexes?.length) continue;
    const names = await indexNames(wh, table);
    // A table without any index entry at all may not exist yet (SQLite lists no automatic index for it).
    if (!(await tableExists(wh, table.name))) continue;
    for (const index of table.indexes) {
      if (!names.has(index.name)) missing.push({ table: table.name, index: index.name });
    }
  }
  return missing;
}

/** Builds the missing secondary indexes of the existing `tables`; resolves to those it built. */
export async function repairIndexes(wh: Warehouse, tables: readonly TableSpec[]): Promise<MissingIndex[]> {
  const missing = await missingIndexes(wh, tables);
  for (const name of new Set(missing.map((m) => m.table))) {
    await ensureIndexes(wh, tables.find((t) => t.name === name)!);
  }
  return missing;
}

async function tableExists(wh: Warehouse, table: string): Promise<boolean> {
  try {
    await wh.query(`SELECT 1 AS one FROM ${table} LIMIT 1`);
    return true;
  } catch {
    return false;
  }
}
