import { describe, expect, it } from 'vitest';
import { artifactUri, buildSarif, formatSarif, SARIF_SCHEMA } from '../../src/index.js';
import { expectGolden } from './golden.js';
import { noPackReport, packReport } from './reports.js';

const CWD = '/work/project';
const LEVELS = ['none', 'note', 'warning', 'error'];

/**
 * The SARIF 2.1.0 requirements our consumers (GitHub code scanning, GitLab, SARIF viewers) rely on,
 * checked on the parsed output rather than on our own types.
 */
function checkSarif(log: any): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, what: string) => {
    if (!ok) problems.push(what);
  };
  need(typeof log.$schema === 'string' && log.$schema.includes('sarif'), '$schema');
  need(log.version === '2.1.0', 'version 2.1.0');
  need(Array.isArray(log.runs) && log.runs.length === 1, 'exactly one run');
  const run = log.runs?.[0] ?? {};
  const driver = run.tool?.driver ?? {};
  need(driver.name === 'dmpkit', 'tool.driver.name');
  need(typeof driver.version === 'string', 'tool.driver.version');
  need(/^https?:\/\//.test(driver.informationUri ?? ''), 'tool.driver.informationUri is an absolute URI');
  const rules: any[] = driver.rules ?? [];
  need(new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids are unique');
  for (const r of rules) {
    need(typeof r.id === 'string' && r.id.length > 0, 'rule.id');
    need(typeof r.shortDescription?.text === 'string' && r.shortDescription.text.length > 0, `rule ${r.id} shortDescription.text`);
    need(LEVELS.includes(r.defaultConfiguration?.level), `rule ${r.id} defaultConfiguration.level`);
  }
  need(Array.isArray(run.invocations) && typeof run.invocations[0]?.executionSuccessful === 'boolean', 'invocations[0].executionSuccessful');
  for (const [i, res] of (run.results ?? []).entries()) {
    const at = `results[${i}]`;
    need(typeof res.message?.text === 'string' && res.message.text.length > 0, `${at}.message.text`);
    need(['note', 'warning', 'error'].includes(res.level), `${at}.level`);
    need(rules[res.ruleIndex]?.id === res.ruleId, `${at}.ruleIndex points at its ruleId`);
    for (const loc of res.locations ?? []) {
      const pl = loc.physicalLocation;
      const uri: string = pl?.artifactLocation?.uri ?? '';
      need(uri.length > 0 && !uri.includes('\\') && !/\s/.test(uri), `${at} artifactLocation.uri is a URI`);
      need(run.artifacts?.[pl.artifactLocation.index]?.location?.uri === uri, `${at} artifactLocation.index matches`);
      if (pl.region) {
        need(Number.isInteger(pl.region.startLine) && pl.region.startLine >= 1, `${at} region.startLine >= 1`);
        if (pl.region.startColumn !== undefined) need(pl.region.startColumn >= 1, `${at} region.startColumn >= 1`);
      }
      for (const ll of loc.logicalLocations ?? []) need(typeof ll.fullyQualifiedName === 'string', `${at} logicalLocation name`);
    }
  }
  return problems;
}

describe('formatSarif', () => {
  it('matches the golden files', () => {
    expectGolden('pack.sarif.json', formatSarif(packReport(), { cwd: CWD }));
    expectGolden('no-pack.sarif.json', formatSarif(noPackReport(), { cwd: CWD }));
  });

  it('meets the SARIF 2.1.0 structural requirements', () => {
    for (const report of [packReport(), noPackReport()]) {
      const log = JSON.parse(formatSarif(report, { cwd: CWD }));
      expect(checkSarif(log)).toEqual([]);
      expect(log.$schema).toBe(SARIF_SCHEMA);
    }
  });

  it('the checker itself catches broken logs', () => {
    const log = JSON.parse(formatSarif(packReport(), { cwd: CWD }));
    log.runs[0].results[0].level = 'fatal';
    log.runs[0].results[1].ruleIndex = 999;
    delete log.runs[0].tool.driver.rules[0].defaultConfiguration;
    expect(checkSarif(log)).toHaveLength(3);
  });

  it('maps severities to levels and emits one result per finding', () => {
    const report = packReport();
    const results = buildSarif(report, { cwd: CWD }).runs[0]!.results;
    expect(results).toHaveLength(report.documents.reduce((n, d) => n + d.findings.length, 0));
    const level = (id: string) => results.find((r) => r.ruleId === id)?.level;
    expect(level('ANS-CISIS-0107')).toBe('error');
    expect(level('ANS-IHE-0042')).toBe('warning');
    expect(level('PACK-VOLET-UNKNOWN')).toBe('note');
  });

  it('locates results by file position and by XPath', () => {
    const results = buildSarif(packReport(), { cwd: CWD }).runs[0]!.results;
    const ins = results.find((r) => r.ruleId === 'DMP-INS-001')!;
    expect(ins.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/cda/invalid/sans-ins%20%26%20%22co%22%20%3C1%3E.xml', index: 2 },
      region: { startLine: 22, startColumn: 9 },
    });
    expect(ins.locations[0]!.logicalLocations).toEqual([
      { fullyQualifiedName: '/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/id[1]/@root', kind: 'attribute' },
    ]);
    const noLine = results.find((r) => r.ruleId === 'ANS-IHE-0007')!;
    expect(noLine.locations[0]!.physicalLocation.region).toBeUndefined();
    expect(noLine.locations[0]!.logicalLocations?.[0]?.kind).toBe('element');
  });

  it('describes our rules from the rule table and ANS rules by their schematron', () => {
    const rules = buildSarif(noPackReport(), { cwd: CWD }).runs[0]!.tool.driver.rules;
    const cdaRoot = rules.find((r) => r.id === 'CDA-ROOT')!;
    expect(cdaRoot.defaultConfiguration.level).toBe('error');
    expect(cdaRoot.shortDescription.text).toContain('The root element must be ClinicalDocument');
    expect(cdaRoot.shortDescription.text).not.toContain('{found}');
    expect(cdaRoot.help?.text).toContain('Source: HL7 CDA R2; CI-SIS §4.1');
    expect(rules.find((r) => r.id === 'PACK-NONE')!.defaultConfiguration.level).toBe('note');

    const ans = buildSarif(packReport(), { cwd: CWD }).runs[0]!.tool.driver.rules.find((r) => r.id === 'ANS-IHE-0042')!;
    expect(ans.shortDescription.text).toContain('schematrons/profils/IHE.sch');
    expect(ans.defaultConfiguration.level).toBe('warning');
  });

  it('records the pack in the invocation properties', () => {
    const inv = (r: ReturnType<typeof packReport>) => buildSarif(r, { cwd: CWD }).runs[0]!.invocations[0]!.properties;
    expect(inv(packReport()).rulePack).toMatchObject({ root: '/opt/ans/TestContenuCDA-3-0', commit: expect.any(String) });
    expect(inv(noPackReport()).rulePack).toBeNull();
  });

  it('makes artifact URIs relative to cwd, absolute file URIs outside it', () => {
    expect(artifactUri('a/b.xml', CWD)).toBe('a/b.xml');
    expect(artifactUri('/work/project/a/é b.xml', CWD)).toBe('a/%C3%A9%20b.xml');
    expect(artifactUri('../other/c.xml', CWD)).toBe('file:///work/other/c.xml');
  });
});
