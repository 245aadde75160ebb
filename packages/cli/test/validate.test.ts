/**
 * `dmp validate` end to end on small documents written here: exit codes 0 and 1, every report format,
 * --output files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS, expectGolden, normalize, requireBuiltCli, sandbox, writeFakePack, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeAll(() => {
  requireBuiltCli();
  sb = sandbox();
  sb.write('docs/not-cda.xml', DOCS.notCda);
  sb.write('docs/sub/broken.xml', DOCS.malformed);
  sb.write('docs/sub/ignored.txt', 'not xml');
  sb.write('other/NOT-CDA-UPPER.XML', DOCS.notCda);
  sb.write('clean/minimal.xml', DOCS.minimalCda);
});
afterAll(() => sb.cleanup());

describe('dmp validate', () => {
  it('exits 1 on invalid documents and prints the text report (golden)', () => {
    const r = sb.run(['validate', 'docs']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('CDA-ROOT');
    expect(r.stdout).toContain('XML-WELLFORMED');
    expectGolden('validate-text.txt', normalize(r.stdout, sb.dir));
    // Not a TTY: no progress line, no escape sequences.
    expect(r.stderr).not.toMatch(/\r|\u001b/);
    expect(r.stdout).not.toMatch(/\u001b/);
  });

  it('expands directories, globs and files into one sorted, de-duplicated list', () => {
    const r = sb.run(['--json', 'validate', 'docs/sub/broken.xml', 'docs', 'docs/**/*.xml', './docs/not-cda.xml', 'other']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).documents.map((d: { file: string }) => d.file)).toEqual([
      'docs/not-cda.xml',
      'docs/sub/broken.xml',
      'other/NOT-CDA-UPPER.XML',
    ]);
  });

  it('exits 0 when nothing reaches the threshold', () => {
    // Only the xml and cda layers: a bare CDA root passes both.
    const r = sb.run(['validate', '--layers', 'xml,cda', 'clean']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('✔ clean/minimal.xml  valid');
    expect(r.stderr).not.toContain('failed:');
  });

  it('--format json is the ValidationReport', () => {
    const r = sb.run(['validate', '--format', 'json', 'docs']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['tool', 'pack', 'summary', 'documents']);
    expect(report.tool.name).toBe('dmpkit');
    expect(report.pack).toBeNull();
    expect(report.summary).toMatchObject({ documents: 2, valid: 0, invalid: 2 });
    expect(report.summary.errors).toBeGreaterThanOrEqual(2);
    for (const doc of report.documents) {
      expect(doc).toMatchObject({ verdict: 'invalid', file: expect.any(String), findings: expect.any(Array), layers: expect.any(Array) });
      for (const f of doc.findings) {
        expect(f).toMatchObject({ ruleId: expect.any(String), severity: expect.stringMatching(/^(error|warning|info)$/), location: { file: doc.file } });
      }
    }
    const ruleIds = report.documents.flatMap((d: { findings: { ruleId: string }[] }) => d.findings.map((f) => f.ruleId));
    expect(ruleIds).toEqual(expect.arrayContaining(['CDA-ROOT', 'XML-WELLFORMED']));
    // The summary still reaches the person, on stderr; stdout stays pure JSON.
    expect(r.stderr).toContain('2 documents: 0 valid, 2 invalid');
  });

  it('--output writes junit and sarif files, with the summary on stderr', () => {
    const junit = sb.run(['validate', 'docs', '--format', 'junit', '--output', 'report.xml']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toBe('');
    expect(junit.stderr).toContain('junit report written to report.xml');
    const xml = readFileSync(join(sb.dir, 'report.xml'), 'utf-8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuite name="dmpkit validate" tests="2" failures="2"/);
    expect(xml).toContain('<testcase name="docs/not-cda.xml"');

    const sarif = sb.run(['validate', 'docs', '--format', 'sarif', '-o', 'report.sarif']);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(readFileSync(join(sb.dir, 'report.sarif'), 'utf-8'));
    expect(log.version).toBe('2.1.0');
    const uris = log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(expect.arrayContaining(['docs/not-cda.xml', 'docs/sub/broken.xml']));
  });

  it('--fail-on warning and --max-warnings never turn a clean run into a failure by themselves', () => {
    const r = sb.run(['validate', '--layers', 'xml,cda', '--fail-on', 'warning', '--max-warnings', '0', 'clean/minimal.xml']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('--max-size rejects a larger document as a finding of that document', () => {
    const r = sb.run(['--json', 'validate', '--max-size', '10', 'docs/not-cda.xml']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).documents[0].findings.map((f: { ruleId: string }) => f.ruleId)).toContain('XML-TOO-LARGE');
  });

  it('--no-color and NO_COLOR keep colour off even when forced', () => {
    expect(sb.run(['validate', 'docs'], { FORCE_COLOR: '1' }).stdout).toMatch(/\u001b\[/);
    expect(sb.run(['--no-color', 'validate', 'docs'], { FORCE_COLOR: '1' }).stdout).not.toMatch(/\u001b/);
    expect(sb.run(['validate', 'docs'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(/\u001b/);
  });

  it('text --output writes the report without colour and keeps stdout empty', () => {
    const r = sb.run(['validate', 'docs', '--output', 'report.txt'], { FORCE_COLOR: '1' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(existsSync(join(sb.dir, 'report.txt'))).toBe(true);
    expect(readFileSync(join(sb.dir, 'report.txt'), 'utf-8')).not.toMatch(/\u001b/);
  });

  it('names the rule pack that judged, from --rules or DMPKIT_RULES', () => {
    const root = writeFakePack(sb, 'pack');
    const json = sb.run(['--json', 'validate', '--rules', 'pack', 'clean']);
    const report = JSON.parse(json.stdout);
    expect(report.pack).toMatchObject({ root, contentHash: expect.stringMatching(/^[0-9a-f]{12,}$/) });
    // The xsd and schematron layers ran for the document.
    const ran = report.documents[0].layers.filter((l: { applied: boolean }) => l.applied).map((l: { layer: string }) => l.layer);
    expect(ran).toEqual(expect.arrayContaining(['xsd', 'schematron']));

    const text = sb.run(['validate', 'clean'], { DMPKIT_RULES: 'pack' });
    expect(text.stdout).toContain(`ANS rule pack: ${root} (hash ${report.pack.contentHash.slice(0, 12)})`);
  });
});
