/**
 * Group commit (src/store/group-commit.ts): writes of one event-loop turn share one transaction, nothing is reported
 * durable before a second connection can read it, a failed commit rolls the group back and says so; through HTTP,
 * a deposit is answered after its commit (a search is not held for its log), and two lots with the same uniqueId
 * in one group cannot both succeed.
 */
import { FindDocumentsCommand, SubmitDocumentsCommand } from '@dmpkit/sdk';
import Database from 'better-sqlite3';
import { fsync, mkdtempSync, rmSync } from 'node:fs';
import { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { openDb } from '../src/store/db.js';
import { GroupCommit } from '../src/store/group-commit.js';
import { SimulatorStore } from '../src/store/store.js';
import { client, FIXTURE_PATIENT, fixtureVariant } from './support.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dmpkit-group-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notification = (store: SimulatorStore, text: string) => store.addNotification({ at: 1, ins: FIXTURE_PATIENT.ins, kind: 'new-document', text });

describe('the store', () => {
  it('commits the writes of one turn together, and only then says they are durable', async () => {
    const path = join(dir, 'one-turn.sqlite');
    const store = new SimulatorStore({ path });
    const reader = new Database(path, { readonly: true });
    const count = () => (reader.prepare('SELECT count(*) n FROM notifications').get() as { n: number }).n;
    const groups = store.group.stats.groups;
    store.group.join();
    notification(store, 'a');
    const first = store.group.durable();
    store.group.join();
    notification(store, 'b');
    const second = store.group.durable();
    // Written, not committed: another connection does not see them yet.
    expect(count()).toBe(0);
    await Promise.all([first, second]);
    expect(count()).toBe(2);
    expect(store.group.stats.groups - groups).toBe(1);
    // A later write opens a new group.
    store.group.join();
    notification(store, 'c');
    await store.group.durable();
    expect(count()).toBe(3);
    expect(store.group.stats.groups - groups).toBe(2);
    reader.close();
    store.close();
  });

  it('rejects every waiter of a group whose commit fails, and keeps nothing of it', async () => {
    const path = join(dir, 'failing.sqlite');
    const store = new SimulatorStore({ path });
    store.group.join();
    notification(store, 'kept by nobody');
    // A deferred foreign-key violation makes COMMIT itself fail.
    store.db.pragma('defer_foreign_keys = ON');
    store.db.prepare("INSERT INTO authorizations (ins, ps_id, status, since, last_action) VALUES ('no-such-patient', 'x', 'valid', 0, 0)").run();
    const results = await Promise.allSettled([store.group.durable(), store.group.durable()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(store.db.inTransaction).toBe(false);
    expect(store.notifications()).toEqual([]);
    // The next group works.
    store.group.join();
    notification(store, 'after');
    await store.group.durable();
    expect(store.notifications().map((n) => n.text)).toEqual(['after']);
    store.close();
  });

  it('without a WAL to sync (SQLite syncs itself): a group of unacknowledged writes is NORMAL; an acknowledged write ends it and is FULL', async () => {
    const store = new SimulatorStore({ path: join(dir, 'modes.sqlite') });
    store.group.flush();
    (store as { group: GroupCommit }).group = new GroupCommit(store.db);
    const sync = () => store.db.pragma('synchronous', { simple: true });
    store.group.join(false);
    notification(store, 'trace of a read');
    expect(sync()).toBe(1); // NORMAL
    const read = store.group.durable();
    const normal = store.group.stats.normal;
    // A deposit arrives while the read's group is open: that group is committed first, the deposit gets a FULL one.
    store.group.join(true);
    expect(store.group.stats.normal).toBe(normal + 1);
    await read;
    expect(sync()).toBe(2); // FULL
    notification(store, 'deposit');
    // A read joining an open FULL group rides along.
    store.group.join(false);
    expect(store.group.synchronous).toBe('FULL');
    await store.group.durable();
    expect(store.group.stats.normal).toBe(normal + 1);
    // Outside groups the connection is back to FULL.
    expect(sync()).toBe(2);
    expect(store.notifications().map((n) => n.text).sort()).toEqual(['deposit', 'trace of a read']);
    store.close();
  });

  it('on a file: groups commit NORMAL, the WAL is fsynced off the event loop, and only then are acknowledged writes answered', async () => {
    const path = join(dir, 'wal-sync.sqlite');
    const db = openDb({ path });
    const held: Array<() => void> = [];
    const events: string[] = [];
    const group = new GroupCommit(db, {
      walPath: `${path}-wal`,
      sync: (fd, done) => {
        events.push('fsync');
        held.push(() => fsync(fd, done));
      },
    });
    const reader = new Database(path, { readonly: true });
    const count = () => (reader.prepare('SELECT count(*) n FROM notifications').get() as { n: number }).n;
    const insert = db.prepare("INSERT INTO notifications (at, ins, kind, text) VALUES (1, 'x', 'new-document', ?)");
    const sync = () => db.pragma('synchronous', { simple: true });
    const settled = (p: Promise<void>) => {
      const state = { done: false, error: undefined as unknown };
      p.then(
        () => (state.done = true),
        (e: unknown) => (state.error = e),
      );
      return state;
    };
    const turn = () => new Promise((r) => setImmediate(r));

    group.join(true);
    expect(sync()).toBe(1); // NORMAL: SQLite does not fsync this commit itself
    insert.run('a');
    const a = settled(group.durable());
    await turn();
    // Committed (another connection reads it), not yet synced: not acknowledged.
    expect(count()).toBe(1);
    expect(sync()).toBe(2); // FULL again outside groups
    expect(events).toEqual(['fsync']);
    expect(a.done).toBe(false);

    // A group committed while that fsync runs waits for the next one.
    group.join(true);
    insert.run('b');
    const b = settled(group.durable());
    await turn();
    expect(count()).toBe(2);
    held.shift()!();
    await new Promise((r) => setTimeout(r, 50));
    expect(a.done).toBe(true);
    expect(b.done).toBe(false);
    expect(events).toEqual(['fsync', 'fsync']);
    held.shift()!();
    await new Promise((r) => setTimeout(r, 50));
    expect(b.done).toBe(true);
    expect(group.stats.syncs).toBe(2);

    // Only a read's writes: answered at commit, no fsync.
    group.join(false);
    insert.run('trace');
    await group.durable();
    expect(group.stats.syncs).toBe(2);
    expect(events).toHaveLength(2);
    reader.close();
    group.flush();
    db.close();
  });

  it('a failed WAL fsync rejects the waiters of its groups', async () => {
    const path = join(dir, 'wal-sync-fails.sqlite');
    const db = openDb({ path });
    const group = new GroupCommit(db, { walPath: `${path}-wal`, sync: (_fd, done) => setImmediate(() => done(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }))) });
    group.join(true);
    db.prepare("INSERT INTO notifications (at, ins, kind, text) VALUES (1, 'x', 'new-document', 'lost?')").run();
    await expect(group.durable()).rejects.toThrow(/WAL could not be synced.*EIO/);
    group.flush();
    db.close();
  });

  it('close() commits an open group', () => {
    const path = join(dir, 'close.sqlite');
    const store = new SimulatorStore({ path });
    store.group.join();
    notification(store, 'at close');
    store.close();
    const again = new SimulatorStore({ path });
    expect(again.notifications().map((n) => n.text)).toEqual(['at close']);
    again.close();
  });
});

describe('through HTTP', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ dataDir: join(dir, 'http') });
  });
  afterAll(() => sim.close());

  /** Records, in order, the COMMITs of the store and the answers written by the server (same process). */
  async function ordered<T>(run: () => Promise<T>): Promise<{ result: T; events: string[] }> {
    const events: string[] = [];
    const db = sim.context.store.db;
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'COMMIT') events.push('commit');
      return exec(sql);
    };
    const writeHead = ServerResponse.prototype.writeHead;
    ServerResponse.prototype.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
      events.push(`answer ${this.req.url?.split('/').pop()}`);
      return writeHead.apply(this, args);
    } as typeof writeHead;
    try {
      return { result: await run(), events };
    } finally {
      db.exec = exec;
      ServerResponse.prototype.writeHead = writeHead;
    }
  }

  it('answers a deposit only after the commit that holds it; a search without waiting for its log', async () => {
    const c = client(sim.baseUrl);
    const cmd = new SubmitDocumentsCommand({ documents: [{ content: fixtureVariant().content }] });
    await cmd.prepare(c);
    const deposit = await ordered(() => c.send(cmd));
    expect(deposit.events).toEqual(['commit', 'answer repository']);
    const search = await ordered(() => c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT })));
    expect(search.result.documentEntries.length).toBeGreaterThan(0);
    expect(search.events).toEqual(['answer registry', 'commit']);
  });

  it('concurrent lots: every answer comes after a commit, fewer commits than lots are allowed', async () => {
    const c = client(sim.baseUrl);
    const lots = Array.from({ length: 12 }, () => fixtureVariant());
    const commands = await Promise.all(
      lots.map(async (l) => {
        const cmd = new SubmitDocumentsCommand({ documents: [{ content: l.content }] });
        await cmd.prepare(c);
        return cmd;
      }),
    );
    const { events } = await ordered(() => Promise.all(commands.map((cmd) => c.send(cmd))));
    // Each answer is preceded by at least as many commits as... one: the last commit before it holds its lot.
    expect(events[0]).toBe('commit');
    expect(events.filter((e) => e === 'answer repository')).toHaveLength(lots.length);
    expect(events.filter((e) => e === 'commit').length).toBeLessThanOrEqual(lots.length);
    for (const l of lots) expect(sim.context.store.entriesByUniqueId(l.uniqueId)).toHaveLength(1);
  });

  it('two lots with the same uniqueId sent together: exactly one is stored', async () => {
    const c = client(sim.baseUrl);
    const doc = fixtureVariant();
    const commands = await Promise.all(
      [0, 1].map(async () => {
        const cmd = new SubmitDocumentsCommand({ documents: [{ content: doc.content }] });
        await cmd.prepare(c);
        return cmd;
      }),
    );
    const outcomes = await Promise.allSettled(commands.map((cmd) => c.send(cmd)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(sim.context.store.entriesByUniqueId(doc.uniqueId)).toHaveLength(1);
  });
});
