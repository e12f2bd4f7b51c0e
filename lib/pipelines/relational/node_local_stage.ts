/**
 * Staging off the replication path. On a cluster every write of a staging table would be shipped to every
 * node (a rerun that changes nothing shipped its whole file), although only the loading connection ever
 * reads it. Where the cluster leaves an engine unreplicated (Galera and Aria or MyISAM, unless `wsrep_mode`
 * has `REPLICATE_ARIA`/`REPLICATE_MYISAM` or `STRICT_REPLICATION`), the staging table is a node-local one in
 * that engine, `stage_<input>_local`; otherwise the replicated staging table of the schema, as everywhere
 * else (single servers, SQLite).
 *
 * A node-local table lives on one server: every transaction that reads it first checks that its connection is
 * still on that server ({@linkcode assertOnStageNode}), and each chunk written checks the rows it holds
 * ({@linkcode assertStagedRows}), so that after a failover the load starts the file again on the new node
 * instead of upserting from a staging table missing rows. Galera cannot commit a transaction that writes
 * both an unreplicated and a replicated table (error 1180): chunks go into the node-local table on their
 * own, then their progress record commits; a chunk written and not recorded is deleted on resume.
 *
 * @module
 */
import type { TableSpec, Warehouse } from "../../warehouse/mod.ts";

/** Where a load stages its rows. */
export interface Staging {
  /** The table's name. */
  table: string;
  /** The server holding it when it is node-local (not replicated); `null` for a replicated table. */
  node: string | null;
  /** Its storage engine when node-local. */
  engine?: string;
}

/**
 * An error the DAG retries: the node-local staging table is not as the load left it, because the connection
 * failed over to another server (the retry then loads the file from line 1 there).
 */
export class StageMovedError extends Error {
  readonly code = "WORKBENCH_STAGE_MOVED";
  constructor(message: string) {
    super(message);
    this.name = "StageMovedError";
  }
}

/** Which server of the cluster `wh`'s connection is on, or `null` off a cluster. */
export async function currentNode(wh: Warehouse): Promise<string | null> {
  const sql = wh.sql.nodeIdentitySql;
  if (!wh.traits?.cluster || sql === undefined) return null;
  const [{ node }] = await wh.query<{ node: string }>(sql);
  return String(node);
}

/** The staging table of `stage` (the schema's replicated one) to use on `wh`; see the module documentation. */
export async function chooseStaging(wh: Warehouse, stage: TableSpec): Promise<Staging> {
  const replicated: Staging = { table: stage.name, node: null };
  const { unreplicatedEngineSql, createTableInEngine } = wh.sql;
  if (!wh.traits?.cluster || unreplicatedEngineSql === undefined || !createTableInEngine) return replicated;
  let engine: string | null = null;
  try {
    [{ engine }] = await wh.query<{ engine: string | null }>(unreplicatedEngineSql);
  } catch {
    return replicated;
  }
  if (!engine) return replicated;
  return { table: `${stage.name}_local`, node: await currentNode(wh), engine };
}

/**
 * Empties the staging table for a new load: a node-local one is dropped and made again (so that it has the
 * schema's columns). When the server refuses the engine after all, falls back to the replicated table.
 */
export async function resetStaging(wh: Warehouse, stage: TableSpec, staging: Staging): Promise<Staging> {
  if (staging.node !== null && staging.engine && wh.sql.createTableInEngine) {
    try {
      await wh.execute(wh.sql.dropTable(staging.table));
      await wh.execute(wh.sql.createTableInEngine({ ...stage, name: staging.table }, staging.engine));
      return staging;
    } catch (error) {
      if (wh.sql.isTransient(error)) throw error;
      staging = { table: stage.name, node: null };
    }
  }
  await wh.execute(wh.sql.truncate(staging.table));
  return staging;
}

/** Throws a {@linkcode StageMovedError} when `tx`'s connection is not on the node-local staging table's server. */
export async function assertOnStageNode(tx: Warehouse, staging: Staging): Promise<void> {
  if (staging.node === null) return;
  const now = await currentNode(tx);
  if (now === staging.node) return;
  throw new StageMovedError(
    `Cannot go on staging into ${staging.table}: it is node-local on ${staging.node}, and the connection ` +
      `failed over to ${now ?? "a server outside the cluster"}; the file is loaded again from line 1 there`,
  );
}

/**
 * Throws a {@linkcode StageMovedError} unless the node-local staging table holds `expected` rows: a chunk
 * written outside a transaction (a node-local table cannot share one with replicated tables) went where the
 * earlier ones are. `COUNT(*)` of Aria and MyISAM tables is kept by the engine, so this reads no row.
 */
export async function assertStagedRows(tx: Warehouse, staging: Staging, expected: number): Promise<void> {
  if (staging.node === null) return;
  const [{ n }] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${tx.sql.quote(staging.table)}`);
  if (Number(n) === expected) return;
  throw new StageMovedError(
    `Cannot go on staging into ${staging.table} on ${staging.node}: it holds ${n} rows where ${expected} ` +
      `were written; the file is loaded again from line 1`,
  );
}
