import { cpSync, mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validateDocument, validateFile, ValidationContext, buildReport } from '../../src/validate/pipeline.js';
import { contentHash, RulePack, RulePackError } from '../../src/rules-pack/pack.js';
import type { DocumentReport } from '../../src/validate/finding.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const MINI_PACK = join(HERE, '../fixtures/mini-pack');
const HOSTILE = join(HERE, '../../../../fixtures/cda/hostile');
const tmp = mkdtempSync(join(tmpdir(), 'dmpkit-pipeline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const doc = (body: string) =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">\n${body}\n</ClinicalDocument>\n`);
const GOOD = `<realmCode code="FR"/>\n<code code="11488-4"/>\n<title>t</title>\n<effectiveTime value="20240101120000+0100"/>\n<confidentialityCode code="N"/>`;

const ansOnly = (opts: object = {}) => new ValidationContext({ rules: MINI_PACK, cacheDir: join(tmp, 'cache'), layers: ['xml', 'cda', 'xsd', 'schematron'], ...opts });
const ids = (r: DocumentReport) => r.findings.map((f) => f.ruleId.split('/')[0]);

describe('validation pipeline without a rule pack', () => {
  it('says plainly that the ANS layers were not applied', async () => {
    const ctx = new ValidationContext({ layers: ['xml', 'cda', 'xsd', 'schematron'] });
    const r = await validateDocument(doc(GOOD), 'a.xml', ctx);
    expect(r.verdict).toBe('valid');
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([['PACK-NONE', 'info']]);
    const skipped = r.layers.filter((l) => !l.applied).map((l) => `${l.layer}: ${l.reason}`);
    expect(skipped).toEqual(['xsd: no ANS rule pack configured', 'schematron: no ANS rule pack configured', 'dmp: not selected (--layers)']);
    expect(buildReport(ctx, [r]).pack).toBeNull();
  });
});

describe('validation pipeline with a rule pack', () => {
  it('runs XSD, the four generic layers and records the pack', async () => {
    const ctx = ansOnly();
    const r = await validateDocument(doc(GOOD), 'a.xml', ctx);
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.layers.filter((l) => l.layer === 'schematron').map((l) => l.name)).toEqual([
      'schematrons/profils/IHE.sch',
      'schematrons/profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch',
      'schematrons/profils/CI-SIS_ModelesDeContenusCDA.sch',
      'schematrons/profils/CI-SIS_Modeles_ANS.sch',
    ]);
    expect(r.volet?.reason).toBe('no CI-SIS volet templateId');
    const report = buildReport(ctx, [r]);
    expect(report.pack?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.pack?.root).toBe(MINI_PACK);
  });

  it('checks a code against a value set with the strings stored in the compiled pack, without parsing the value set', async () => {
    const jdv = (r: DocumentReport) => r.findings.filter((f) => f.message.includes('[JDV]')).map((f) => f.message);
    // The first context compiles the pack (and reads the value set to do so); the second finds it in the cache.
    expect(jdv(await validateDocument(doc(GOOD), 'a.xml', ansOnly({ cacheDir: join(tmp, 'cache-value-sets') })))).toEqual([]);
    const ctx = ansOnly({ cacheDir: join(tmp, 'cache-value-sets') });
    expect(jdv(await validateDocument(doc(GOOD), 'a.xml', ctx))).toEqual([]);
    expect(jdv(await validateDocument(doc(GOOD.replace('code="N"', 'code="V"')), 'b.xml', ctx))).toEqual(['[JDV] confidentialityCode V hors jeu de valeurs']);
    expect(ctx.pack!.documentSource.parsed()).toEqual([]);
    const { compiled, fromCache } = ctx.pack!.compiled('schematrons/profils/CI-SIS_ModelesDeContenusCDA.sch');
    expect(fromCache).toBe(true);
    expect(Object.entries(compiled.valueSetStrings ?? {}).map(([id, strings]) => [id.split('\u0000')[1], strings])).toEqual([['//svs:Concept/@code', ['N']]]);
    // The reference engine reads the value set itself, and comes to the same finding.
    const reference = ansOnly({ cacheDir: join(tmp, 'cache-value-sets'), engine: 'reference' });
    expect(jdv(await validateDocument(doc(GOOD.replace('code="N"', 'code="V"')), 'b.xml', reference))).toEqual(['[JDV] confidentialityCode V hors jeu de valeurs']);
    expect(reference.pack!.documentSource.parsed()).toHaveLength(1);
  });

  it('reports XSD errors with their line', async () => {
    const r = await validateDocument(doc('<title>t</title>'), 'b.xml', ansOnly());
    const xsd = r.findings.filter((f) => f.layer === 'xsd');
    expect(xsd).toHaveLength(1);
    expect(xsd[0]).toMatchObject({ ruleId: 'XSD', severity: 'error', location: { file: 'b.xml', line: 3 } });
    expect(xsd[0]!.message).toMatch(/title.*not expected/);
    expect(r.verdict).toBe('invalid');
  });

  it('reports schematron findings with severity from @role, location, XPath and filled messages', async () => {
    const r = await validateDocument(doc('<realmCode code="FR"/>\n<effectiveTime value="2024"/>\n<confidentialityCode code="V"/>'), 'c.xml', ansOnly());
    const sch = r.findings.filter((f) => f.layer === 'schematron' && f.severity !== 'info');
    const byId = Object.fromEntries(sch.map((f) => [f.ruleId.split('/')[0], f]));
    expect(byId['SMDS_Test']).toMatchObject({
      severity: 'warning',
      message: '(SMDS_Test): effectiveTime devrait être précis à la seconde. Trouvé : "2024"',
      location: { line: 4, column: 1, xpath: '/ClinicalDocument[1]/effectiveTime[1]' },
    });
    expect(byId['JDV']).toMatchObject({ severity: 'error', message: '[JDV] confidentialityCode V hors jeu de valeurs' });
    expect(sch.filter((f) => f.message.includes('titre'))).toHaveLength(3); // IHE, Modeles*, 3 layers
    expect(r.errors).toBe(4);
    expect(r.warnings).toBe(1);
  });

  it('applies the volet the caller forces, and says when it does not exist', async () => {
    const forced = await validateDocument(doc(GOOD.replace('11488-4', '11502-2')), 'd.xml', ansOnly({ volet: 'TEST-VOLET_2024.01' }));
    expect(forced.volet).toEqual({ schematron: 'schematrons/CI-SIS_TEST-VOLET_2024.01.sch', reason: 'requested with --volet' });
    expect(ids(forced)).toContain('CI-SIS_TEST-VOLET');
    const missing = await validateDocument(doc(GOOD), 'd.xml', ansOnly({ volet: 'NOPE_1' }));
    expect(missing.findings.find((f) => f.ruleId === 'PACK-VOLET-UNKNOWN')?.message).toMatch(/NOPE_1 is not in the rule pack/);
  });

  it('takes the volet from the oxygen instruction of an ANS example, by file name only', async () => {
    const xml = `<?xml version="1.0"?>\n<?oxygen SCHSchema="../../etc/CI-SIS_TEST-VOLET_2024.01.sch"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">${GOOD}</ClinicalDocument>`;
    const r = await validateDocument(Buffer.from(xml), 'e.xml', ansOnly());
    expect(r.volet?.schematron).toBe('schematrons/CI-SIS_TEST-VOLET_2024.01.sch');
  });

  it('caches compiled schematrons by content hash, so an edited pack is recompiled', async () => {
    const pack = join(tmp, 'pack-copy');
    cpSync(MINI_PACK, pack, { recursive: true });
    const cacheDir = join(tmp, 'cache2');
    const first = RulePack.open(pack, { cacheDir });
    expect(first.compiled('schematrons/profils/IHE.sch').fromCache).toBe(false);
    expect(RulePack.open(pack, { cacheDir }).compiled('schematrons/profils/IHE.sch').fromCache).toBe(true);
    writeFileSync(join(pack, 'jeuxDeValeurs/extra.xml'), '<x/>');
    const edited = RulePack.open(pack, { cacheDir });
    expect(edited.info.contentHash).not.toBe(first.info.contentHash);
    expect(edited.compiled('schematrons/profils/IHE.sch').fromCache).toBe(false);
    // The hash is remembered by file stats; an in-place edit of the same size still changes it.
    expect(RulePack.open(pack, { cacheDir }).info.contentHash).toBe(edited.info.contentHash);
    writeFileSync(join(pack, 'jeuxDeValeurs/extra.xml'), '<y/>');
    expect(RulePack.open(pack, { cacheDir }).info.contentHash).not.toBe(edited.info.contentHash);
    expect(RulePack.open(pack, { cacheDir }).info.contentHash).toBe(contentHash(pack));
  });

  it('refuses a directory that is not a rule pack, naming what is missing', async () => {
    expect(() => new ValidationContext({ rules: tmp })).toThrow(RulePackError);
    expect(() => new ValidationContext({ rules: tmp })).toThrow(/is not a TestContenuCDA rule pack: schematrons is missing/);
  });
});

describe('bad input through the pipeline', () => {
  const ctx = ansOnly();
  const cases: [string, string][] = [
    ['external-entity.xml', 'XML-DOCTYPE'],
    ['billion-laughs.xml', 'XML-DOCTYPE'],
    ['truncated.xml', 'XML-WELLFORMED'],
    ['empty.xml', 'XML-EMPTY'],
    ['invalid-utf8.xml', 'XML-ENCODING'],
    ['wrong-namespace.xml', 'CDA-ROOT'],
  ];
  for (const [file, rule] of cases) {
    it(`${file} → ${rule}, later layers say why they did not run`, async () => {
      const r = await validateFile(join(HOSTILE, file), ctx);
      expect(r.verdict).toBe('invalid');
      expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)).toContain(rule);
      if (rule !== 'CDA-ROOT') expect(r.layers.filter((l) => !l.applied).every((l) => l.reason === 'the file is not well-formed XML')).toBe(true);
    });
  }

  it('refuses a 50 MB file from its size, without reading it', async () => {
    const big = join(tmp, 'big.xml');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024); // sparse: costs no disk and no memory
    closeSync(fd);
    const r = await validateFile(big, ctx);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['XML-TOO-LARGE']);
    expect(r.findings[0]!.message).toMatch(/50\.0 MiB > 20\.0 MiB/);
  });

  it('reports a file that cannot be read as a finding of that document', async () => {
    const r = await validateFile(join(tmp, 'nope.xml'), ctx);
    expect(r).toMatchObject({ verdict: 'invalid', findings: [{ ruleId: 'XML-READ', message: expect.stringMatching(/ENOENT/) }] });
  });
});
