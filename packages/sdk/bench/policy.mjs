#!/usr/bin/env node
// pnpm bench:policy — speed of the access-policy evaluator, on the built SDK (dist), on one core.
// Prints: time to load the SDK module and compile the shipped matrices, time to parse and compile a full-size
// official document-type matrix (synthetic CSV of every JDV_J66 type × every JDV_J65 profession), and
// decisions per second on a realistic mix of requests (mostly document consultations, some searches,
// deposits, management actions and emergency accesses; a few blocked actors and closed DMPs).
// Target: over 1,000,000 decisions per second.
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../dist/index.js');
if (!existsSync(dist)) {
  console.error('bench:policy: build the SDK first (pnpm build)');
  process.exit(2);
}

let t = performance.now();
const sdk = await import(dist);
const importMs = performance.now() - t;

t = performance.now();
const policy = sdk.compilePolicy();
const compileMs = performance.now() - t;

// A full-size official table: every JDV_J66 typeCode × every profession column, as `dmp matrix import` reads it.
const types = sdk.SHIPPED_DOCUMENT_MATRIX.documentTypes.map((d) => d.typeCode);
const columns = sdk.SHIPPED_DOCUMENT_MATRIX.columns.filter((c) => !c.qualifier).map((c) => c.id);
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const csv = ['# version: bench', ['typeCode', ...columns].join(','), ...types.map((tc) => [tc, ...columns.map(() => (rand() < 0.7 ? 'R' : '-'))].join(','))].join('\n');
t = performance.now();
const imported = sdk.parseDocumentMatrixCsv(csv, { file: 'bench.csv', sha256: '0' });
const fullPolicy = sdk.compilePolicy({ documentMatrix: imported.matrix });
const fullMs = performance.now() - t;

// --- the mix ------------------------------------------------------------------------------------------------
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const weighted = (pairs) => {
  let r = rand() * pairs.reduce((s, [w]) => s + w, 0);
  for (const [w, v] of pairs) if ((r -= w) < 0) return v;
  return pairs[pairs.length - 1][1];
};
const actors = [
  [30, { authMode: 'DIRECTE', card: 'CPS', profession: '10', specialty: 'SM26', id: 'ps-1', structureId: 'st-1' }],
  [8, { authMode: 'DIRECTE', card: 'CPS', profession: '10', specialty: 'SM26', medecinTraitant: true, id: 'ps-2', structureId: 'st-1' }],
  [15, { authMode: 'DIRECTE', card: 'CPS', profession: '60', id: 'ps-3', structureId: 'st-2' }],
  [10, { authMode: 'DIRECTE', card: 'CPS', profession: '21', specialty: 'A', id: 'ps-4', structureId: 'st-3' }],
  [8, { authMode: 'DIRECTE', card: 'CPS', profession: '70', id: 'ps-5', structureId: 'st-4' }],
  [4, { authMode: 'DIRECTE', card: 'CPS', profession: '40', id: 'ps-6', structureId: 'st-5' }],
  [5, { authMode: 'DIRECTE', card: 'CPE', profession: 'SECRETARIAT_MEDICAL', professionSystem: 'A00', id: 'cpe-1', structureId: 'st-1' }],
  [15, { authMode: 'INDIRECTE', id: 'sys-1', structureId: 'st-6' }],
  [2, { authMode: 'INDIRECTE_RENFORCEE', card: 'CPS', profession: '10', specialty: 'SM26', id: 'ps-7' }],
  [3, { authMode: 'DIRECTE', card: 'CPS', profession: '10', specialty: 'SM25', id: 'ps-8' }],
];
const patients = [
  [80, { dmp: 'open', authorization: 'valid', mesActivated: true }],
  [6, { dmp: 'open', authorization: 'none', mesActivated: true }],
  [3, { dmp: 'open', authorization: 'expired' }],
  [3, { dmp: 'open', authorization: 'valid', blocked: true }],
  [3, { dmp: 'closed' }],
  [2, { dmp: 'absent' }],
  [3, { dmp: 'open', authorization: 'valid', opposedBrisDeGlace: true, opposedCentre15: true, minor: true }],
];
const actions = [
  [60, 'TD3.2'],
  [12, 'TD3.1-META'],
  [10, 'TD2.1'],
  [5, 'TD0.2'],
  [3, 'TD3.1-REF'],
  [3, 'TD3.3a-MASK'],
  [3, 'TD3.3c-DELETE'],
  [2, 'TD3.3d-ARCHIVE'],
  [2, 'TD0.3-AUTHORIZE'],
];
const modes = [
  [90, 'normal'],
  [5, 'bris_de_glace'],
  [5, 'centre_15'],
];
const confidentiality = [
  [80, ['N']],
  [10, ['N', 'MASQUE_PS']],
  [6, ['N', 'INVISIBLE_PATIENT']],
  [4, ['N', 'INVISIBLE_REPRESENTANTS_LEGAUX']],
];
const statuses = [
  [85, 'approved'],
  [8, 'archived'],
  [5, 'deprecated'],
  [2, 'deleted'],
];
const knownTypes = [...new Set(sdk.SHIPPED_DOCUMENT_MATRIX.cells.map((c) => c.typeCode))];
const now = Date.parse('2025-06-01T10:00:00Z');
const N = 8192;
const requests = [];
for (let i = 0; i < N; i++) {
  const actor = weighted(actors);
  const document = {
    typeCode: rand() < 0.4 ? pick(knownTypes) : pick(types),
    confidentiality: weighted(confidentiality),
    status: weighted(statuses),
    authorIds: [rand() < 0.2 ? actor.id : 'someone-else'],
    authorStructureIds: [rand() < 0.3 ? actor.structureId : 'st-other'],
  };
  requests.push({ action: weighted(actions), actor, patient: weighted(patients), mode: weighted(modes), document, time: now });
}

function run(p, ms) {
  let n = 0;
  let sink = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < N; i++) sink += p.evaluate(requests[i]).rules.length;
    n += N;
  }
  return { n, sink };
}

const counts = { allow: 0, deny: 0, unknown: 0 };
for (const r of requests) counts[policy.evaluate(r).raw]++;
run(policy, 300); // warm-up: JIT and the unknown-cell caches

const rates = [];
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  const { n } = run(policy, 1000);
  rates.push(n / ((performance.now() - start) / 1000));
}
rates.sort((a, b) => a - b);
run(fullPolicy, 300);
const fullStart = performance.now();
const full = run(fullPolicy, 1000);
const fullRate = full.n / ((performance.now() - fullStart) / 1000);

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const pct = (x) => `${((100 * x) / N).toFixed(0)}%`;
console.log(`dmpkit ${sdk.SDK_VERSION} policy bench — Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one core (main thread)`);
console.log(`load the SDK module (dist/index.js):                  ${importMs.toFixed(1)} ms`);
console.log(`compile the shipped matrices (compilePolicy):         ${compileMs.toFixed(2)} ms`);
console.log(`parse + compile a full ${types.length}×${columns.length} official table (CSV): ${fullMs.toFixed(2)} ms`);
console.log(`mix: ${N} requests — raw decisions ${pct(counts.allow)} allow, ${pct(counts.deny)} deny, ${pct(counts.unknown)} unknown (shipped partial matrix)`);
console.log(`decisions per second, shipped matrices:    median ${fmt(rates[2])}  (min ${fmt(rates[0])}, max ${fmt(rates[4])})`);
console.log(`decisions per second, full imported table:        ${fmt(fullRate)}`);
console.log(`target 1,000,000 per second: ${rates[2] >= 1_000_000 ? 'met' : 'NOT met'}`);
