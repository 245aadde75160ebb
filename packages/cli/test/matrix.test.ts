/** `dmp matrix show | import | reset`: the matrices in use, importing the official table, going back. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, normalize, requireBuiltCli, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeAll(() => {
  requireBuiltCli();
  sb = sandbox();
});
afterAll(() => sb.cleanup());

const stored = () => join(sb.env.DMPKIT_CONFIG_DIR!, 'document-matrix.json');
const withDate = (s: string) => s.replace(/imported on \d{4}-\d{2}-\d{2}/, 'imported on <date>');

const OFFICIAL = ['# version: 3.1.0', '# date: 2024-09-25', 'typeCode;display;G15-10;G15-60;G15-70;G15-21/G05-A', '11488-4;CR de consultation;R;R;-;R', "78601-2;CR d'entretien pharmaceutique;R;R;R;?", ''].join('\n');

describe('dmp matrix show', () => {
  it('prints the shipped partial document-type matrix with its sources and known cells', () => {
    const r = sb.run(['matrix', 'show']);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('matrix-show.txt', normalize(r.stdout, sb.dir));
  });

  it('--type: one document type across every column', () => {
    const r = sb.run(['matrix', 'show', '--type', '83981-1']);
    expect(r.code).toBe(0);
    expectGolden('matrix-show-type.txt', normalize(r.stdout, sb.dir));
  });

  it('--functional: the rights matrix with its footnotes', () => {
    const r = sb.run(['matrix', 'show', '--functional']);
    expect(r.code).toBe(0);
    expectGolden('matrix-show-functional.txt', r.stdout);
  });

  it('--column and --json', () => {
    const r = sb.run(['--json', 'matrix', 'show', '--column', 'G15-40']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ origin: 'shipped', file: null, stats: { allowed: 39, denied: 28, unknown: 1 } });
    expect(out.documentMatrix.cells.map((c: { typeCode: string; access: string }) => `${c.typeCode}:${c.access}`).sort()).toEqual([
      '56445-0:allowed',
      '68599-0:denied',
      '75496-0:denied',
      '78601-2:allowed',
      '80788-3:denied',
      '83901-9:denied',
      '83981-1:denied',
      '93024-8:allowed',
    ]);
    const bad = sb.run(['matrix', 'show', '--column', 'G15-00']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/G15-00 is not a column of DMP-MHAB/);
  });
});

describe('dmp matrix import', () => {
  it('imports a CSV, reports what it contradicts, and the access commands then use it', () => {
    const file = sb.write('official.csv', OFFICIAL);
    const r = sb.run(['matrix', 'import', file]);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('matrix-import.txt', normalize(r.stdout, sb.dir));
    expect(JSON.parse(readFileSync(stored(), 'utf-8'))).toMatchObject({ origin: 'imported', version: '3.1.0', date: '2024-09-25', inputs: [{ file: 'official.csv' }] });

    const show = sb.run(['matrix', 'show']);
    expectGolden('matrix-show-imported.txt', withDate(normalize(show.stdout, sb.dir)));

    const check = sb.run(['--json', 'access', 'check', '-a', 'TD3.2', '--profession', '21', '--specialty', 'A', '--authorization', 'valid', '--type-code', '11488-4', '--at', '2025-03-01T10:00:00Z']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).policy.documentMatrixOrigin).toBe('imported');

    const reset = sb.run(['matrix', 'reset']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('the access commands use the partial public data again');
    expect(existsSync(stored())).toBe(false);
    expect(sb.run(['matrix', 'reset']).stdout).toContain('nothing to do');
  });

  it('refuses an invalid table with every problem, line and column, and saves nothing (exit 2)', () => {
    const file = sb.write('bad.csv', ['typeCode,G15-10,G15-XX/Z9-1,G15-60', '11488-4,R,R,maybe', '11488-4,R,R', ',R,R,R'].join('\n'));
    const r = sb.run(['matrix', 'import', file]);
    expect(r.code).toBe(2);
    expectGolden('matrix-import-errors.txt', normalize(r.stderr, sb.dir));
    expect(existsSync(stored())).toBe(false);
  });

  it('imports JSON with --matrix-version, warns about unknown typeCodes on stderr, --dry-run saves nothing', () => {
    const file = sb.write('official.json', JSON.stringify({ cells: { '11488-4': { 'G15-10': 'R' }, 'ZZZ-1': { 'G15-10': '-' } } }));
    const r = sb.run(['--json', 'matrix', 'import', file, '--matrix-version', '9.9', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ matrix: { version: '9.9', rows: 2, columns: 1, allowed: 1, denied: 1 }, savedIn: null });
    expect(r.stderr).toContain('warning: ');
    expect(r.stderr).toContain('typeCode ZZZ-1 is in neither JDV_J66 nor JDV_J07');
    expect(existsSync(stored())).toBe(false);
  });

  it('a format it cannot tell, or a missing file, is a usage error', () => {
    expect(sb.run(['matrix', 'import', sb.write('table.txt', 'x')]).stderr).toMatch(/cannot tell the format of .*table\.txt.*give --format csv\|json/s);
    expect(sb.run(['matrix', 'import', 'missing.csv']).stderr).toMatch(/cannot read missing\.csv: no such file or directory/);
  });

  it('a damaged stored matrix stops the access commands with a way out', () => {
    sb.write('.config/document-matrix.json', '{"origin":"imported"}');
    const r = sb.run(['access', 'check', '-a', 'TD0.2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the imported matrix .*document-matrix\.json is damaged/);
    expect(r.stderr).toMatch(/dmp matrix reset/);
    expect(sb.run(['matrix', 'reset']).code).toBe(0);
  });
});
