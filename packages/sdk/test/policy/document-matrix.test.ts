/**
 * One test per known cell of the document-type matrix, in every access mode. The expected cells are
 * transcribed by hand from the table of terminology.md §6.4, independently of the generated data.
 */
import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  SHIPPED_DOCUMENT_MATRIX,
  valueSet,
  JDV,
  type AccessActor,
  type AccessMode,
  type DocumentMatrixData,
} from '../../src/index.js';
import { DEFAULT, hitOf, ME, NOW, OPEN_PATIENT, policyWith, request, UNDECIDED } from './helpers.js';

const PARAMEDICAL = ['70', '80', '91', '92', '94', '95', '96'];

/** terminology.md §6.4: typeCode → allowed / denied / unknown columns. */
const KNOWN: { typeCode: string; allowed: string[]; denied: string[]; unknown?: string[] }[] = [
  { typeCode: '78601-2', allowed: ['10', '21', '40', '60', '69'], denied: PARAMEDICAL },
  { typeCode: '93024-8', allowed: ['10', '21', '40', '60', '69'], denied: PARAMEDICAL },
  { typeCode: '83981-1', allowed: ['10', '60', '69', ...PARAMEDICAL, 'ROLE-COORDINATION'], denied: ['21', '40'] },
  { typeCode: '34842-5', allowed: ['10', '60', ...PARAMEDICAL, 'ROLE-COORDINATION'], denied: [], unknown: ['50'] },
  { typeCode: '56445-0', allowed: ['10', '21', '40', '60'], denied: PARAMEDICAL },
  { typeCode: 'ATTEST-RESID', allowed: [], denied: ['10'] },
  { typeCode: '80788-3', allowed: [], denied: ['40'] },
  { typeCode: '75496-0', allowed: [], denied: ['40'] },
  { typeCode: '83901-9', allowed: [], denied: ['40'] },
  { typeCode: '68599-0', allowed: [], denied: ['40'] },
  { typeCode: '11488-4', allowed: ['ROLE-COORDINATION'], denied: [] },
  { typeCode: '11490-0', allowed: ['ROLE-COORDINATION'], denied: [] },
  { typeCode: '18761-7', allowed: ['ROLE-COORDINATION'], denied: [] },
  { typeCode: '74207-2', allowed: ['ROLE-COORDINATION'], denied: [] },
];

const column = (c: string) => (c === 'ROLE-COORDINATION' ? c : `G15-${c}`);

/** A non-MT professional of the column, who is not the document's author. */
function actorOf(c: string): AccessActor {
  if (c === 'ROLE-COORDINATION') return { authMode: 'DIRECTE', card: 'CPS', profession: '99', professionSystem: 'R291', genre: 'GENR08', id: ME };
  const specialty = c === '10' ? { specialty: 'SM26' } : c === '21' ? { specialty: 'A' } : {};
  return { authMode: 'DIRECTE', card: 'CPS', profession: c, id: ME, ...specialty };
}

const MODES: AccessMode[] = ['normal', 'bris_de_glace', 'centre_15'];
const ROLE_BASED = policyWith({ roleBasedProfessions: true, onUnknown: 'unknown' });

describe('every known cell of the document-type matrix, in every access mode', () => {
  for (const row of KNOWN) {
    const cases = [
      ...row.allowed.map((c) => [c, 'allowed'] as const),
      ...row.denied.map((c) => [c, 'denied'] as const),
      ...(row.unknown ?? []).map((c) => [c, 'unknown'] as const),
    ];
    for (const [c, access] of cases) {
      for (const mode of MODES) {
        it(`${row.typeCode} × ${column(c)} = ${access} (${mode})`, () => {
          const d = ROLE_BASED.evaluate(request({ action: 'TD3.2', actor: actorOf(c), mode, patient: OPEN_PATIENT, document: { typeCode: row.typeCode, authorIds: ['someone-else'] } }));
          const h = hitOf(d, 'DOC-MATRIX-CELL');
          expect(h.effect).toBe(access === 'allowed' ? 'allow' : access === 'denied' ? 'deny' : 'unknown');
          expect(h.text).toContain(`${row.typeCode} (`);
          expect(h.text).toContain(`× ${column(c)} (`);
          expect(h.source).toMatch(/evidence (dmp-presentations|press-)/);
          expect(d.decision).toBe(access === 'allowed' ? 'allow' : access === 'denied' ? 'deny' : 'unknown');
          if (mode !== 'normal') hitOf(d, 'DOC-MATRIX-EMERGENCY', 'info');
        });
      }
    }
  }

  it('the shipped data holds exactly these cells (no invented ones)', () => {
    const expected = KNOWN.flatMap((r) => [
      ...r.allowed.map((c) => `${r.typeCode}|${column(c)}|allowed`),
      ...r.denied.map((c) => `${r.typeCode}|${column(c)}|denied`),
      ...(r.unknown ?? []).map((c) => `${r.typeCode}|${column(c)}|unknown`),
    ]);
    expect(SHIPPED_DOCUMENT_MATRIX.cells.map((c) => `${c.typeCode}|${c.column}|${c.access}`).sort()).toEqual(expected.sort());
  });

  it('with documentMatrixInEmergency=unknown, bris de glace and centre 15 are undecided instead', () => {
    const p = policyWith({ documentMatrixInEmergency: 'unknown', onUnknown: 'unknown' });
    for (const mode of ['bris_de_glace', 'centre_15'] as const) {
      const d = p.evaluate(request({ action: 'TD3.2', actor: actorOf('70'), mode, document: { typeCode: '78601-2' } }));
      expect(d.decision).toBe('unknown');
      hitOf(d, 'DOC-MATRIX-EMERGENCY', 'unknown');
    }
  });
});

