#!/usr/bin/env node
/**
 * Simulator benchmark (built dists; `pnpm bench:simulator` builds first). Prints:
 *  - ITI-41 lots/s and MB/s for 100 KB documents at concurrency 16 (requests signed beforehand: client-side signing is
 *    not measured), next to a loopback ceiling (a bare node:http server reading the same bodies, answering a small
 *    fixed response) and the ratio;
 *  - FindDocuments p50/p99 through HTTP on a store of 100,000 documents over 10,000 patients (seeded directly in
 *    SQLite through the store API);
 *  - peak RSS (VmHWM) of the simulator process.
 * The simulator and the ceiling server each run in their own process on 127.0.0.1.
 * BENCH_SIM_NODE_ARGS adds node options to the simulator process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`),
 * BENCH_SIM_SETTINGS simulator settings as JSON (e.g. `{"vihfMode":"lenient"}`), BENCH_SIM_DECODE_THREADS its decode threads
 * (default: the simulator's).
 */
import { createTestPki, DmpClient, FindDocumentsCommand, resolveDmpProfile, sha1Hex, SubmitDocumentsCommand, vihfOfProfile } from '@dmpkit/sdk';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SimulatorStore } from '../dist/index.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SERVE = join(HERE, '..', 'scripts', 'serve.mjs');
const FIXTURE = join(HERE, '..', '..', '..', 'fixtures', 'cda', 'valid', 'n1-pdf.xml');
const CONCURRENCY = 16;
const LOTS = Number(process.env.BENCH_LOTS ?? 320);
const WARMUP = 32;
const PATIENTS = 10_000;
const DOCS_PER_PATIENT = 10;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
const TARGETS = { ratio: 0.4, p99Ms: 20, rssMb: 300 };
const FIXTURE_INS = '100000000000047';
const OID = '1.2.250.1.213.1.4.10';

// The built-in simulator profile's VIHF identity (MAX LIBRE, médecin, DIRECTE), read in a clean environment (no
// profile file, no DMPKIT_ variable): the professional the default scenario authorizes.
const { profile: simulatorProfile } = await resolveDmpProfile({ profile: 'simulator', env: { HOME: join(tmpdir(), 'dmpkit-bench-no-home') } });
const DOCTOR = vihfOfProfile(simulatorProfile);

const log = (s) => process.stderr.write(`${s}\n`);

const SIM_NODE_ARGS = (process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter(Boolean);

const SIM_SETTINGS = [
  ...(process.env.BENCH_SIM_SETTINGS ? ['--settings', process.env.BENCH_SIM_SETTINGS] : []),
  ...(process.env.BENCH_SIM_DECODE_THREADS ? ['--decode-threads', process.env.BENCH_SIM_DECODE_THREADS] : []),
];

function startChild(args, script = SERVE) {
  const proc = spawn(process.execPath, [...SIM_NODE_ARGS, script, ...args, ...SIM_SETTINGS], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child did not start within 60 s')), 60_000);
    createInterface({ input: proc.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve({ proc, ...JSON.parse(l) });
    });
    proc.once('exit', (c) => reject(new Error(`child exited (${c}) before listening`)));
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.proc.exitCode !== null) return resolve();
    child.proc.once('exit', () => resolve());
    child.proc.kill('SIGTERM');
  });
}

/** Peak resident set of a process (Linux: VmHWM), in MB. */
function peakRssMb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A new N1 document of ~100 KB: the fixture with its own uniqueId and a larger PDF payload. */
let serial = 0;
const fixtureText = readFileSync(FIXTURE, 'utf8');
function document100k() {
  const uniqueId = `1.2.250.1.999.1.1.2.${process.pid}.${Date.now() % 1e9}.${++serial}`;
  const pdf = Buffer.from(/representation="B64">([^<]+)</.exec(fixtureText)[1], 'base64');
  const padded = Buffer.concat([pdf, Buffer.from(`%${randomBytes(55_000).toString('base64')}\n`)]).toString('base64');
  const text = fixtureText.replaceAll('1.2.250.1.999.1.1.1.1"', `${uniqueId}"`).replace(/representation="B64">[^<]+</, `representation="B64">${padded}<`);
  return Buffer.from(text);
}

function bodyOf(req) {
  return Buffer.concat(Array.isArray(req.body) ? req.body : [req.body]);
}

