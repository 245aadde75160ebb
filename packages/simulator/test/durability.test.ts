/**
 * Durability of acknowledged submissions: the built simulator runs as a child process on a data directory, the SDK
 * client submits documents concurrently, the child is killed with SIGKILL at seeded random moments and restarted on
 * the same directory. Every lot answered Success must come back byte for byte; a lot in flight at the kill is either
 * absent or complete (one transaction), never torn.
 */
import { FindDocumentsCommand, RetrieveDocumentsCommand, SubmitDocumentsCommand } from '@dmpkit/sdk';
import Database from 'better-sqlite3';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../src/server/faults.js';
import { client, FIXTURE_PATIENT, fixtureVariant } from './support.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const SERVE = join(PKG, 'scripts', 'serve.mjs');
const ROUNDS = 3;
const WORKERS = 3;
/** Per round: at most this many submissions, and the kill comes within this window. */
const MAX_PER_ROUND = 300;
const KILL_AFTER_MS: [number, number] = [200, 2000];
/** The kill waits for this many acknowledgements in the round (at most 15 s), then the seeded random delay. */
const ACKS_BEFORE_KILL = 3;

const rng = seededRandom;

interface Child {
  proc: ChildProcess;
  baseUrl: string;
}

async function startChild(dataDir: string): Promise<Child> {
  const proc = spawn(process.execPath, [SERVE, '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start within 15 s: ${stderr}`)), 15_000);
    createInterface({ input: proc.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code}) before listening: ${stderr}`));
    });
  });
  return { proc, baseUrl: (JSON.parse(line) as { baseUrl: string }).baseUrl };
}

function kill9(child: Child): Promise<void> {
  return new Promise((resolve) => {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) return resolve();
    child.proc.once('exit', () => resolve());
    child.proc.kill('SIGKILL');
  });
}

let dataDir: string;
let current: Child | undefined;

beforeAll(() => {
  // The child runs the built dist: build it when missing (the root `pnpm test` builds first anyway).
  if (!existsSync(join(PKG, 'dist', 'index.js')) || !existsSync(join(PKG, '..', 'sdk', 'dist', 'index.js'))) {
    execFileSync('npx', ['pnpm@10.34.8', '-r', '--filter', '@dmpkit/simulator...', 'run', 'build'], { cwd: PKG, stdio: 'inherit' });
  }
  dataDir = mkdtempSync(join(tmpdir(), 'dmpkit-durability-'));
});

afterAll(async () => {
  if (current) await kill9(current);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Fetches documents by uniqueId in batches: uniqueId → bytes. */
async function retrieveAll(baseUrl: string, uniqueIds: string[]): Promise<Map<string, Buffer>> {
  const c = client(baseUrl);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < uniqueIds.length; i += 25) {
    const got = await c.send(new RetrieveDocumentsCommand({ patient: FIXTURE_PATIENT, uniqueIds: uniqueIds.slice(i, i + 25) }));
    for (const d of got.documents) out.set(d.documentUniqueId, Buffer.from(d.content));
  }
  return out;
}

describe('kill -9 during submissions', () => {
  it('keeps every acknowledged lot, byte for byte, across 3 kills and restarts', { timeout: 60_000 }, async () => {
    const r = rng(0xd0c5);
    const sent = new Map<string, Buffer>();
    const acked: string[] = [];
    const perRound: Array<{ acked: number; failed: number; killAfterMs: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      current = await startChild(dataDir);
      // What was acknowledged before the previous kill is still there, identical.
      if (acked.length) {
        const back = await retrieveAll(current.baseUrl, acked);
        expect(acked.filter((u) => !back.get(u)?.equals(sent.get(u)!))).toEqual([]);
      }
      const c = client(current.baseUrl);
      let stop = false;
      let attempts = 0;
      let failed = 0;
      const before = acked.length;
      const worker = async () => {
        while (!stop && attempts < MAX_PER_ROUND) {
          attempts++;
          const doc = fixtureVariant();
          sent.set(doc.uniqueId, doc.content);
          try {
            const res = await c.send(new SubmitDocumentsCommand({ documents: [{ content: doc.content }] }));
            if (res.status === 'Success') acked.push(doc.uniqueId);
          } catch {
            // Connection reset by the kill: not acknowledged, so nothing is promised about it.
            failed++;
          }
        }
      };
      const killAfterMs = Math.round(KILL_AFTER_MS[0] + r() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]));
      const workers = Array.from({ length: WORKERS }, worker);
      for (const deadline = Date.now() + 15_000; acked.length - before < ACKS_BEFORE_KILL && Date.now() < deadline; ) await new Promise((res) => setTimeout(res, 20));
      await new Promise((res) => setTimeout(res, killAfterMs));
      await kill9(current);
      stop = true;
      await Promise.all(workers);
      await c.close();
      perRound.push({ acked: acked.length - before, failed, killAfterMs });
      // The kill came while lots were being submitted, not after the loop had ended.
      expect(attempts).toBeLessThan(MAX_PER_ROUND);
    }

    current = await startChild(dataDir);
    expect(acked.length).toBeGreaterThanOrEqual(ROUNDS * ACKS_BEFORE_KILL);
    const back = await retrieveAll(current.baseUrl, acked);
    expect(acked.filter((u) => !back.get(u)?.equals(sent.get(u)!))).toEqual([]);
    // A lot in flight at a kill is absent or whole: whatever the registry lists is retrievable with the bytes sent.
    const listed = (await client(current.baseUrl).send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }))).documentEntries.map((e) => e.uniqueId).filter((u) => sent.has(u));
    expect(listed.length).toBeGreaterThanOrEqual(acked.length);
    const listedBack = await retrieveAll(current.baseUrl, listed);
    expect(listed.filter((u) => !listedBack.get(u)?.equals(sent.get(u)!))).toEqual([]);
    await kill9(current);
    current = undefined;
    // The file itself is consistent after the kills.
    const db = new Database(join(dataDir, 'dmp-simulator.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    console.log(`durability: ${acked.length} acknowledged lots over ${ROUNDS} kills`, perRound);
  });
});
