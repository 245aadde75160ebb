/** Merging an official error list (the DMP's annex A7-1, as CSV or JSON) into the catalogue. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DmpServiceError, builtInErrorCatalogue, explainError, loadErrorCatalogue, mergeErrorCatalogue } from '../../src/errors/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dmpkit-cat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

async function configError(p: Promise<unknown>): Promise<ConfigError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  expect((e as ConfigError).code).toBe('CONFIG-CATALOGUE');
  return e as ConfigError;
}

const CSV = [
  'code;kind;severity;meaning_fr;meaning_en;causes_fr;causes_en;fix_fr;fix_en;source;confidence;aliases;transactions',
  'DMP_ERR_017;dmp;error;"Patient mineur ; accès secret refusé";;"Cause A | Cause B";;Vérifier l’âge;;"A7-1 v2.10 §3";OFF;E017;TD3.1 | TD3.2',
  'XDSUnknownPatientId;;;"INS inconnu du DMP (libellé officiel)";;;;;;;;;',
  '"DMP_ERR_018";;warning;"Texte sur',
  'deux lignes";Two-line text;;;;;;;;',
].join('\r\n');

describe('CSV', () => {
  it('merges new codes and overrides known ones, keeping the built-in causes and fix when the file has none', async () => {
    const cat = await loadErrorCatalogue(file('annexe-a7-1.csv', `\uFEFF${CSV}`));
    const e017 = cat.get('DMP_ERR_017')!;
    expect(e017).toMatchObject({
      kind: 'dmp',
      severity: 'error',
      origin: 'wire',
      meaning: { fr: 'Patient mineur ; accès secret refusé', en: 'Patient mineur ; accès secret refusé' },
      causes: [
        { fr: 'Cause A', en: 'Cause A' },
        { fr: 'Cause B', en: 'Cause B' },
      ],
      fix: { fr: 'Vérifier l’âge', en: 'Vérifier l’âge' },
      sources: [{ ref: 'A7-1 v2.10 §3', confidence: 'OFF' }],
      aliases: ['E017'],
      transactions: ['TD3.1', 'TD3.2'],
    });
    const known = cat.get('XDSUnknownPatientId')!;
    const builtIn = builtInErrorCatalogue().get('XDSUnknownPatientId')!;
    expect(known.meaning.fr).toBe('INS inconnu du DMP (libellé officiel)');
    expect(known.causes).toEqual(builtIn.causes);
    expect(known.fix).toEqual(builtIn.fix);
    expect(known.sources[0]).toEqual({ ref: 'annexe-a7-1.csv', confidence: 'OFF' });
    expect(known.sources.slice(1)).toEqual(builtIn.sources);
    expect(cat.get('DMP_ERR_018')).toMatchObject({ severity: 'warning', meaning: { fr: 'Texte sur\ndeux lignes', en: 'Two-line text' }, fix: { en: 'No fix documented in annexe-a7-1.csv.' } });
    expect(cat.size).toBe(builtInErrorCatalogue().size + 2);
    expect(cat.lookup('E017')?.entry.code).toBe('DMP_ERR_017');
  });

  it('makes explainError know a code it reported as unknown before', async () => {
    const err = new DmpServiceError({ status: 'DMP_ERR_017' });
    expect(explainError(err).known).toBe(false);
    const cat = await loadErrorCatalogue(file('a.csv', CSV));
    const d = explainError(err, { catalogue: cat });
    expect(d.known).toBe(true);
    expect(d.items[0]!.meaning.fr).toBe('Patient mineur ; accès secret refusé');
  });

  it('reads a Windows-1252 export from a spreadsheet, with commas', async () => {
    const latin = Buffer.from('code,meaning_fr\r\nDMP_ERR_900,Accès refusé à la pièce\r\n', 'latin1');
    const cat = await loadErrorCatalogue(file('excel.csv', latin));
    expect(cat.get('DMP_ERR_900')!.meaning.fr).toBe('Accès refusé à la pièce');
  });

  it('names the column and the line of every problem', async () => {
    const unknownColumn = await configError(loadErrorCatalogue(file('cols.csv', 'code;meaning_fr;libelle\nX;y;z\n')));
    expect(unknownColumn.issues).toEqual([expect.objectContaining({ field: 'header', message: expect.stringContaining('"libelle"') })]);
    const noCode = await configError(loadErrorCatalogue(file('nocode.csv', 'meaning_fr\nx\n')));
    expect(noCode.issues[0]!.message).toContain('"code" column is required');
    const rows = await configError(
      loadErrorCatalogue(file('rows.csv', ['code;severity;meaning_fr;retryable', 'A;fatal;x;', 'B;;;', 'C;error;ok;maybe', 'D;error;ok;', 'D;error;again;'].join('\n'))),
    );
    // Field errors first (while reading rows), then what needs the whole file (unknown codes, duplicates).
    expect(rows.issues.map((i) => i.field)).toEqual(['line 2.severity', 'line 4.retryable', 'line 3.meaning', 'line 6.code']);
    expect(rows.issues[2]!.message).toContain('code "B" is not in the built-in catalogue');
    expect(rows.issues[3]!.message).toContain('already given at line 5');
    expect(rows.message).toContain('Invalid error catalogue rows.csv');
  });

  it('refuses an alias that collides with an existing code', async () => {
    const e = await configError(loadErrorCatalogue(file('alias.csv', 'code;meaning_fr;aliases\nNEWCODE;x;NF\n')));
    expect(e.issues[0]!.message).toContain('alias "NF"');
  });
});

describe('JSON', () => {
  it('accepts an array or { entries }, with partial texts', () => {
    const cat = mergeErrorCatalogue(JSON.stringify({ entries: [{ code: 'DMP_ERR_1', meaning: { en: 'Only English' }, kind: 'dmp', textPatterns: ['erreur 1 du DMP'] }] }), 'json', 'list.json');
    expect(cat.get('DMP_ERR_1')!.meaning).toEqual({ fr: 'Only English', en: 'Only English' });
    expect(cat.matchText('Erreur 1 du DMP survenue')?.entry.code).toBe('DMP_ERR_1');
    expect(mergeErrorCatalogue('[{"code":"XDSRegistryBusy","severity":"warning"}]', 'json', 'x.json').get('XDSRegistryBusy')!.severity).toBe('warning');
  });

  it('names the entry and the field of every problem', () => {
    const bad = () => mergeErrorCatalogue(JSON.stringify([{ code: 'A', meaning: { fr: 'x' }, kind: 'weird' }, { code: 'B', meaning: { fr: 'x' }, textPatterns: ['('] }, { meaning: { fr: 'x' } }, { code: 'C', meaning: { fr: 'x' }, extra: 1 }]), 'json', 'x.json');
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      expect((e as ConfigError).issues.map((i) => i.field)).toEqual(['entries[0].kind', 'entries[1].textPatterns.0', 'entries[2].code', 'entries[3]']);
    }
    expect(() => mergeErrorCatalogue('{ "codes": [] }', 'json', 'x.json')).toThrow(/expected an array of entries/);
    expect(() => mergeErrorCatalogue('{ nope', 'json', 'x.json')).toThrow(/Invalid error catalogue x.json/);
  });
});

describe('files', () => {
  it('refuses an unknown extension and a missing file', async () => {
    await configError(loadErrorCatalogue(file('list.xlsx', 'x')));
    const missing = await configError(loadErrorCatalogue(join(dir, 'absent.csv')));
    expect(missing.issues[0]!.message).toBe('ENOENT');
  });
});
