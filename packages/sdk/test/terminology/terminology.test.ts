import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  classCodeForTypeCode,
  displayOf,
  findConcept,
  isInValueSet,
  JDV,
  N1_MEDIA_TYPES,
  n1FormatCode,
  typeClassTable,
  valueSet,
  valueSetIds,
} from '../../src/index.js';

const PKG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = join(PKG_DIR, 'scripts/gen-terminology.mjs');
const TERMINOLOGY_DIR = process.env.DMPKIT_TERMINOLOGY_DIR
  ? resolve(process.env.DMPKIT_TERMINOLOGY_DIR)
  : resolve(PKG_DIR, '../../../shared/terminology');
const HAS_TERMINOLOGY = existsSync(TERMINOLOGY_DIR);
if (!HAS_TERMINOLOGY) process.stderr.write(`[skip] shared terminology checks: ${TERMINOLOGY_DIR} not found\n`);

const LOINC = '2.16.840.1.113883.6.1';

describe('value sets', () => {
  it('carry the OID, version and source of the copy they were generated from', () => {
    const j07 = valueSet(JDV.J07_TYPE_CODE);
    expect(j07.oid).toBe('1.2.250.1.213.1.1.5.471');
    expect(j07.version).toBe('20260629120000');
    expect(j07.stale).toBe(false);
    expect(j07.concepts.length).toBeGreaterThan(100);
    expect(valueSet(JDV.J57_CLASS_CODE_DMP).oid).toBe('1.2.250.1.213.1.1.5.6');
    expect(valueSet(JDV.J01_AUTHOR_SPECIALTY).source.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('flag the old DMP copies and the unconfirmed OIDs in their notes instead of hiding them', () => {
    for (const id of [JDV.J66_TYPE_CODE_DMP, JDV.J62_PRACTICE_SETTING_DMP, JDV.J65_SUBJECT_ROLE_DMP]) {
      const vs = valueSet(id);
      expect(vs.stale, id).toBe(true);
      expect(vs.notes.some((n) => /not confirmed/.test(n)), id).toBe(true);
    }
    expect(valueSet(JDV.J62_PRACTICE_SETTING_DMP).notes.join(' ')).toMatch(/2020/);
    expect(valueSet(JDV.J66_TYPE_CODE_DMP).notes.join(' ')).toMatch(/2022/);
  });

  it('include every value set the metadata layer needs', () => {
    const ids = valueSetIds();
    for (const id of Object.values(JDV)) expect(ids).toContain(id);
  });

  it('match code and system exactly, or the code alone when no system is given', () => {
    expect(isInValueSet(JDV.J58_CONFIDENTIALITY_DMP, 'MASQUE_PS', '1.2.250.1.213.1.1.4.13')).toBe(true);
    expect(isInValueSet(JDV.J58_CONFIDENTIALITY_DMP, 'MASQUE_PS', '2.16.840.1.113883.5.25')).toBe(false);
    expect(isInValueSet(JDV.J58_CONFIDENTIALITY_DMP, 'MASQUE_PS')).toBe(true);
    expect(isInValueSet(JDV.J58_CONFIDENTIALITY_DMP, 'MASQUE_PT')).toBe(false);
    expect(displayOf(JDV.J58_CONFIDENTIALITY_DMP, 'N', '2.16.840.1.113883.5.25')).toBe('Normal');
    expect(findConcept(JDV.J04_PRACTICE_SETTING, 'SNR')?.system).toBe('1.2.250.1.213.1.1.4.6');
    // SNR arrived in J04 (2024) after the 2020 J62 copy: the staleness the notes describe.
    expect(isInValueSet(JDV.J62_PRACTICE_SETTING_DMP, 'SNR', '1.2.250.1.213.1.1.4.6')).toBe(false);
  });

  it('keep source displays verbatim, including accents', () => {
    expect(displayOf(JDV.J01_AUTHOR_SPECIALTY, 'G15_10/SM26', '1.2.250.1.213.1.1.4.5')).toBe('Médecin - Qualifié en Médecine Générale (SM)');
  });

  it('throw on an unknown id (a programming error, not data)', () => {
    expect(() => valueSet('JDV_J99-Nope' as never)).toThrow(/unknown value set/);
  });
});

describe('typeCode → classCode (ASS_X04)', () => {
  it('maps LOINC and TRE_A05 type codes, and the signature type E1762', () => {
    expect(classCodeForTypeCode('11502-2', LOINC)).toMatchObject({ code: '10', system: '1.2.250.1.213.1.1.4.1', display: 'Compte rendu' });
    expect(classCodeForTypeCode('60591-5', LOINC)?.code).toBe('11');
    expect(classCodeForTypeCode('SYNTH', '1.2.250.1.213.1.1.4.12')?.code).toBe('11');
    expect(classCodeForTypeCode('E1762', 'ASTM')).toMatchObject({ code: 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1', system: 'URN' });
    expect(classCodeForTypeCode('11502-2', LOINC)?.table).toEqual({ id: typeClassTable().id, version: '20230331120000' });
  });

  it('returns undefined for unmapped or wrongly-coded types rather than guessing', () => {
    expect(typeClassTable().unmappedJ07Codes).toContain('60568-3');
    expect(classCodeForTypeCode('60568-3', LOINC)).toBeUndefined();
    expect(classCodeForTypeCode('11502-2', '1.2.250.1.213.1.1.4.12')).toBeUndefined();
  });

  it('maps every typeCode of the JDV_J66 copy to a class accepted by the DMP (J57)', () => {
    for (const [code, system] of valueSet(JDV.J66_TYPE_CODE_DMP).concepts) {
      const cls = classCodeForTypeCode(code, system);
      expect(cls, code).toBeDefined();
      expect(isInValueSet(JDV.J57_CLASS_CODE_DMP, cls!.code, cls!.system), code).toBe(true);
    }
  });

  it('leaves unmapped exactly the J07 codes the table says it does not map', () => {
    const unmapped = valueSet(JDV.J07_TYPE_CODE)
      .concepts.filter(([code, system]) => !classCodeForTypeCode(code, system))
      .map(([code]) => code)
      .sort();
    expect(unmapped).toEqual([...typeClassTable().unmappedJ07Codes].sort());
  });
});

describe('N1 format codes', () => {
  it('exist in both JDV_J60 (DMP) and JDV_J10 (CI-SIS) for every accepted media type', () => {
    for (const mt of N1_MEDIA_TYPES) {
      const f = n1FormatCode(mt);
      expect(f.codeSystem).toBe('1.3.6.1.4.1.19376.1.2.3');
      expect(isInValueSet(JDV.J10_FORMAT_CODE, f.code, f.codeSystem), mt).toBe(true);
    }
    expect(n1FormatCode('application/pdf').code).toBe('urn:ihe:iti:xds-sd:pdf:2008');
    expect(n1FormatCode('image/tiff').code).toBe('urn:ihe:iti-fr:xds-sd:tiff:2010');
  });
});

describe('gen-terminology script', () => {
  it('fails clearly when the terminology folder is absent', () => {
    const r = spawnSync(process.execPath, [SCRIPT, join(tmpdir(), 'dmpkit-no-such-terminology-dir')], { encoding: 'utf-8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/terminology directory not found/);
    expect(r.stderr).toMatch(/DMPKIT_TERMINOLOGY_DIR/);
  });

  describe.skipIf(!HAS_TERMINOLOGY)('against the shared data', () => {
    it('committed modules are up to date', () => {
      const r = spawnSync(process.execPath, [SCRIPT, TERMINOLOGY_DIR, '--check'], { encoding: 'utf-8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it('writes one module per value set with a do-not-edit header naming file, version and commit', () => {
      const out = mkdtempSync(join(tmpdir(), 'dmpkit-gen-'));
      try {
        const r = spawnSync(process.execPath, [SCRIPT, TERMINOLOGY_DIR, '--out', out], { encoding: 'utf-8' });
        expect(r.status).toBe(0);
        const files = readdirSync(out);
        expect(files).toContain('index.ts');
        const j66 = readFileSync(join(out, 'JDV_J66-TypeCode-DMP.ts'), 'utf-8');
        expect(j66.split('\n')[0]).toMatch(
          /^\/\/ generated by scripts\/gen-terminology\.mjs from JDV_J66-TypeCode-DMP\.json \(version .*2022-09-30, source commit [0-9a-f]{40}\) — do not edit$/,
        );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    it('keeps every concept and mapping of the source files', () => {
      for (const id of valueSetIds()) {
        const vs = valueSet(id);
        const src = JSON.parse(readFileSync(join(TERMINOLOGY_DIR, vs.source.file), 'utf-8')) as {
          oid: string;
          concepts: Array<{ code: string; system: string; display?: string }>;
        };
        expect(vs.oid, id).toBe(src.oid);
        expect(vs.concepts.map((c) => c.join('|')), id).toEqual(src.concepts.map((c) => [c.code, c.system, c.display ?? ''].join('|')));
      }
      const x04 = JSON.parse(readFileSync(join(TERMINOLOGY_DIR, typeClassTable().source.file), 'utf-8')) as {
        concepts: Array<{ code: string; system: string; classCode: string }>;
      };
      for (const m of x04.concepts) expect(classCodeForTypeCode(m.code, m.system)?.code, m.code).toBe(m.classCode);
    });
  });
});
