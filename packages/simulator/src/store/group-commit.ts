/**
 * Group commit: the requests served in the same turn of the event loop write into one open SQLite transaction,
 * committed once the loop has nothing more to run in that turn; each request is answered only after the commit that
 * holds its writes is on disk. Durability is the same as one synchronous=FULL transaction per request (nothing is
 * acknowledged before it is on disk), for one fsync per group instead of three or four per request.
 *
 * On a file database the fsync is not SQLite's: groups commit with synchronous=NORMAL (WAL frames written, not
 * synced) and the WAL file is then fsynced through libuv's thread pool, so the event loop goes on decoding the next
 * requests while the disk works (a blocking FULL commit held it ~1 ms per group). In WAL mode the one difference
 * between NORMAL and FULL is that fsync of the WAL at each commit (sqlite.org/pragma.html#pragma_synchronous):
 * checkpoints still sync the WAL before and the database after, so what a group committed is durable once its fsync
 * returned. Groups committed while an fsync runs wait for the next one, which covers them all. Should that fsync fail,
 * the group's writes stay committed (they are visible) but its requests get an error, not an acknowledgement.
 *
 * Requests see each other's uncommitted writes (one connection): a second lot with the same uniqueId in the same
 * group is refused as if the first had been committed. A store.transaction() inside the group is a savepoint, so
 * a lot that fails half-way is undone alone.
 *
 * A group that holds only what reads write (access traces, notifications, request-log entries) is not synced at all:
 * in WAL mode that survives a crash or kill -9 of the simulator (the OS has the pages), not a power loss. Any write
 * that an answer acknowledges makes its group need the sync; a later sync also covers the groups before it.
 */
import { closeSync, fstatSync, fsync, fsyncSync, openSync } from 'node:fs';
import type { Db } from './db.js';

type Waiter = { resolve: () => void; reject: (e: unknown) => void };

/** The group was committed but its WAL fsync failed: its writes are visible, not known to be on disk. */
export class WalSyncError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the WAL could not be synced to disk: ${(cause as Error)?.message ?? cause}`);
  }
}

export interface GroupCommitOptions {
  /** The database's WAL file: synced off the event loop. Without it (`:memory:`), acknowledged groups commit FULL. */
  walPath?: string;
  /** fsync, for the tests that check its order with the answers. */
  sync?: (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void;
}

export class GroupCommit {
  private waiting: Waiter[] = [];
  private scheduled = false;
  /** The open (or last) group holds writes an answer acknowledges. */
  private acknowledged = false;
  private mode: 'FULL' | 'NORMAL' = 'FULL';
  /** Committed groups' waiters for the next WAL fsync, and whether one is running. */
  private toSync: Waiter[] = [];
  private syncing = false;
  private wal: number | undefined;
  private closing = false;
  private readonly sync: NonNullable<GroupCommitOptions['sync']>;
  /** Groups committed and requests they held, WAL fsyncs, for the tests and diagnostics. */
  readonly stats = { groups: 0, requests: 0, normal: 0, syncs: 0 };

  constructor(
    private readonly db: Db,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.sync = options.sync ?? fsync;
    this.wal = this.openWal();
  }

  /** The WAL file, open for fsync (SQLite made it when the database was first read); none: SQLite syncs itself. */
  private openWal(): number | undefined {
    if (!this.options.walPath) return undefined;
    try {
      return openSync(this.options.walPath, 'r');
    } catch {
      return undefined;
    }
  }

  /** exec, not a prepared statement: SQLite applies synchronous when the PRAGMA is compiled (and pragma() builds a JS statement). */
  private setSynchronous(mode: 'FULL' | 'NORMAL'): void {
    this.db.exec(`PRAGMA synchronous = ${mode}`);
  }

  /**
   * Opens the group transaction if none is: every write until the commit joins it. `acknowledged` false: the
   * writes to come are not acknowledged by an answer (a read's traces and log), a group of only those is not synced.
   */
  join(acknowledged = true): void {
    if (this.wal === undefined) {
      // SQLite's own fsync: synchronous cannot change inside a transaction, an acknowledged write ends a NORMAL group first.
      const wanted = acknowledged ? 'FULL' : 'NORMAL';
      if (this.db.inTransaction && wanted === 'FULL' && this.mode === 'NORMAL') this.commit();
      if (!this.db.inTransaction) {
        if (wanted !== this.mode) this.setSynchronous(wanted);
        this.mode = wanted;
        this.acknowledged = acknowledged;
        this.db.exec('BEGIN IMMEDIATE');
      }
    } else {
      if (!this.db.inTransaction) {
        this.setSynchronous('NORMAL');
        this.mode = 'NORMAL';
        this.acknowledged = false;
        this.db.exec('BEGIN IMMEDIATE');
      }
      this.acknowledged ||= acknowledged;
    }
    this.schedule();
  }

  /** The durability of the open (or last) group: FULL (on disk before its answers), or NORMAL when it holds only unacknowledged writes. */
  get synchronous(): 'FULL' | 'NORMAL' {
    return this.acknowledged ? 'FULL' : 'NORMAL';
  }

  /** Resolves once the writes made so far are committed and, if acknowledged, synced; rejects if either failed. */
  durable(): Promise<void> {
    if (!this.db.inTransaction && !this.scheduled && !this.syncing && this.toSync.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (!this.db.inTransaction && !this.scheduled) {
        // Committed, its sync still to come: the next one covers it.
        this.toSync.push({ resolve, reject });
        this.startSync();
        return;
      }
      this.waiting.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Commits and syncs now (the store is closing). */
  flush(): void {
    this.commit();
    this.closing = true;
    if (this.wal === undefined) return;
    const waiting = this.toSync;
    this.toSync = [];
    try {
      fsyncSync(this.wal);
      for (const w of waiting) w.resolve();
    } catch (e) {
      for (const w of waiting) w.reject(new WalSyncError(e));
    }
    // A sync still running in the pool closes the file when it returns.
    if (!this.syncing) this.closeWal();
  }

  private closeWal(): void {
    if (this.wal === undefined) return;
    closeSync(this.wal);
    this.wal = undefined;
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
      if (!this.acknowledged) this.stats.normal++;
      // Writes outside groups (driver, scenarios) autocommit: they keep FULL.
      this.setSynchronous('FULL');
      this.mode = 'FULL';
    }
    if (this.wal !== undefined && this.acknowledged) {
      this.toSync.push(...waiting);
      this.startSync();
    } else {
      for (const w of waiting) w.resolve();
    }
  }

  /** One fsync of the WAL for every committed group waiting, then the next round if more came meanwhile. */
  private startSync(): void {
    if (this.syncing || this.toSync.length === 0) return;
    const wal = this.currentWal();
    const batch = this.toSync;
    this.toSync = [];
    if (wal === undefined) {
      const why = this.closing ? 'the simulator store is closed' : `the WAL file ${this.options.walPath} cannot be opened to sync it`;
      for (const w of batch) w.reject(new WalSyncError(new Error(why)));
      return;
    }
    this.syncing = true;
    this.sync(wal, (err) => {
      this.syncing = false;
      this.stats.syncs++;
      for (const w of batch) (err ? w.reject(new WalSyncError(err)) : w.resolve());
      if (this.closing) this.closeWal();
      else this.startSync();
    });
  }

  /** The WAL file's descriptor; opened again if the file was replaced (a WAL deleted when every connection closed). */
  private currentWal(): number | undefined {
    if (this.wal === undefined) return undefined;
    if (fstatSync(this.wal).nlink === 0) {
      closeSync(this.wal);
      this.wal = this.openWal();
    }
    return this.wal;
  }
}