describe('cells that are not known', () => {
  it('are undecided, and the reason names the typeCode, the column and how to load the official table', () => {
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', actor: actorOf('70'), document: { typeCode: '11502-2' } }));
    expect(d).toMatchObject({ decision: 'deny', raw: 'unknown' });
    const h = hitOf(d, 'DOC-MATRIX-UNKNOWN', 'unknown');
    expect(h.text).toContain("11502-2 (CR d'examens biologiques) × G15-70 (Masseur-Kinésithérapeute)");
    expect(h.text).toContain('dmp matrix import');
    hitOf(d, 'POL-UNKNOWN-AS-DENY');
    expect(d.reason).toMatch(/^Undecided, denied by the policy \(onUnknown=deny\): .*11502-2.*G15-70/);
  });

  it('onUnknown=allow lets them through, saying so', () => {
    const d = policyWith({ onUnknown: 'allow' }).evaluate(request({ action: 'TD3.2', actor: actorOf('70'), document: { typeCode: '11502-2' } }));
    expect(d).toMatchObject({ decision: 'allow', raw: 'unknown' });
    hitOf(d, 'POL-UNKNOWN-AS-ALLOW');
  });

  it('a typeCode that is no row at all is named as such', () => {
    expect(hitOf(UNDECIDED.evaluate(request({ action: 'TD3.2', actor: actorOf('60'), document: { typeCode: 'NOT-A-TYPE' } })), 'DOC-MATRIX-UNKNOWN').text).toContain('NOT-A-TYPE (not a row of this table)');
  });

  it('a document without typeCode is undecided', () => {
    hitOf(UNDECIDED.evaluate(request({ action: 'TD3.2', actor: actorOf('60'), document: {} })), 'DOC-TYPECODE-MISSING', 'unknown');
  });

  it('without a document only the functional right is checked, and the answer says so', () => {
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', actor: actorOf('60') }));
    expect(d.decision).toBe('allow');
    hitOf(d, 'DOC-MATRIX-NOT-EVALUATED', 'info');
  });
});

