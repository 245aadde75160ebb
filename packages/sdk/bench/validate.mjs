#!/usr/bin/env node
// pnpm bench:validate — validation speed and memory on the shared ANS corpus, with the built SDK.
// Prints: pack compile time, cold time of one document (fresh process, compiled cache), batch throughput
// (documents/s), per-document median and p90, peak RSS. Reference figures (Java, Saxon-HE, warm): median
// 0.21 s per document, 49 s for a cold batch of 100 (shared/docs/corpus.md §4).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The validation entry point (@dmpkit/sdk/validate): what a validating process loads, without the DMP client modules.
const dist = join(here, '../dist/validate.js');
const corpus = process.env.DMPKIT_CORPUS ? resolve(process.env.DMPKIT_CORPUS) : resolve(here, '../../../../shared/corpus');
const cda = join(corpus, 'cda');
if (!existsSync(join(cda, 'MANIFEST.json'))) {
  console.log(`bench:validate: no corpus at ${cda} (set DMPKIT_CORPUS); nothing measured.`);
  process.exit(0);
}
if (!existsSync(dist)) {
  console.error('bench:validate: build the SDK first (pnpm build)');
  process.exit(2);
}
const sdk = await import(dist);
const manifest = JSON.parse(readFileSync(join(cda, 'MANIFEST.json'), 'utf8'));
const rules = join(cda, 'ruleset');
const docs = manifest.documents.map((d) => join(cda, d.file));
const batchSize = Number(process.env.BENCH_BATCH ?? 100);
const batch = Array.from({ length: batchSize }, (_, i) => docs[i % docs.length]);
const cacheDir = mkdtempSync(join(tmpdir(), 'dmpkit-bench-'));
const jobs = Number(process.env.BENCH_JOBS ?? availableParallelism());

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

try {
  let t = performance.now();
  const compiled = await sdk.compileRulePack(rules, { cacheDir });
  const compileMs = performance.now() - t;

  // One document, cold: a fresh node process, compiled pack in the cache, default jobs (as `dmp validate one.xml`
  // runs it: the XSD layer in a worker alongside the schematrons when there is a core to spare).
  const one = docs.find((d) => d.endsWith('BIO-TROD_2024.01_Angine.xml')) ?? docs[0];
  const script = `const s=await import(${JSON.stringify(dist)});const r=await s.validateFiles([${JSON.stringify(one)}],{rules:${JSON.stringify(rules)},cacheDir:${JSON.stringify(cacheDir)}});process.stdout.write(r.documents[0].verdict);`;
  t = performance.now();
  const verdict = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const coldOneMs = performance.now() - t;

  // Batch, as CI runs it: workers across cores, each compiling its XPath on first use.
  t = performance.now();
  const cpu0 = process.cpuUsage();
  const report = await sdk.validateFiles(batch, { rules, cacheDir, jobs, layers: ['xml', 'cda', 'xsd', 'schematron', 'dmp'] });
  const batchMs = performance.now() - t;
  // CPU of this process and its worker threads: less sensitive than wall time to other jobs on the machine.
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const per = report.documents.map((d) => d.durationMs);
  const rssMiB = process.resourceUsage().maxRSS / 1024;

  console.log(`dmpkit ${sdk.SDK_VERSION} — ${batch.length} documents (${docs.length} distinct ANS examples), ${jobs} worker(s), Node ${process.version}`);
  console.log(`pack compile (${compiled.schematrons.length} schematrons, cold cache):  ${fmt(compileMs)}`);
  console.log(`one document cold (fresh process, compiled cache):  ${fmt(coldOneMs)}  [${one.split('/').pop()}: ${verdict}]`);
  console.log(`batch wall time:                                    ${fmt(batchMs)}`);
  console.log(`throughput:                                         ${(batch.length / (batchMs / 1000)).toFixed(2)} documents/s`);
  console.log(`batch CPU time (main + workers):                     ${fmt(cpuMs)}  (${(batch.length / (cpuMs / 1000)).toFixed(2)} documents per CPU-second)`);
  console.log(`per document (in its worker): median ${fmt(pct(per, 50))}, p90 ${fmt(pct(per, 90))}, max ${fmt(Math.max(...per))}`);
  console.log(`peak RSS (main + workers):                          ${rssMiB.toFixed(0)} MiB`);
  console.log(`verdicts: ${report.summary.valid} valid, ${report.summary.invalid} invalid`);
  console.log(`reference (Java Saxon-HE, warm): median 210 ms/document; cold batch of 100: 49 s (2.04 documents/s)`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