/** Sends prebuilt requests at a fixed concurrency over keep-alive; returns seconds and the statuses. */
async function blast(url, requests, concurrency) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map();
  let next = 0;
  const one = (r) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': r.contentType, 'content-length': r.body.byteLength }, timeout: 60_000 }, (res) => {
        const parts = [];
        res.on('data', (c) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8') }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(r.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const r = requests[next++];
        const res = await one(r);
        const key = `${res.status} ${/status="[^"]*:(\w+)"/.exec(res.body)?.[1] ?? ''}`.trim();
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, statuses: Object.fromEntries(statuses) };
}

// A bare node:http server: reads the whole body, answers a small fixed response. The loopback ceiling.
const CEILING_SERVER = `
import { createServer } from 'node:http';
const fixed = Buffer.from('<ok/>');
const s = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(200, { 'content-type': 'text/xml', 'content-length': fixed.length }); res.end(fixed); });
});
s.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: s.address().port }) + '\\n'));
process.on('SIGTERM', () => s.close(() => process.exit(0)));
`;

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A valid INS (NIR-style key: 97 - n mod 97) from a 13-digit number. */
function ins(n) {
  const base = `1${String(n).padStart(12, '0')}`;
  return `${base}${String(97n - (BigInt(base) % 97n)).padStart(2, '0')}`;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'dmpkit-bench-'));
  const pki = createTestPki();
  const results = {};
  try {
    // --- 1. ITI-41 throughput -------------------------------------------------------------------------------
    let sim = await startChild(['--data', dataDir]);
    const client = new DmpClient({ baseUrl: sim.baseUrl, vihf: DOCTOR, signing: pki.cps.credentials(), sourceId: '1.2.250.1.999.1.1.7898', transportOptions: { retry: { attempts: 1 } } });
    log(`building ${LOTS + WARMUP} signed ITI-41 lots of ~100 KB…`);
    const built = [];
    for (let i = 0; i < LOTS + WARMUP; i++) {
      const cmd = new SubmitDocumentsCommand({ documents: [{ content: document100k() }] });
      await cmd.prepare(client);
      const req = await client.build(cmd);
      built.push({ url: req.url, contentType: req.contentType, body: bodyOf(req) });
    }
    const url = built[0].url;
    const bytes = built.slice(WARMUP).reduce((n, r) => n + r.body.byteLength, 0);
    log('sending…');
    await blast(url, built.slice(0, WARMUP), CONCURRENCY);
    const simRun = await blast(url, built.slice(WARMUP), CONCURRENCY);
    const ceil = await startCeiling();
    const ceilUrl = `http://127.0.0.1:${ceil.port}${new URL(url).pathname}`;
    await blast(ceilUrl, built.slice(0, WARMUP), CONCURRENCY);
    const ceilRun = await blast(ceilUrl, built.slice(WARMUP), CONCURRENCY);
    await stopChild(ceil);
    const lotsPerSec = LOTS / simRun.seconds;
    const ceilPerSec = LOTS / ceilRun.seconds;
    results.iti41 = {
      lots: LOTS,
      meanLotKB: Math.round(bytes / LOTS / 1024),
      statuses: simRun.statuses,
      simulator: { lotsPerSec: +lotsPerSec.toFixed(1), MBps: +(bytes / 1e6 / simRun.seconds).toFixed(2) },
      ceiling: { lotsPerSec: +ceilPerSec.toFixed(1), MBps: +(bytes / 1e6 / ceilRun.seconds).toFixed(2) },
      ratio: +(lotsPerSec / ceilPerSec).toFixed(4),
      target: `>= ${TARGETS.ratio * 100}% of the ceiling`,
      met: lotsPerSec / ceilPerSec >= TARGETS.ratio,
    };
    log(JSON.stringify(results.iti41));
    const rssAfterSubmit = peakRssMb(sim.proc.pid);
    await stopChild(sim);

    // --- 2. seed 100,000 documents over 10,000 patients, straight into SQLite ---------------------------------
    log(`seeding ${PATIENTS * DOCS_PER_PATIENT} documents over ${PATIENTS} patients…`);
    const seedStarted = performance.now();
    const store = new SimulatorStore({ path: join(dataDir, 'dmp-simulator.sqlite') });
    const template = store.entriesOfPatient(FIXTURE_INS).find((e) => !e.isSignature);
    const templateSs = store.submissionSetsOfPatient(FIXTURE_INS)[0];
    if (!template || !templateSs) throw new Error('no submitted document to use as a template');
    const entryJson = JSON.stringify(template.entry);
    const ssJson = JSON.stringify(templateSs);
    const now = Date.now();
    const patientsIns = [];
    store.transaction(() => {
      for (let p = 0; p < PATIENTS; p++) {
        const id = ins(900_000 + p);
        patientsIns.push(id);
        store.upsertPatient({ ins: id, insOid: OID, internalId: `bench-${p}`, dmp: 'open', mesActivated: true, minor: false, opposedBrisDeGlace: false, opposedCentre15: false, maskedVisibleInEmergency: false });
        store.putAuthorization({ ins: id, psId: DOCTOR.nameId, status: 'valid', since: now, lastAction: now, medecinTraitant: false });
        const ss = { ...JSON.parse(ssJson.replaceAll(FIXTURE_INS, id)), entryUUID: `urn:uuid:${randomUUID()}`, uniqueId: `1.2.250.1.999.3.${p}` };
        const documents = [];
        for (let d = 0; d < DOCS_PER_PATIENT; d++) {
          const bytes = Buffer.from(`<bench patient="${id}" doc="${d}"/>`);
          const uuid = `urn:uuid:${randomUUID()}`;
          const entry = { ...JSON.parse(entryJson.replaceAll(FIXTURE_INS, id)), entryUUID: uuid, logicalId: uuid, uniqueId: `1.2.250.1.999.4.${p}.${d}`, hash: sha1Hex(bytes), size: bytes.byteLength };
          documents.push({ entry, lid: uuid, isSignature: false, content: { hash: entry.hash, size: bytes.byteLength, mimeType: entry.mimeType, bytes } });
        }
        store.saveSubmission({ ins: id, submissionSet: ss, documents, associations: [], deprecate: [], at: now });
      }
    });
    const entries = store.entryCount();
    store.close();
    log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${entries} entries in the store)`);

    // --- 3. FindDocuments latency through HTTP -----------------------------------------------------------------
    sim = await startChild(['--data', dataDir]);
    const qclient = new DmpClient({ baseUrl: sim.baseUrl, vihf: DOCTOR, signing: pki.cps.credentials(), sourceId: '1.2.250.1.999.1.1.7898', transportOptions: { retry: { attempts: 1 } } });
    log(`building ${QUERIES} signed FindDocuments queries…`);
    const queries = [];
    let seed = 12345;
    for (let i = 0; i < QUERIES + 50; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const req = await qclient.build(new FindDocumentsCommand({ patient: { ins: patientsIns[seed % PATIENTS], oid: OID } }));
      queries.push({ url: req.url, contentType: req.contentType, body: bodyOf(req) });
    }
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const latencies = [];
    let found = 0;
    for (let i = 0; i < queries.length; i++) {
      const q = queries[i];
      const t0 = performance.now();
      const body = await new Promise((resolve, reject) => {
        const req = request(q.url, { method: 'POST', agent, headers: { 'content-type': q.contentType, 'content-length': q.body.byteLength }, timeout: 10_000 }, (res) => {
          const parts = [];
          res.on('data', (c) => parts.push(c));
          res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
        req.end(q.body);
      });
      if (i >= 50) {
        latencies.push(performance.now() - t0);
        found += (body.match(/<(?:\w+:)?ExtrinsicObject\b/g) ?? []).length;
      }
    }
    agent.destroy();
    latencies.sort((a, b) => a - b);
    results.findDocuments = {
      store: { documents: entries, patients: PATIENTS },
      queries: QUERIES,
      meanEntriesPerAnswer: +(found / QUERIES).toFixed(2),
      p50Ms: +pct(latencies, 50).toFixed(2),
      p99Ms: +pct(latencies, 99).toFixed(2),
      target: `p99 < ${TARGETS.p99Ms} ms`,
      met: pct(latencies, 99) < TARGETS.p99Ms,
    };
    log(JSON.stringify(results.findDocuments));
    const rss = Math.max(rssAfterSubmit, peakRssMb(sim.proc.pid));
    results.simulatorPeakRssMb = { value: +rss.toFixed(1), duringSubmit: +rssAfterSubmit.toFixed(1), target: `< ${TARGETS.rssMb} MB`, met: rss < TARGETS.rssMb };
    await stopChild(sim);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

function startCeiling() {
  const proc = spawn(process.execPath, ['--input-type=module', '-e', CEILING_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout }).once('line', (l) => resolve({ proc, ...JSON.parse(l) }));
    proc.once('exit', (c) => reject(new Error(`ceiling server exited (${c})`)));
  });
}

await main();