describe('rules around the document-type matrix', () => {
  it('the médecin row statement ("every type except ATTEST-RESID") decides types without a cell, and can be turned off', () => {
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', document: { typeCode: '11502-2' } }));
    expect(d.decision).toBe('allow');
    expect(hitOf(d, 'DOC-MATRIX-ROW', 'allow').source).toContain('press-information-dentaire-2023');
    expect(DEFAULT.evaluate(request({ action: 'TD3.2', document: { typeCode: 'ATTEST-RESID' } })).decision).toBe('deny');
    expect(policyWith({ rowStatements: false, onUnknown: 'unknown' }).evaluate(request({ action: 'TD3.2', document: { typeCode: '11502-2' } })).decision).toBe('unknown');
  });

  it('the médecin traitant reads every type, ATTEST-RESID included (CSP L1111-16)', () => {
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', actor: { ...actorOf('10'), medecinTraitant: true }, document: { typeCode: 'ATTEST-RESID' } }));
    expect(d.decision).toBe('allow');
    hitOf(d, 'DOC-MT-ALL', 'allow');
  });

  it('a professional given the médecin traitant\'s rights reads every type', () => {
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', actor: { ...actorOf('70'), mtEquivalentRights: true }, document: { typeCode: '78601-2' } }));
    expect(d.decision).toBe('allow');
    hitOf(d, 'DOC-MT-ALL', 'allow');
  });

  it('the author reads their own document whatever its type (setting authorReadsOwnDocuments)', () => {
    const req = request({ action: 'TD3.2', actor: actorOf('70'), document: { typeCode: '78601-2', authorIds: [ME] } });
    hitOf(DEFAULT.evaluate(req), 'DOC-AUTHOR-OWN', 'allow');
    expect(policyWith({ authorReadsOwnDocuments: false }).evaluate(req).decision).toBe('deny');
  });

  it('cells of professions "à rôle" apply only with roleBasedProfessions', () => {
    const req = request({ action: 'TD3.2', actor: actorOf('ROLE-COORDINATION'), document: { typeCode: '11488-4' } });
    const off = UNDECIDED.evaluate(req);
    expect(off.decision).toBe('unknown');
    hitOf(off, 'DOC-MATRIX-ROLE-BASED-DISABLED', 'unknown');
    expect(ROLE_BASED.evaluate(req).decision).toBe('allow');
  });

  it('the most specific column wins, and a profession missing from the table is undecided', () => {
    const imported: DocumentMatrixData = {
      ...SHIPPED_DOCUMENT_MATRIX,
      origin: 'imported',
      complete: true,
      columns: [
        { id: 'G15-21', label: 'Pharmacien', profession: { system: 'G15', code: '21' }, status: 'active' },
        { id: 'G15-21/G05-A', label: "Pharmacien titulaire d'officine", profession: { system: 'G15', code: '21' }, qualifier: { system: 'G05', code: 'A' }, status: 'active' },
      ],
      cells: [
        { typeCode: '11488-4', column: 'G15-21', access: 'denied', evidence: 'dmp-presentations' },
        { typeCode: '11488-4', column: 'G15-21/G05-A', access: 'allowed', evidence: 'dmp-presentations' },
      ],
      rowStatements: [],
    };
    const p = compilePolicy({ documentMatrix: imported, settings: { onUnknown: 'unknown' } });
    const at = (actor: AccessActor) => p.evaluate(request({ action: 'TD3.2', actor, document: { typeCode: '11488-4' } }));
    expect(at({ ...actorOf('21'), specialty: 'A' }).decision).toBe('allow');
    expect(at({ ...actorOf('21'), specialty: 'H' }).decision).toBe('deny');
    const nurse = at(actorOf('60'));
    expect(nurse.decision).toBe('unknown');
    expect(hitOf(nurse, 'DOC-MATRIX-NO-COLUMN').text).toContain('G15-60');
    expect(hitOf(at({ ...actorOf('21'), specialty: 'H' }), 'DOC-MATRIX-CELL').text).toContain('(imported)');
  });
});

describe('the shipped document-type matrix', () => {
  it('is marked partial, with its sources, legal basis and input files', () => {
    expect(SHIPPED_DOCUMENT_MATRIX).toMatchObject({ id: 'DMP-MHAB', origin: 'shipped', complete: false });
    expect(SHIPPED_DOCUMENT_MATRIX.version).toMatch(/3\.1\.0.*partial/);
    expect(SHIPPED_DOCUMENT_MATRIX.sources.map((s) => s.id)).toEqual(['dmp-presentations', 'press-information-dentaire-2023', 'press-santementale-2023']);
    expect(SHIPPED_DOCUMENT_MATRIX.legalBasis?.join(' ')).toMatch(/26 octobre 2023/);
    for (const input of SHIPPED_DOCUMENT_MATRIX.inputs) expect(input.sha256, input.file).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has a row for every JDV_J66 typeCode, patient documents flagged', () => {
    const rows = new Map(SHIPPED_DOCUMENT_MATRIX.documentTypes.map((t) => [t.typeCode, t]));
    for (const [code] of valueSet(JDV.J66_TYPE_CODE_DMP).concepts) expect(rows.has(code), code).toBe(true);
    expect(rows.get('EXPPAT_1')?.patientDocument).toBe(true);
    expect(rows.get('DOCPAT03')?.patientDocument).toBe(true);
    expect(rows.get('11488-4')?.patientDocument).toBe(false);
    expect(rows.get('ATTEST-RESID')).toMatchObject({ inJ66: false });
  });

  it('has a column for every profession of JDV_J65, and the coordination role flagged as assumed and role-based', () => {
    const cols = new Map(SHIPPED_DOCUMENT_MATRIX.columns.map((c) => [c.id, c]));
    for (const id of ['G15-10', 'G15-21', 'G15-60', 'G16-10', 'R95-93', 'A00-SECRETARIAT_MEDICAL', 'R291-99']) expect(cols.has(id), id).toBe(true);
    expect(cols.get('G15-35')?.status).toBe('deprecated');
    expect(cols.get('ROLE-COORDINATION')).toMatchObject({ assumed: true, roleBased: true, qualifier: { system: 'R22', code: 'GENR08' } });
  });

  it('is independent of time: the same request gives the same decision', () => {
    const req = request({ action: 'TD3.2', actor: actorOf('60'), document: { typeCode: '78601-2' }, time: NOW });
    expect(DEFAULT.evaluate(req)).toEqual(DEFAULT.evaluate({ ...req }));
  });
});
