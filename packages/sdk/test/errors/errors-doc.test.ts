/** docs/errors.md is generated from the catalogue: it must be up to date and list every code and CSV column. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_CSV_COLUMNS, builtInErrorCatalogue } from '../../src/errors/index.js';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOC = resolve(PKG, '../../docs/errors.md');

describe('docs/errors.md', () => {
  it('is up to date (node packages/sdk/scripts/gen-errors-doc.mjs regenerates it)', () => {
    expect(() => execFileSync(process.execPath, [resolve(PKG, 'scripts/gen-errors-doc.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('has a section per code and documents every CSV column', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const e of builtInErrorCatalogue().entries()) expect(doc).toContain(`### \`${e.code}\``);
    for (const c of CATALOGUE_CSV_COLUMNS) expect(doc).toContain(`| \`${c}\` |`);
  });
});
