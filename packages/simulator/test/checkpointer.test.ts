/**
 * WAL checkpoints run in a worker thread (src/store/checkpointer.ts): the main connection never checkpoints (no
 * commit stalls on copying the WAL back), yet what is committed reaches the database file, and survives a reopen.
 */
import { statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatorStore } from '../src/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'dmpkit-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpointer', () => {
  it('copies the WAL into the database file from another thread', async () => {
    const path = join(dir, 'dmp.sqlite');
    const store = new SimulatorStore({ path });
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(path).size;
    const blob = Buffer.alloc(512 * 1024, 7);
    for (let i = 0; i < 12; i++) store.db.prepare('INSERT INTO contents (hash, size, mime_type, bytes) VALUES (?, ?, ?, ?)').run(`h${i}`, blob.length, 'application/octet-stream', blob);
    // Committed into the WAL only: the main connection does not checkpoint.
    expect(statSync(path).size).toBe(before);
    const deadline = Date.now() + 10_000;
    while (statSync(path).size < 6 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).toBeGreaterThanOrEqual(6 * 1024 * 1024);
    store.close();
    const again = new SimulatorStore({ path });
    expect((again.db.prepare('SELECT count(*) n FROM contents').get() as { n: number }).n).toBe(12);
    again.close();
  });
});
