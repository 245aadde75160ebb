import { describe, expect, it } from 'vitest';
import { formatJson, type ValidationReport } from '../../src/index.js';
import { expectGolden } from './golden.js';
import { noPackReport, packReport } from './reports.js';

/** Same data, keys inserted in reverse order at every level. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
  }
  return value;
}

describe('formatJson', () => {
  it('matches the golden files', () => {
    expectGolden('pack.json', formatJson(packReport()));
    expectGolden('no-pack.json', formatJson(noPackReport()));
  });

  it('round-trips to the same ValidationReport', () => {
    const report = packReport();
    expect(JSON.parse(formatJson(report))).toEqual(report);
  });

  it('does not depend on the key order of the objects it is given', () => {
    expect(formatJson(reversedKeys(packReport()))).toBe(formatJson(packReport()));
  });

  it('leaves out members that are undefined', () => {
    const report: ValidationReport = noPackReport();
    report.documents[0]!.findings[0]!.schematron = undefined;
    report.documents[0]!.documentType = undefined;
    const text = formatJson(report);
    expect(text).not.toContain('"schematron": null');
    expect(Object.keys(JSON.parse(text).documents[0])).not.toContain('documentType');
  });

  it('starts with the tool, pack and summary, so a reader sees the verdict before the details', () => {
    expect(Object.keys(JSON.parse(formatJson(packReport())))).toEqual(['tool', 'pack', 'summary', 'documents']);
  });
});
