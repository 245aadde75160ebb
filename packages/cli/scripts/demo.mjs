#!/usr/bin/env node
// The README's main job: run the built `dmp` on the sample documents as a user would, show what it prints,
// and check it behaved as designed (exit 1, at least one valid and one invalid verdict).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'bin', 'dmp.js');
const dirs = ['fixtures/cda/valid', 'fixtures/cda/invalid'];
const args = ['validate', ...dirs];

console.log(`$ dmp ${args.join(' ')}\n`);
const env = { ...process.env };
// Keep the colours the user would see at a terminal even though we capture the output to check it.
if (process.stdout.isTTY && !env.NO_COLOR) env.FORCE_COLOR = '1';
const run = spawnSync(process.execPath, [bin, ...args], { cwd: repo, env, encoding: 'utf-8' });
if (run.error) {
  console.error(`demo: could not run ${bin}: ${run.error.message}`);
  process.exit(2);
}
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);

const plain = run.stdout.replace(/\u001b\[[0-9;]*m/g, '');
const verdicts = [...plain.matchAll(/^([✔✘]) (.+?)  (valid|invalid)  /gmu)].map((m) => ({ file: m[2], verdict: m[3] }));
const valid = verdicts.filter((v) => v.verdict === 'valid').length;
const invalid = verdicts.filter((v) => v.verdict === 'invalid').length;

console.log(`\n(exit code ${run.status})`);
if (run.status === 1) {
  console.log('Exit 1 is expected: fixtures/cda/invalid holds documents built to fail, so dmp reports them and fails the run, as it would in CI.');
}

// A sample whose verdict disagrees with its folder is worth flagging, though the demo's contract is the one below.
for (const v of verdicts) {
  const expected = v.file.startsWith('fixtures/cda/valid/') ? 'valid' : v.file.startsWith('fixtures/cda/invalid/') ? 'invalid' : undefined;
  if (expected && v.verdict !== expected) console.log(`note: ${v.file} was found ${v.verdict}, its folder says ${expected}.`);
}

const problems = [];
if (run.status !== 1) problems.push(`dmp exited ${run.status}, expected 1`);
if (valid === 0) problems.push('no document was found valid');
if (invalid === 0) problems.push('no document was found invalid');
if (problems.length > 0) {
  console.error(`demo failed: ${problems.join('; ')}.`);
  process.exit(1);
}
console.log(`demo ok: ${valid} valid and ${invalid} invalid document${invalid === 1 ? '' : 's'}, exit code 1.`);
