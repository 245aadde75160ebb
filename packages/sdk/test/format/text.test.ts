import { describe, expect, it } from 'vitest';
import { formatSummary, formatText } from '../../src/index.js';
import { expectGolden } from './golden.js';
import { noPackReport, packReport } from './reports.js';

const ANSI = /\u001b\[\d+m/g;

describe('formatText', () => {
  it('renders a batch judged with a rule pack', () => {
    expectGolden('pack.txt', formatText(packReport(), { color: false }));
  });

  it('renders a batch without a rule pack', () => {
    expectGolden('no-pack.txt', formatText(noPackReport(), { color: false }));
  });

  it('renders verbose details (info findings, English texts, layers, pack notes)', () => {
    expectGolden('pack-verbose.txt', formatText(packReport(), { color: false, verbose: true }));
  });

  it('colours only when asked, and colour adds nothing but escapes', () => {
    const plain = formatText(packReport(), { color: false });
    const coloured = formatText(packReport(), { color: true });
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it('hides info findings unless verbose, and says so', () => {
    const plain = formatText(noPackReport(), { color: false });
    expect(plain).not.toContain('PACK-NONE');
    expect(plain).toContain('1 info finding not shown');
    expect(formatText(noPackReport(), { color: false, verbose: true })).toContain('PACK-NONE');
  });

  it('lists findings by layer in pipeline order whatever the report order', () => {
    const out = formatText(packReport(), { color: false });
    const xsd = out.indexOf('XSD-CVC-COMPLEX-TYPE-2-4-A');
    const sch = out.indexOf('ANS-CISIS-0107');
    const dmp = out.indexOf('DMP-INS-001');
    expect(xsd).toBeGreaterThan(0);
    expect(xsd).toBeLessThan(sch);
    expect(sch).toBeLessThan(dmp);
  });

  it('closes with the pack and totals', () => {
    const lines = formatText(packReport(), { color: false }).trimEnd().split('\n');
    expect(lines.at(-2)).toBe('ANS rule pack: /opt/ans/TestContenuCDA-3-0 (commit 4be6f1c2d3a4, hash 9f2c41d0a6b3)');
    expect(lines.at(-1)).toBe('3 documents: 2 valid, 1 invalid; 4 errors, 2 warnings');
  });

  it('formatSummary gives the closing lines alone', () => {
    expect(formatSummary(noPackReport(), { color: false })).toBe(
      'ANS rule pack: none, so the XSD and ANS schematron layers were not applied (configure one with `dmp rules use <dir>`).\n' +
        '3 documents: 1 valid, 2 invalid; 2 errors, 0 warnings\n',
    );
  });

  it('prints an empty batch without a document section', () => {
    const empty = { ...noPackReport(), documents: [], summary: { documents: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 } };
    expect(formatText(empty, { color: false }).split('\n')[1]).toBe('0 documents: 0 valid, 0 invalid; 0 errors, 0 warnings');
  });
});

describe('formatText terminal safety', () => {
  it('neutralises control characters and line breaks from messages and file names', () => {
    const report = packReport();
    const doc = report.documents[2]!;
    doc.file = 'evil\u001b[2Jname.xml';
    doc.findings[0]!.message = 'line one\nline two\u001b]0;title\u0007';
    const out = formatText(report, { color: false });
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u0007');
    expect(out).toContain('evil\uFFFD[2Jname.xml');
    expect(out).toContain('line one line two\uFFFD]0;title\uFFFD');
  });
});
