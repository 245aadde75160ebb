/**
 * The fast schematron engine (indexed dispatch, rewritten tests, tests compiled to JavaScript, grouped
 * evaluations) against the straightforward reference engine (every test as ANS wrote it, one XPath evaluation
 * per check): same findings — rule, severity, line and message — on the corpus. The reference engine is slow,
 * so CI runs it on a sample that holds the three invalid examples and one document in six;
 * DMPKIT_PARITY_ALL=1 runs every document.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../src/index.js';
import { CDA_CORPUS, CDA_RULESET, readCdaManifest, requireCdaCorpus } from '../support/corpus.js';

const present = requireCdaCorpus('engine parity');

describe.skipIf(!present)('fast engine = reference engine on the corpus', () => {
  const reports: Partial<Record<'fast' | 'reference', ValidationReport>> = {};
  let files: string[] = [];

  beforeAll(async () => {
    const manifest = readCdaManifest();
    const all = process.env.DMPKIT_PARITY_ALL === '1';
    files = manifest.documents.filter((d, i) => all || d.oracle.verdict === 'invalid' || i % 6 === 0).map((d) => join(CDA_CORPUS, d.file));
    const sdk = await import('../../dist/index.js');
    const cacheDir = mkdtempSync(join(tmpdir(), 'dmpkit-parity-'));
    for (const engine of ['fast', 'reference'] as const) {
      reports[engine] = await sdk.validateFiles(files, { rules: CDA_RULESET, layers: ['xml', 'cda', 'schematron'], cacheDir, engine });
    }
  }, 1_800_000);

  it('runs on a sample that holds invalid documents', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(reports.fast!.documents.filter((d) => d.verdict === 'invalid').length).toBeGreaterThanOrEqual(3);
  });

  it('names the reference engine in the report it judged', () => {
    expect(reports.reference!.pack?.engine).toBe('reference');
    expect(reports.fast!.pack?.engine).toBeUndefined();
  });

  it('gives the same findings, document by document', () => {
    const key = (f: { ruleId: string; severity: string; schematron?: string; message: string; location: { line?: number; xpath?: string } }) =>
      `${f.schematron} ${f.severity} ${f.ruleId} L${f.location.line} ${f.location.xpath} ${f.message}`;
    const diffs: string[] = [];
    reports.fast!.documents.forEach((fast, i) => {
      const ref = reports.reference!.documents[i]!;
      const a = fast.findings.filter((f) => f.layer === 'schematron').map(key).sort();
      const b = ref.findings.filter((f) => f.layer === 'schematron').map(key).sort();
      if (fast.verdict !== ref.verdict) diffs.push(`${fast.file}: verdict ${fast.verdict} (fast) ≠ ${ref.verdict} (reference)`);
      for (const x of a.filter((k) => !b.includes(k))) diffs.push(`${fast.file}: only fast: ${x.slice(0, 200)}`);
      for (const x of b.filter((k) => !a.includes(k))) diffs.push(`${fast.file}: only reference: ${x.slice(0, 200)}`);
    });
    expect(diffs).toEqual([]);
  });
});
