/**
 * The project fixtures (fixtures/cda): valid ones give no DMP error; each invalid one triggers the DMP rule
 * matching the issue its README names (the README speaks in toDocumentEntry issue codes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/cda');

/** toDocumentEntry issue code (fixtures/cda/invalid/README.md) → the DMP rule that covers it. */
const ISSUE_TO_RULE: Record<string, string> = {
  INS_NOT_FIRST: 'DMP-INS-FIRST',
  UNIQUE_ID_EXTENSION: 'DMP-UNIQUEID-EXTENSION',
  TYPE_CODE_UNKNOWN: 'DMP-TYPECODE-UNKNOWN',
  NON_XML_BODY_MEDIA_TYPE: 'DMP-N1-MEDIATYPE',
  TIME_NO_OFFSET: 'DMP-TIME-OFFSET',
};

/** Rows of the README table: `| \`file.xml\` | edit | \`ISSUE\` ... | points at |`. */
function readmeExpectations(): { file: string; issue: string }[] {
  const readme = readFileSync(join(FIXTURES_DIR, 'invalid/README.md'), 'utf-8');
  const rows: { file: string; issue: string }[] = [];
  for (const line of readme.split('\n')) {
    const m = /^\|\s*`([^`]+\.xml)`\s*\|[^|]*\|\s*`([A-Z_]+)`/.exec(line);
    if (m) rows.push({ file: m[1]!, issue: m[2]! });
  }
  return rows;
}

describe('valid fixtures', () => {
  const files = readdirSync(join(FIXTURES_DIR, 'valid')).filter((f) => f.endsWith('.xml'));
  it('exist', () => expect(files.length).toBeGreaterThan(0));
  it.each(files)('%s gives no DMP error', (file) => {
    const findings = run(readFileSync(join(FIXTURES_DIR, 'valid', file)), file);
    expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.messageEn}`)).toEqual([]);
  });
});

describe('invalid fixtures', () => {
  const rows = readmeExpectations();
  const files = readdirSync(join(FIXTURES_DIR, 'invalid')).filter((f) => f.endsWith('.xml'));

  it('are all listed in the README with an issue this test knows', () => {
    expect(rows.map((r) => r.file).sort()).toEqual([...files].sort());
    for (const r of rows) expect(ISSUE_TO_RULE[r.issue], `${r.file}: ${r.issue}`).toBeDefined();
  });

  it.each(rows)('$file triggers the DMP rule for $issue', ({ file, issue }) => {
    const findings = run(readFileSync(join(FIXTURES_DIR, 'invalid', file)), file);
    const rule = ISSUE_TO_RULE[issue]!;
    const hit = findings.find((f) => f.ruleId === rule);
    expect(hit, `${rule} in ${findings.map((f) => f.ruleId).join(', ')}`).toBeDefined();
    expect(hit!.severity).toBe('error');
  });
});
