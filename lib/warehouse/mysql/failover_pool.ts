/**
 * A mysql2 pool over an ordered list of hosts: one host is written to at a time (Galera and other
 * multi-writer clusters certify concurrent writes on different nodes against each other, so one writer
 * avoids conflicts), and when it cannot be reached the next host takes over, for good, until it fails in
 * turn. What mysql2's `PoolCluster` with the `ORDER` selector does, with the pool API the warehouse uses.
 *
 * @module
 */
import mysql, { type Pool, type PoolConnection, type PoolOptions } from "mysql2/promise";
import type { MysqlHost } from "../parse_warehouse_url.ts";

/** Errors that say the host itself is unreachable or not serving, so another host should be tried. */
const HOST_DOWN_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "ER_SERVER_SHUTDOWN",
]);
/** 1047: a Galera node that is not part of the primary component ("WSREP has not yet prepared node"). */
const HOST_DOWN_ERRNOS = new Set([1047, 1053]);

/** Whether `error` means the host is down or not serving (so a connection to the next host may work). */
export function isHostDown(error: unknown): boolean {
  const { code, errno, errors } = (error ?? {}) as { code?: string; errno?: number; errors?: unknown[] };
  if (code !== undefined && HOST_DOWN_CODES.has(code)) return true;
  if (errno !== undefined && HOST_DOWN_ERRNOS.has(errno)) return true;
  // Node's happy-eyeballs connect reports an AggregateError whose parts carry the code.
  return (errors ?? []).some((part) => isHostDown(part));
}

/** Options of {@linkcode FailoverPool}. */
export interface FailoverPoolOptions {
  /** Run on every new connection before it is handed out (session settings), mysql2's callback API. */
  onConnection?: (connection: unknown) => void;
  /** Called when the pool moves to another host. */
  onFailover?: (from: MysqlHost, to: MysqlHost, error: unknown) => void;
  /**
   * After a failover, how long to wait at most for the new host's cluster to drop the failed host from its
   * members (Galera's `wsrep_incoming_addresses`; about 6 s after a crash with Galera's defaults). Writes sent
   * before would wait for the dead member, and a burst of them during the view change has been seen to stall
   * Galera's state exchange for good. Not waited for on servers without that status. @default 30_000
   */
  evictionWaitMs?: number;
}

/** How often the new host's members are polled while waiting for an eviction. */
const EVICTION_POLL_MS = 250;

/** A pool on the first reachable host of `hosts`; see the module documentation. */
export class FailoverPool {
  readonly #hosts: readonly MysqlHost[];
  readonly #poolOptions: PoolOptions;
  readonly #options: FailoverPoolOptions;
  #current = 0;
  #pool: Pool;
  #ended = false;
  /** Resolved once the current host's cluster no longer lists the host failed over from. */
  #settled: Promise<void> = Promise.resolve();

  constructor(hosts: readonly MysqlHost[], poolOptions: PoolOptions, options: FailoverPoolOptions = {}) {
    if (hosts.length === 0) throw new RangeError("Cannot make a MySQL pool without a host");
    this.#hosts = hosts;
    this.#poolOptions = poolOptions;
    this.#options = options;
    this.#pool = this.#open();
  }

  /** The host connections currently go to. */
  get host(): MysqlHost {
    return this.#hosts[this.#current];
  }

  /**
   * A connection from the current host's pool; when that host is unreachable, from the next one (each host
   * tried at most once per call). Throws the last host's error when none answers.
   */
  async getConnection(): Promise<PoolConnection> {
    let lastError: unknown;
    for (let tried = 0; tried < this.#hosts.length; tried++) {
      const pool = this.#pool;
      try {
        await this.#settled;
        return await pool.getConnection();
      } catch (error) {
        if (!isHostDown(error) || this.#ended) throw error;
        lastError = error;
        this.#moveOn(pool, error);
      }
    }
    throw lastError;
  }

  /**
   * One statement on a pooled connection. When it fails because the host went away, the pool is renewed
   * (its other connections are to the same dead host) so that the next call fails over; the statement itself
   * is not repeated, since it may have committed: callers retry what they know is idempotent.
   */
  async query(sql: string, params?: unknown[]): Promise<[unknown, unknown]> {
    const connection = await this.getConnection();
    try {
      return await connection.query(sql, params) as [unknown, unknown];
    } catch (error) {
      if (isHostDown(error)) this.renew();
      throw error;
    } finally {
      connection.release();
    }
  }

  /** Drops every pooled connection of the current host: the next connection is a new one (or fails over). */
  renew(): void {
    if (this.#ended) return;
    const old = this.#pool;
    this.#pool = this.#open();
    old.end().catch(() => {});
  }

  async end(): Promise<void> {
    this.#ended = true;
    await this.#pool.end();
  }

  /** After `failed` (the pool that gave `error`) could not connect: on to the next host, once per failure. */
  #moveOn(failed: Pool, error: unknown): void {
    if (failed !== this.#pool) return; // another caller already moved on
    const from = this.host;
    this.#current = (this.#current + 1) % this.#hosts.length;
    this.#pool = this.#open();
    failed.end().catch(() => {});
    if (this.#hosts.length > 1) {
      this.#settled = this.#waitForEviction(this.#pool, from);
      this.#options.onFailover?.(from, this.host, error);
    }
  }

  /**
   * Waits (bounded) until `pool`'s host no longer counts `gone` among its cluster's members. Returns at once
   * on a server without Galera's status, when the host is unreachable (the caller's connection will fail
   * over again) or when `gone` was not listed.
   */
  async #waitForEviction(pool: Pool, gone: MysqlHost): Promise<void> {
    const address = `${gone.host.includes(":") ? `[${gone.host}]` : gone.host}:${gone.port}`;
    const deadline = Date.now() + (this.#options.evictionWaitMs ?? 30_000);
    while (!this.#ended && pool === this.#pool) {
      let members: string | undefined;
      try {
        const [rows] = await pool.query("SHOW STATUS LIKE 'wsrep_incoming_addresses'");
        members = (rows as { Value?: string }[])[0]?.Value;
      } catch {
        return;
      }
      if (!members || !members.split(",").includes(address)) return;
      if (Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, EVICTION_POLL_MS));
    }
  }

  #open(): Pool {
    const { host, port } = this.host;
    const pool = mysql.createPool({ ...this.#poolOptions, host, port });
    const onConnection = this.#options.onConnection;
    if (onConnection) pool.on("connection", (connection) => onConnection(connection));
    return pool;
  }
}
