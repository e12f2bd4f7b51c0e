/**
 * Runs async functions one at a time, in call order.
 *
 * SQLite has one connection: while a transaction awaits between statements, other callers must wait or their
 * statements would land inside it.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Calls running or waiting to run. */
  get pending(): number {
    return this.#pending;
  }

  /** Runs `fn` once every earlier call has settled; resolves or rejects with its result. */
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    this.#pending++;
    const result = this.#tail.then(fn).finally(() => this.#pending--);
    this.#tail = result.catch(() => {});
    return result;
  }
}
