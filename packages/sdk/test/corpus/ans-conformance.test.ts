/**
 * ANS parity: `validate` on every document of the shared corpus gives the reference oracle's verdict
 * (Saxon-HE + the ANS ISO skeleton, recorded in the MANIFEST) and the same error and warning counts per
 * schematron. The DMP layer is ours and not part of the oracle: it is left out of the comparison.
 * Runs the built SDK so that documents are validated in worker threads as users run them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationReport } from '../../src/index.js';
import { CDA_CORPUS, CDA_RULESET, readCdaManifest, requireCdaCorpus, type CdaManifest } from '../support/corpus.js';

const present = requireCdaCorpus('ANS conformance');

describe.skipIf(!present)('ANS conformance on the shared corpus', () => {
  let manifest: CdaManifest;
  let report: ValidationReport;

  beforeAll(async () => {
    manifest = readCdaManifest();
    const sdk = await import('../../dist/index.js');
    const files = manifest.documents.map((d) => join(CDA_CORPUS, d.file));
    report = await sdk.validateFiles(files, {
      rules: CDA_RULESET,
      rulesCommit: manifest.sources[0]!.snapshot_commit,
      layers: ['xml', 'cda', 'xsd', 'schematron'],
      cacheDir: mkdtempSync(join(tmpdir(), 'dmpkit-cache-')),
    });
  }, 1_800_000);

  it('records which pack and commit judged', () => {
    expect(report.pack?.commit).toBe(manifest.sources[0]!.snapshot_commit);
    expect(report.pack?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.pack?.notes.some((n) => n.includes('case-insensitively'))).toBe(true);
  });

  it('gives the oracle verdict, XSD error count and per-schematron counts for every document', () => {
    const mismatches: string[] = [];
    manifest.documents.forEach((doc, i) => {
      const ours = report.documents[i]!;
      const ansErrors = ours.findings.filter((f) => f.severity === 'error' && f.layer !== 'dmp').length;
      const verdict = ansErrors > 0 ? 'invalid' : 'valid';
      if (verdict !== doc.oracle.verdict) mismatches.push(`${doc.file}: verdict ${verdict}, oracle ${doc.oracle.verdict}`);
      const xsd = ours.findings.filter((f) => f.layer === 'xsd').length;
      if (xsd !== doc.oracle.xsd.error_count) mismatches.push(`${doc.file}: ${xsd} XSD errors, oracle ${doc.oracle.xsd.error_count}`);
      // The oracle ran what each example's <?oxygen SCHSchema?> declares; we run the four generic layers and
      // the volet on every document, as real documents declare nothing. We must run at least what the oracle
      // ran, and whatever it did not run must find no error (or the verdicts would differ).
      const applied = ours.layers.filter((l) => l.layer === 'schematron' && l.applied);
      const expected = new Set(doc.schematrons_applied);
      for (const sch of expected) if (!applied.some((l) => l.name === sch)) mismatches.push(`${doc.file}: ${sch} not applied`);
      for (const extra of applied.filter((l) => !expected.has(l.name) && l.errors > 0)) {
        mismatches.push(`${doc.file}: ${extra.name} (not run by the oracle) finds ${extra.errors} errors`);
      }
      for (const [sch, counts] of Object.entries(doc.oracle.schematron)) {
        const run = ours.layers.find((l) => l.layer === 'schematron' && l.name === sch);
        if (!run || run.errors !== counts.errors || run.warnings !== counts.warnings) {
          const detail = ours.findings.filter((f) => f.schematron === sch).map((f) => `${f.ruleId}: ${f.message.slice(0, 160)}`);
          mismatches.push(`${doc.file} ${sch}: ${run?.errors}/${run?.warnings} ≠ oracle ${counts.errors}/${counts.warnings} ${detail.join(' | ')}`);
        }
      }
    });
    expect(mismatches).toEqual([]);
  });

  it('gives a lone document (XSD layer in its own worker, alongside the schematrons) the report a batch gives it', async () => {
    const sdk = await import('../../dist/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'dmpkit-lone-'));
    // An element the CDA schema does not allow, so that the XSD layer has findings to place.
    const source = join(CDA_CORPUS, manifest.documents[0]!.file);
    const broken = join(dir, 'xsd-invalid.xml');
    writeFileSync(broken, readFileSync(source, 'utf8').replace('<typeId ', '<bogusElement/><typeId '));
    const options = { rules: CDA_RULESET, layers: ['xml', 'cda', 'xsd', 'schematron', 'dmp'] as const, cacheDir: mkdtempSync(join(tmpdir(), 'dmpkit-cache-')), jobs: 2 };
    const strip = (d: ValidationReport['documents'][number]) => ({ ...d, durationMs: 0, layers: d.layers.map((l) => ({ ...l, durationMs: 0 })) });
    for (const file of [broken, source]) {
      const lone = (await sdk.validateFiles([file], options)).documents[0]!;
      const inBatch = (await sdk.validateFiles([file, source], options)).documents[0]!;
      expect(strip(lone)).toEqual(strip(inBatch));
    }
    const lone = (await sdk.validateFiles([broken], options)).documents[0]!;
    const xsd = lone.layers.find((l) => l.layer === 'xsd')!;
    expect(xsd.errors).toBeGreaterThan(0);
    expect(lone.findings.filter((f) => f.layer === 'xsd')).toHaveLength(xsd.errors);
    expect(lone.verdict).toBe('invalid');
  }, 300_000);

  it('finds the three invalid ANS examples for the reasons the oracle gives', () => {
    const invalid = manifest.documents.filter((d) => d.oracle.verdict === 'invalid').map((d) => d.file);
    expect(invalid).toHaveLength(3);
    for (const file of invalid) {
      const ours = report.documents.find((d) => d.file.endsWith(file))!;
      expect(ours.findings.some((f) => f.layer === 'schematron' && f.severity === 'error' && f.location.line! > 0)).toBe(true);
    }
  });
});
