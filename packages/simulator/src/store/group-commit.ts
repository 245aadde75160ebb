/**
 * Group commit: the requests served in the same turn of the event loop write into one open SQLite transaction,
 * committed (one fsync, synchronous=FULL) once the loop has nothing more to run in that turn; each request is
 * answered only after the commit that holds its writes. Durability is the same as one transaction per request
 * (nothing is acknowledged before it is on disk), for one fsync per group instead of three or four per request.
 *
 * Requests see each other's uncommitted writes (one connection): a second lot with the same uniqueId in the same
 * group is refused as if the first had been committed. A store.transaction() inside the group is a savepoint, so
 * a lot that fails half-way is undone alone.
 *
 * A group that holds only what reads write (access traces, notifications, request-log entries) is committed with
 * synchronous=NORMAL: in WAL mode that survives a crash or kill -9 of the simulator (the OS has the pages), not a
 * power loss, and spares the fsync that would otherwise stall the next request. Any write that an answer
 * acknowledges makes its group FULL; the fsync of a FULL commit also covers the NORMAL ones before it.
 */
import type { Db } from './db.js';

export class GroupCommit {
  private waiting: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  private mode: 'FULL' | 'NORMAL' = 'FULL';
  /** Groups committed and requests they held, for the tests and diagnostics. */
  readonly stats = { groups: 0, requests: 0, normal: 0 };

  constructor(private readonly db: Db) {}

  /** exec, not a prepared statement: SQLite applies synchronous when the PRAGMA is compiled (and pragma() builds a JS statement). */
  private setSynchronous(mode: 'FULL' | 'NORMAL'): void {
    this.db.exec(`PRAGMA synchronous = ${mode}`);
  }

  /**
   * Opens the group transaction if none is: every write until the commit joins it. `acknowledged` false: the
   * writes to come are not acknowledged by an answer (a read's traces and log), a NORMAL group may take them.
   */
  join(acknowledged = true): void {
    const wanted = acknowledged ? 'FULL' : 'NORMAL';
    // synchronous cannot change inside a transaction: an acknowledged write ends a NORMAL group first.
    if (this.db.inTransaction && wanted === 'FULL' && this.mode === 'NORMAL') this.commit();
    if (!this.db.inTransaction) {
      if (wanted !== this.mode) this.setSynchronous(wanted);
      this.mode = wanted;
      this.db.exec('BEGIN IMMEDIATE');
    }
    this.schedule();
  }

  /** The durability of the open (or last) group: FULL, or NORMAL when it holds only unacknowledged writes. */
  get synchronous(): 'FULL' | 'NORMAL' {
    return this.mode;
  }

  /** Resolves once the writes made so far are committed; rejects if that commit failed (they are rolled back). */
  durable(): Promise<void> {
    if (!this.db.inTransaction && !this.scheduled) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Commits now (the store is closing). */
  flush(): void {
    this.commit();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: the requests whose bodies arrived together are in.
    setImmediate(() => this.commit());
  }

  private commit(): void {
    this.scheduled = false;
    const waiting = this.waiting;
    this.waiting = [];
    if (!this.db.open) {
      for (const w of waiting) w.reject(new Error('the simulator store is closed'));
      return;
    }
    try {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    } catch (e) {
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // The connection already rolled back (SQLite does on some I/O errors).
      }
      for (const w of waiting) w.reject(e);
      return;
    }
    this.stats.groups++;
    this.stats.requests += waiting.length;
    if (this.mode === 'NORMAL') {
      this.stats.normal++;
      // Writes outside groups (driver, scenarios) autocommit: they keep FULL.
      this.setSynchronous('FULL');
      this.mode = 'FULL';
    }
    for (const w of waiting) w.resolve();
  }
}
