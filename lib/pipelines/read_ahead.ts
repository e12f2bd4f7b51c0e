/**
 * Reads a node needs that can start before the node may run: e.g. `generate_stats`' scan of the sessions
 * into its cube needs only the loaded sessions and users, but the node waits for `validate_data`'s verdict.
 * The workbench starts such a read as soon as its inputs are loaded (beside other nodes: on another
 * connection, on SQLite in a read worker), and the node takes the result instead of reading again.
 *
 * @module
 */

/** Reads started ahead of the node that uses them, by name; each is taken once. */
export class ReadAhead {
  #reads = new Map<string, Promise<unknown>>();

  /** Starts `read` under `name`, unless a read of that name is already waiting to be taken. */
  start<T>(name: string, read: () => Promise<T>): void {
    if (this.#reads.has(name)) return;
    const started = read();
    started.catch(() => {}); // taken and awaited by the node; a read never taken must not go unhandled
    this.#reads.set(name, started);
  }

  /** Offers rows already at hand under `name` (e.g. summed by a load), in place of a read. */
  provide<T>(name: string, rows: T): void {
    this.#reads.set(name, Promise.resolve(rows));
  }

  /**
   * The read started under `name`, or undefined (never started, or already taken: a retry of the node
   * reads again).
   */
  take<T>(name: string): Promise<T> | undefined {
    const read = this.#reads.get(name) as Promise<T> | undefined;
    this.#reads.delete(name);
    return read;
  }

  /** Forgets every read and row set not yet taken (what they were read from is about to change). */
  clear(): void {
    for (const read of this.#reads.values()) read.catch(() => {});
    this.#reads.clear();
  }

  /** Waits for reads nobody took (their node was skipped), so none outlives the run's connections. */
  async settle(): Promise<void> {
    const left = [...this.#reads.values()];
    this.#reads.clear();
    await Promise.allSettled(left);
  }
}
