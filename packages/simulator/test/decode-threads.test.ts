/**
 * Decode threads (src/server/decode-pool.ts) on the built simulator (dist: a worker needs built JavaScript; the other
 * tests run from sources and so decode in-process). The same requests, the official DMP examples of the corpus (our
 * code did not write them) and SDK-made ones, get the same answers from a simulator decoding in a thread as from one
 * decoding in-process: statuses, faults with their subcodes, registry outcomes and error codes, retrieved bytes.
 */
import { decodeMessage, FindDocumentsCommand, RetrieveDocumentsCommand, SubmitDocumentsCommand, type DecodedMessage } from '@dmpkit/sdk';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Simulator from '../src/index.js';
import { THREAD_MIN_BYTES } from '../src/server/decode-pool.js';
import { contentTypeOf, corpusBytes, readXdsManifest, requireXdsCorpus, serviceOf } from './corpus.js';
import { client, FIXTURE_PATIENT, fixtureVariant } from './support.js';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const HAVE_CORPUS = requireXdsCorpus('decode threads');
const DMP_REQUESTS = HAVE_CORPUS ? readXdsManifest().files.filter((f) => f.file.startsWith('dmp-') && f.kind === 'request') : [];

type Running = Awaited<ReturnType<typeof Simulator.startSimulator>>;
let threaded: Running;
let inProcess: Running;

beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build the simulator first (pnpm build), the decode threads run built JavaScript`);
  const { startSimulator } = (await import(DIST)) as typeof Simulator;
  [threaded, inProcess] = await Promise.all([startSimulator({ decodeThreads: 1 }), startSimulator({ decodeThreads: 0 })]);
});
afterAll(async () => {
  // The large requests (lots) went through the thread (the small ones are decoded in-process).
  expect(threaded.context.decoder.stats.threaded).toBeGreaterThanOrEqual(largeSent);
  await Promise.all([threaded?.close(), inProcess?.close()]);
});

/** What an answer says, without what differs by nature between two servers (message ids, times, generated UUIDs). */
function outcome(status: number, d: DecodedMessage) {
  const x = d.xds as { kind?: string; status?: string; errors?: Array<{ errorCode: string }> } | undefined;
  return {
    status,
    payload: d.payload.name,
    fault: d.fault ? { code: d.fault.code, subcodes: d.fault.subcodes.map((s) => s.local), reason: d.fault.reason } : undefined,
    xds: x ? { kind: x.kind, status: x.status, errors: x.errors?.map((e) => e.errorCode) } : undefined,
    hl7v3: (d.hl7v3 as { kind?: string } | undefined)?.kind,
  };
}

/** Requests of at least THREAD_MIN_BYTES posted to the threaded simulator. */
let largeSent = 0;

async function post(baseUrl: string, service: string, body: Buffer, contentType: string) {
  if (baseUrl === threaded.baseUrl && body.byteLength >= THREAD_MIN_BYTES) largeSent++;
  const res = await fetch(`${baseUrl}/${service}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  return outcome(res.status, decodeMessage(bytes, res.headers.get('content-type') ?? ''));
}

describe('decode threads', () => {
  it('are running in the built simulator asked for one, and absent when asked for none', () => {
    expect(threaded.context.decoder.size).toBe(1);
    expect(inProcess.context.decoder.size).toBe(0);
  });

  it.runIf(HAVE_CORPUS)('the corpus DMP requests, strict then lenient: the same answers as in-process', async () => {
    expect(DMP_REQUESTS.length).toBeGreaterThan(0);
    for (const mode of ['strict', 'lenient'] as const) {
      threaded.context.settings.vihfMode = mode;
      inProcess.context.settings.vihfMode = mode;
      for (const e of DMP_REQUESTS) {
        const bytes = corpusBytes(e.file);
        const service = serviceOf(e.facts.wsa_Action);
        const type = contentTypeOf(e, bytes);
        const [a, b] = [await post(threaded.baseUrl, service, bytes, type), await post(inProcess.baseUrl, service, bytes, type)];
        expect(a, `${mode} ${e.file}`).toEqual(b);
        // Strict: the unsigned official samples are refused by the thread's VIHF check, as in-process.
        if (mode === 'strict') expect(a.fault?.reason, e.file).toContain('VIHF-SIGNATURE-MISSING');
      }
    }
    threaded.context.settings.vihfMode = 'strict';
    inProcess.context.settings.vihfMode = 'strict';
  });

  it('unreadable bodies: the same faults', async () => {
    for (const [body, type] of [
      [Buffer.from('<a><b></a>'), 'application/soap+xml'],
      [Buffer.from('--zz\r\nContent-Type: text/plain\r\n\r\nnot xml\r\n--zz--\r\n'), 'multipart/related; boundary=zz'],
      [Buffer.from('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'), 'application/soap+xml'],
    ] as const) {
      const a = await post(threaded.baseUrl, 'repository', body, type);
      expect(a).toEqual(await post(inProcess.baseUrl, 'repository', body, type));
      expect(a.status).toBe(400);
    }
  });

  it('an SDK deposit decoded in the thread is stored, found and retrieved byte for byte', async () => {
    const c = client(threaded.baseUrl);
    const doc = fixtureVariant();
    const cmd = new SubmitDocumentsCommand({ documents: [{ content: doc.content }] });
    await cmd.prepare(c);
    const before = { ...threaded.context.decoder.stats };
    await c.send(cmd);
    // The lot (~30 KB) went to the thread; the search and retrieval below are small: decoded in-process.
    expect(threaded.context.decoder.stats.threaded).toBe(before.threaded + 1);
    const found = await c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }));
    const entry = found.documentEntries.find((e) => e.uniqueId === doc.uniqueId);
    expect(entry).toBeDefined();
    const got = await c.send(new RetrieveDocumentsCommand({ patient: FIXTURE_PATIENT, uniqueIds: [doc.uniqueId] }));
    expect(Buffer.from(got.documents[0]!.content).equals(doc.content)).toBe(true);
    expect(threaded.context.decoder.stats.inProcess).toBe(before.inProcess + 2);
  });

  it('a thread that dies: its lot is decoded in-process and answered, and the next ones too', async () => {
    expect(threaded.context.decoder.size).toBe(1);
    const c = client(threaded.baseUrl);
    const lots = await Promise.all(
      [fixtureVariant(), fixtureVariant()].map(async (doc) => {
        const cmd = new SubmitDocumentsCommand({ documents: [{ content: doc.content }] });
        await cmd.prepare(c);
        return { doc, cmd };
      }),
    );
    const before = { ...threaded.context.decoder.stats };
    // The thread is stopped while the first lot is on its way to it (a crash, as far as the pool can tell).
    const first = c.send(lots[0]!.cmd);
    await new Promise((r) => setTimeout(r, 5));
    await (threaded.context.decoder as unknown as { threads: Array<{ worker: { terminate(): Promise<number> } }> }).threads[0]!.worker.terminate();
    await first;
    await c.send(lots[1]!.cmd);
    expect(threaded.context.decoder.size).toBe(0);
    expect(threaded.context.decoder.stats.inProcess).toBeGreaterThan(before.inProcess);
    for (const { doc } of lots) expect(threaded.context.store.entriesByUniqueId(doc.uniqueId)).toHaveLength(1);
  });
});
