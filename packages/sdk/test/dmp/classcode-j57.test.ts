/**
 * DMP-CLASSCODE-J57 guards against a typeCode → classCode table that maps to a class the DMP does not
 * accept (e.g. 99 "Document technique" of J06). No current ASS_X04 row does, so the table is mocked here.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/terminology/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/terminology/index.js')>();
  return {
    ...real,
    classCodeForTypeCode: (code: string, system: string) =>
      code === '11488-4'
        ? { code: '99', system: '1.2.250.1.213.1.1.4.1', display: 'Document technique', table: { id: 'mock', version: '0' } }
        : real.classCodeForTypeCode(code, system),
  };
});

const { BASE_XML, run, ruleIds } = await import('./helpers.js');

describe('DMP-CLASSCODE-J57', () => {
  it('triggers when the derived classCode is not in JDV_J57', () => {
    const findings = run(BASE_XML);
    expect(ruleIds(findings)).toContain('DMP-CLASSCODE-J57');
    const f = findings.find((x) => x.ruleId === 'DMP-CLASSCODE-J57')!;
    expect(f.severity).toBe('error');
    expect(f.messageEn).toContain('classCode 99 derived from document type 11488-4');
    expect(f.location.xpath).toBe('/ClinicalDocument[1]/code[1]');
  });

  it('does not trigger for a class in J57', () => {
    const xml = BASE_XML.replace(/<code code="11488-4"[^>]*\/>/, '<code code="SYNTH" displayName="Synthèse" codeSystem="1.2.250.1.213.1.1.4.12"/>');
    expect(ruleIds(run(xml))).not.toContain('DMP-CLASSCODE-J57');
  });
});
