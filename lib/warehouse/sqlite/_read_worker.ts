/**
 * A worker thread with a second, read-only connection to a SQLite warehouse file: it runs the long
 * aggregation reads of {@linkcode Warehouse.readQuery} on the other core while the main thread's connection
 * goes on with other nodes' statements (WAL mode: readers see the last commit and do not block the writer).
 *
 * Messages in: `{ id, path, sql, params }`; out: `{ id, rows }` or `{ id, error: { message, code } }`.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

let db: DatabaseSync | undefined;

self.onmessage = (
  event: MessageEvent<{ id: number; path: string; sql: string; params: SQLInputValue[] } | { close: true }>,
) => {
  // Closed before the thread ends, so that the database file is left as SQLite leaves it on a clean close.
  if ("close" in event.data) {
    db?.close();
    db = undefined;
    self.postMessage({ closed: true });
    return;
  }
  const { id, path, sql, params } = event.data;
  try {
    if (!db) {
      db = new DatabaseSync(path, { readOnly: true });
      db.exec("PRAGMA busy_timeout = 5000; PRAGMA threads = 2");
    }
    const rows = db.prepare(sql).all(...params).map((row) => ({ ...row }));
    self.postMessage({ id, rows });
  } catch (error) {
    const { message = String(error), code } = error as { message?: string; code?: string };
    self.postMessage({ id, error: { message, code } });
  }
};
