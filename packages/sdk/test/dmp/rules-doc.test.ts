/** docs/rules.md is generated from the rule catalogue: it must be up to date. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DMP_RULES } from '../../src/validate/rules/dmp-catalogue.js';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOC = resolve(PKG, '../../docs/rules.md');

describe('docs/rules.md', () => {
  it('is up to date (node packages/sdk/scripts/gen-rules-doc.mjs regenerates it)', () => {
    expect(() => execFileSync(process.execPath, [resolve(PKG, 'scripts/gen-rules-doc.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('lists every DMP rule with its severity', () => {
    const doc = readFileSync(DOC, 'utf-8');
    for (const r of DMP_RULES) expect(doc).toContain(`| \`${r.id}\` | ${r.severity} |`);
  });
});
