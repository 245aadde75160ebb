/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL
 * pages: the commit that happens to cross it copies ~4 MB back into the database and fsyncs, on the event loop,
 * stalling every request behind it (the p99 of the bench). The main connection turns it off and a worker thread,
 * with its own connection to the same file, runs a PASSIVE checkpoint (never waits for, never blocks the writer)
 * whenever the WAL has grown. Durability does not depend on checkpoints: a commit is durable once in the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next tick tries again.
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try {
    db.close();
  } finally {
    // Tells a stop() waiting on the main thread that this connection is closed.
    Atomics.store(workerData.closed, 0, 1);
    Atomics.notify(workerData.closed, 0);
    process.exit(0);
  }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  /** Set to 1 by the worker once its connection is closed. */
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  private running = true;

  constructor(db: Db, path: string, everyMs = 250) {
    db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, everyMs, closed: this.closed } });
    this.worker.unref();
    // A worker that cannot run (no threads, file gone) leaves SQLite's own checkpointing in place.
    this.worker.on('error', () => {
      this.running = false;
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
    });
    this.worker.on('exit', () => {
      this.running = false;
    });
  }

  /**
   * Stops the worker and waits (up to `timeoutMs`) until its connection is closed, so that once the store has closed
   * its own no thread of this process holds the file: another process opening it next (the bench, a restart) does
   * not find it locked by a checkpoint still running.
   */
  stop(timeoutMs = 5_000): void {
    if (!this.running) return;
    this.worker.postMessage('stop');
    Atomics.wait(this.closed, 0, 0, timeoutMs);
  }
}
