import { describe, expect, it } from 'vitest';
import type * as slimdom from 'slimdom';
import { formatJunit, parseXml } from '../../src/index.js';
import { expectGolden } from './golden.js';
import { noPackReport, packReport } from './reports.js';

function elements(parent: slimdom.Node, name: string): slimdom.Element[] {
  return (parent as slimdom.Element).children.filter((c) => c.localName === name);
}

describe('formatJunit', () => {
  it('matches the golden files', () => {
    expectGolden('pack.junit.xml', formatJunit(packReport()));
    expectGolden('no-pack.junit.xml', formatJunit(noPackReport()));
  });

  it('is well-formed, with one testsuite and one testcase per document', () => {
    const report = packReport();
    const { document } = parseXml(formatJunit(report));
    const suite = document.documentElement!;
    expect(suite.localName).toBe('testsuite');
    expect(suite.getAttribute('tests')).toBe('3');
    expect(suite.getAttribute('failures')).toBe('1');
    const cases = elements(suite, 'testcase');
    expect(cases.map((c) => c.getAttribute('name'))).toEqual(report.documents.map((d) => d.file));
  });

  it('fails invalid documents with their errors, and puts warnings in system-out', () => {
    const { document } = parseXml(formatJunit(packReport()));
    const [valid, warned, invalid] = elements(document.documentElement!, 'testcase');
    expect(elements(valid!, 'failure')).toHaveLength(0);
    expect(elements(warned!, 'failure')).toHaveLength(0);
    expect(elements(warned!, 'system-out')[0]!.textContent).toContain('ANS-IHE-0042');
    const failure = elements(invalid!, 'failure')[0]!;
    expect(failure.getAttribute('message')).toBe('4 errors, 1 warning');
    for (const id of ['XSD-CVC-COMPLEX-TYPE-2-4-A', 'ANS-CISIS-0107', 'ANS-IHE-0007', 'DMP-INS-001']) {
      expect(failure.textContent).toContain(id);
    }
    expect(failure.textContent).not.toContain('ANS-IHE-0042');
    expect(elements(invalid!, 'system-out')[0]!.textContent).toContain('ANS-IHE-0042');
  });

  it('escapes markup characters and replaces characters XML cannot carry', () => {
    const out = formatJunit(packReport());
    const { document } = parseXml(out);
    const invalid = elements(document.documentElement!, 'testcase')[2]!;
    expect(invalid.getAttribute('name')).toBe('fixtures/cda/invalid/sans-ins & "co" <1>.xml');
    expect(elements(invalid, 'failure')[0]!.textContent).toContain('Le code "X<Y>" & son codeSystem sont incohérents\uFFFD');
    expect(out).not.toContain('\u0007');
  });

  it('records the pack, or its absence, as properties', () => {
    const props = (xml: string) =>
      Object.fromEntries(
        elements(elements(parseXml(xml).document.documentElement!, 'properties')[0]!, 'property').map((p) => [
          p.getAttribute('name'),
          p.getAttribute('value'),
        ]),
      );
    expect(props(formatJunit(packReport()))).toMatchObject({
      'rulePack.root': '/opt/ans/TestContenuCDA-3-0',
      'rulePack.commit': '4be6f1c2d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8',
    });
    expect(props(formatJunit(noPackReport())).rulePack).toMatch(/^none/);
  });
});
