/**
 * One test per cell of the functional rights matrix (PDT-INF-526 v1.8), each action of the row, each profile
 * (which carries the access mode: normal, centre 15, bris de glace). The expected grid below is transcribed
 * by hand from dmp-interface.md §3, independently of the generated data, so a wrong parse fails here too.
 */
import { describe, expect, it } from 'vitest';
import { ACCESS_PROFILE_IDS, FUNCTIONAL_MATRIX, type AccessDocument, type AccessPatientState, type AccessProfileId, type DmpActionId } from '../../src/index.js';
import { DEFAULT, hitOf, ME, MY_STRUCTURE, NOW, OPEN_PATIENT, OTHER, OTHER_STRUCTURE, policyWith, PROFILE_SETUP, request, UNDECIDED } from './helpers.js';

/** dmp-interface.md §3, row by row, columns A to L. */
const TABLE: Record<string, string> = {
  'TD0.0/0.1/0.2': 'oui oui oui oui oui oui oui oui oui oui oui oui',
  'TD0.3 se déclarer autorisé': 'oui non non oui non non non oui non oui(1) non non',
  'TD0.3 supprimer son autorisation': 'oui non non oui non non non oui non non non non',
  'TD0.3 se supprimer MT': 'non non non non non non non oui non non non non',
  'TD0.4 liste DMP autorisés': 'oui oui oui oui oui oui oui oui oui oui(2) oui(3) non',
  'TD0.5 recherche sans INS': 'non oui non non oui non non non non non non oui',
  'TD0.9 accès Web PS contextuel': 'oui oui oui oui oui oui oui oui oui oui non non',
  'TD1.3a données administratives': 'oui oui oui oui oui oui oui oui oui oui oui oui',
  'TD1.6 PS autorisés/bloqués': 'oui non non oui non non oui oui non non non non',
  'TD2.1 alimentation': 'oui oui oui oui oui oui oui oui oui non oui(4) oui(4)',
  'TD2.2 alimentation par CPE': 'non non non non non non non non non oui(4) non non',
  'TD3.1 rechercher métadonnées': 'oui oui oui oui oui oui oui oui oui non non non',
  "TD3.1 rechercher référence d'un doc": 'oui oui oui oui oui oui oui oui oui oui(5) oui(5) oui(5)',
  'TD3.2 docs non masqués PS': 'oui oui oui oui oui oui non oui oui non non non',
  'TD3.2 docs masqués PS': 'oui(6) oui(7) oui(7) oui(6) oui(7) oui(7) non oui oui(7) non non non',
  'TD3.2 non visibles patient/RL, archivés, obsolètes, supprimés': 'oui oui oui oui oui oui non oui oui non non non',
  'TD3.3a masquer aux PS': 'oui non non oui non non oui oui non non non non',
  'TD3.3a démasquer': 'oui(8) non non oui(8) non non oui(8) oui non non non non',
  'TD3.3b rendre visible au patient': 'oui non non oui non non oui oui non non non non',
  'TD3.3d archiver / désarchiver': 'oui(8) non non oui(8) oui oui oui(8) oui oui non non non',
  'TD3.3c supprimer': 'oui(8) oui(8) oui(8) oui(8) oui(8) oui(8) oui(8) oui(8) oui(8) oui(9) oui(9) oui(9)',
};

const own: AccessDocument = { typeCode: '11488-4', authorIds: [ME], authorStructureIds: [MY_STRUCTURE], status: 'approved' };

interface Case {
  action: DmpActionId;
  document?: AccessDocument;
  patient?: AccessPatientState;
  time?: number;
}

/** How each row is exercised: the action(s) it governs, with a document that selects the row when needed. */
const ROW_CASES: Record<string, Case[]> = {
  'TD0.0/0.1/0.2': [{ action: 'TD0.0', time: Date.parse('2023-06-01T10:00:00Z') }, { action: 'TD0.1' }, { action: 'TD0.2' }],
  'TD0.3 se déclarer autorisé': [{ action: 'TD0.3-AUTHORIZE' }],
  'TD0.3 supprimer son autorisation': [{ action: 'TD0.3-REVOKE' }],
  'TD0.3 se supprimer MT': [{ action: 'TD0.3-REMOVE-MT' }],
  'TD0.4 liste DMP autorisés': [{ action: 'TD0.4' }],
  'TD0.5 recherche sans INS': [{ action: 'TD0.5' }],
  'TD0.9 accès Web PS contextuel': [{ action: 'TD0.9' }],
  'TD1.3a données administratives': [{ action: 'TD1.3a' }],
  'TD1.6 PS autorisés/bloqués': [{ action: 'TD1.6' }],
  'TD2.1 alimentation': [{ action: 'TD2.1' }, { action: 'TD2.1-REPLACE', document: own }],
  'TD2.2 alimentation par CPE': [{ action: 'TD2.2' }],
  'TD3.1 rechercher métadonnées': [{ action: 'TD3.1-META' }],
  "TD3.1 rechercher référence d'un doc": [{ action: 'TD3.1-REF' }],
  'TD3.2 docs non masqués PS': [{ action: 'TD3.2', document: own }],
  'TD3.2 docs masqués PS': [{ action: 'TD3.2', document: { ...own, confidentiality: ['N', 'MASQUE_PS'] } }],
  'TD3.2 non visibles patient/RL, archivés, obsolètes, supprimés': [
    { action: 'TD3.2', document: { ...own, confidentiality: ['N', 'INVISIBLE_PATIENT'] } },
    { action: 'TD3.2', document: { ...own, confidentiality: ['N', 'INVISIBLE_REPRESENTANTS_LEGAUX'] } },
    { action: 'TD3.2', document: { ...own, status: 'archived' } },
    { action: 'TD3.2', document: { ...own, status: 'deprecated' } },
    { action: 'TD3.2', document: { ...own, status: 'deleted' } },
  ],
  'TD3.3a masquer aux PS': [{ action: 'TD3.3a-MASK', document: own }],
  'TD3.3a démasquer': [{ action: 'TD3.3a-UNMASK', document: { ...own, confidentiality: ['N', 'MASQUE_PS'] } }],
  'TD3.3b rendre visible au patient': [{ action: 'TD3.3b-SHOW-PATIENT', document: { ...own, confidentiality: ['N', 'INVISIBLE_PATIENT'] } }],
  'TD3.3d archiver / désarchiver': [
    { action: 'TD3.3d-ARCHIVE', document: own },
    { action: 'TD3.3d-UNARCHIVE', document: { ...own, status: 'archived' } },
  ],
  'TD3.3c supprimer': [{ action: 'TD3.3c-DELETE', document: own }],
};

function parseCell(cell: string): { allowed: boolean; footnote?: string } {
  const m = /^(oui|non)(?:\((\d+)\))?$/.exec(cell)!;
  return { allowed: m[1] === 'oui', ...(m[2] ? { footnote: m[2] } : {}) };
}

describe('the generated functional matrix is the table of dmp-interface.md §3', () => {
  it('has the same rows, in the same order, with the same cells', () => {
    expect(FUNCTIONAL_MATRIX.rows.map((r) => r.label)).toEqual(Object.keys(TABLE));
    for (const row of FUNCTIONAL_MATRIX.rows) {
      const cells = row.cells.map((c) => `${c.allowed ? 'oui' : 'non'}${c.footnotes.length ? `(${c.footnotes.join(',')})` : ''}`);
      expect(cells.join(' '), row.label).toBe(TABLE[row.label]);
    }
  });

  it('marks the archive and delete rows with * (patient documents: médecin traitant only)', () => {
    expect(FUNCTIONAL_MATRIX.rows.filter((r) => r.star).map((r) => r.id)).toEqual(['TD3.3d', 'TD3.3c']);
  });

  it('records its version and source', () => {
    expect(FUNCTIONAL_MATRIX).toMatchObject({ id: 'PDT-INF-526', version: '1.8', date: '2024-09-25', publisher: 'GIE SESAM-Vitale' });
    expect(FUNCTIONAL_MATRIX.source).toMatchObject({ file: 'dmp-interface.md', section: '§3' });
    expect(FUNCTIONAL_MATRIX.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(FUNCTIONAL_MATRIX.footnotes.map(([id]) => id)).toEqual(['*', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
  });
});

describe('every cell of the functional matrix decides', () => {
  for (const [label, row] of Object.entries(TABLE)) {
    const cells = row.split(' ');
    for (const c of ROW_CASES[label]!) {
      ACCESS_PROFILE_IDS.forEach((profile: AccessProfileId, i) => {
        const cell = parseCell(cells[i]!);
        const what = `${label} × ${profile} = ${cells[i]} (${c.action}${c.document?.status && c.document.status !== 'approved' ? `, ${c.document.status}` : ''}${c.document?.confidentiality ? `, ${c.document.confidentiality.join('+')}` : ''})`;
        it(what, () => {
          const { actor, mode } = PROFILE_SETUP[profile];
          const d = UNDECIDED.evaluate(request({ action: c.action, actor, mode, patient: c.patient ?? OPEN_PATIENT, time: c.time ?? NOW, ...(c.document ? { document: c.document } : {}) }));
          expect(d.profile).toBe(profile);
          const cellHit = d.rules.find((r) => r.text.includes(`"${label}`) && r.text.includes(`× profile ${profile} =`));
          expect(cellHit, d.rules.map((r) => r.text).join('\n')).toBeDefined();
          expect(cellHit!.effect).toBe(cell.allowed ? 'allow' : 'deny');
          if (!cell.allowed) {
            expect(d.decision).toBe('deny');
            expect(d.reason).toBe(cellHit!.text);
          } else {
            // Footnote (1) is not public: undecided by default; every other condition holds in this setup.
            expect(d.decision, d.reason).toBe(cell.footnote === '1' ? 'unknown' : 'allow');
          }
        });
      });
    }
  }
});

describe('footnote conditions', () => {
  const masked: AccessDocument = { ...own, confidentiality: ['N', 'MASQUE_PS'] };

  it('(1) CPE × TD0.3 "se déclarer autorisé" is undecided, and follows the footnote1 setting', () => {
    const req = request({ action: 'TD0.3-AUTHORIZE', ...PROFILE_SETUP.J });
    expect(DEFAULT.evaluate(req)).toMatchObject({ decision: 'deny', raw: 'unknown' });
    hitOf(DEFAULT.evaluate(req), 'ACC-FN1-NOT-EXTRACTED', 'unknown');
    expect(policyWith({ footnote1: 'allow' }).evaluate(req).decision).toBe('allow');
    expect(policyWith({ footnote1: 'deny' }).evaluate(req)).toMatchObject({ decision: 'deny', raw: 'deny' });
  });

  it('(2) a CPE lists only the DMPs of its structure; (3) indirect mode only new authorizations', () => {
    expect(DEFAULT.evaluate(request({ action: 'TD0.4', ...PROFILE_SETUP.J })).obligations.map((o) => o.id)).toContain('OBL-SAME-STRUCTURE-ONLY');
    expect(DEFAULT.evaluate(request({ action: 'TD0.4', ...PROFILE_SETUP.K })).obligations.map((o) => o.id)).toContain('OBL-NEW-AUTHORIZATIONS-ONLY');
    expect(DEFAULT.evaluate(request({ action: 'TD0.4', ...PROFILE_SETUP.A })).obligations).toEqual([]);
  });

  it('(4) a document fed in indirect or CPE mode is imputed to the structure', () => {
    for (const [action, p] of [['TD2.1', 'K'], ['TD2.1', 'L'], ['TD2.2', 'J']] as const) {
      const d = DEFAULT.evaluate(request({ action, ...PROFILE_SETUP[p] }));
      expect(d.decision).toBe('allow');
      hitOf(d, 'ACC-FN4-IMPUTED-TO-STRUCTURE');
      expect(d.obligations.map((o) => o.id)).toContain('OBL-IMPUTED-TO-STRUCTURE');
    }
  });

  it('(5) a reference search in indirect / CPE mode returns references only', () => {
    for (const p of ['J', 'K', 'L'] as const) expect(DEFAULT.evaluate(request({ action: 'TD3.1-REF', ...PROFILE_SETUP[p] })).obligations.map((o) => o.id)).toContain('OBL-REFERENCES-ONLY');
  });

  it('(6) a masked document is readable in normal mode by its author only', () => {
    for (const p of ['A', 'D'] as const) {
      const notMine = DEFAULT.evaluate(request({ action: 'TD3.2', ...PROFILE_SETUP[p], document: { ...masked, authorIds: [OTHER] } }));
      expect(notMine.decision).toBe('deny');
      hitOf(notMine, 'VIS-MASQUE-PS-AUTHOR', 'deny');
      expect(DEFAULT.evaluate(request({ action: 'TD3.2', ...PROFILE_SETUP[p], document: masked })).decision).toBe('allow');
    }
  });

  it('(7) in bris de glace / centre 15 a masked document needs the patient\'s permission', () => {
    for (const p of ['B', 'C', 'E', 'F', 'I'] as const) {
      const refused = DEFAULT.evaluate(request({ action: 'TD3.2', ...PROFILE_SETUP[p], patient: { ...OPEN_PATIENT, maskedVisibleInEmergency: false }, document: masked }));
      expect(refused.decision, p).toBe('deny');
      hitOf(refused, 'VIS-MASQUE-PS-EMERGENCY', 'deny');
    }
  });

  it('(8) TD3.3 on one\'s own documents only; undecided when authorship is not given', () => {
    for (const action of ['TD3.3a-UNMASK', 'TD3.3d-ARCHIVE', 'TD3.3c-DELETE'] as const) {
      const other = DEFAULT.evaluate(request({ action, ...PROFILE_SETUP.A, document: { ...masked, authorIds: [OTHER] } }));
      expect(other.decision, action).toBe('deny');
      hitOf(other, 'ACC-FN8-OWN-DOCUMENTS', 'deny');
      const unknown = UNDECIDED.evaluate(request({ action, ...PROFILE_SETUP.A, document: { typeCode: '11488-4' } }));
      expect(unknown.decision, action).toBe('unknown');
      hitOf(unknown, 'ACC-FN8-OWN-DOCUMENTS', 'unknown');
    }
  });

  it('(9) TD3.3c in indirect / CPE mode on the structure\'s documents only', () => {
    for (const p of ['J', 'K', 'L'] as const) {
      const other = DEFAULT.evaluate(request({ action: 'TD3.3c-DELETE', ...PROFILE_SETUP[p], document: { ...own, authorStructureIds: [OTHER_STRUCTURE] } }));
      expect(other.decision, p).toBe('deny');
      hitOf(other, 'ACC-FN9-STRUCTURE-DOCUMENTS', 'deny');
      // A document of a colleague of the same structure qualifies.
      expect(DEFAULT.evaluate(request({ action: 'TD3.3c-DELETE', ...PROFILE_SETUP[p], document: { ...own, authorIds: [OTHER] } })).decision, p).toBe('allow');
    }
  });

  it('(10) TD1.3b, TD1.4, TD1.5 are refused for a DMP attached to Mon espace santé; otherwise their cells are not public', () => {
    for (const action of ['TD1.3b', 'TD1.4', 'TD1.5'] as const) {
      const mes = DEFAULT.evaluate(request({ action, patient: { ...OPEN_PATIENT, mesActivated: true } }));
      expect(mes).toMatchObject({ decision: 'deny', raw: 'deny' });
      hitOf(mes, 'ACC-FN10-NOT-MES', 'deny');
      const noMes = UNDECIDED.evaluate(request({ action }));
      expect(noMes.decision).toBe('unknown');
      expect(hitOf(noMes, 'ACC-MATRIX-FUNC', 'unknown').text).toMatch(/no row for/);
    }
  });

  it('(11) TD0.0 is available until 30/09/2023 only (Paris time)', () => {
    const at = (iso: string) => DEFAULT.evaluate(request({ action: 'TD0.0', time: iso }));
    expect(at('2023-09-30T21:59:59Z').decision).toBe('allow');
    expect(at('2023-09-30T22:00:00Z').decision).toBe('deny');
    hitOf(at('2024-01-01T00:00:00Z'), 'ACC-FN11-TD00-WITHDRAWN', 'deny');
  });

  it('* on a patient document only the médecin traitant may archive or delete', () => {
    const patientDoc: AccessDocument = { typeCode: 'EXPPAT_1', authorIds: ['the-patient'], status: 'approved' };
    for (const action of ['TD3.3d-ARCHIVE', 'TD3.3c-DELETE'] as const) {
      const mt = DEFAULT.evaluate(request({ action, ...PROFILE_SETUP.H, document: patientDoc }));
      expect(mt.decision, action).toBe('allow');
      hitOf(mt, 'ACC-PATIENT-DOCUMENT-MT-ONLY', 'allow');
      const d = DEFAULT.evaluate(request({ action, ...PROFILE_SETUP.D, document: patientDoc }));
      expect(d.decision, action).toBe('deny');
      hitOf(d, 'ACC-PATIENT-DOCUMENT-MT-ONLY', 'deny');
    }
    // Unmasking has no *: footnote 8 (own documents) still refuses it on a patient document.
    expect(denying(DEFAULT.evaluate(request({ action: 'TD3.3a-UNMASK', ...PROFILE_SETUP.D, document: { ...patientDoc, confidentiality: ['MASQUE_PS'] } })))).toBe('ACC-FN8-OWN-DOCUMENTS');
  });
});

function denying(d: { rules: readonly { id: string; effect: string }[] }) {
  return d.rules.find((r) => r.effect === 'deny')?.id;
}

describe('profiles', () => {
  it('every column is reachable and the médecin du travail is recognised by savoir-faire or flag', () => {
    for (const p of ACCESS_PROFILE_IDS) expect(DEFAULT.profileOf(PROFILE_SETUP[p].actor, PROFILE_SETUP[p].mode).profile).toBe(p);
    expect(DEFAULT.profileOf({ authMode: 'DIRECTE', card: 'CPS', profession: '10', specialty: 'SM26', occupationalPhysician: true }, 'normal').profile).toBe('G');
    expect(DEFAULT.profileOf({ authMode: 'DIRECTE', card: 'CPS', profession: '10', specialty: 'CAPA11' }, 'normal').profile).toBe('G');
  });

  it('combinations without a column are undecided, never guessed', () => {
    const unmapped = (actor: Parameters<typeof DEFAULT.profileOf>[0], mode: 'normal' | 'bris_de_glace' | 'centre_15') => {
      const r = DEFAULT.profileOf(actor, mode);
      expect(r.profile).toBeNull();
      expect(r.hit).toMatchObject({ id: 'ACC-PROFILE-UNMAPPED', effect: 'unknown' });
      return r.hit.text;
    };
    expect(unmapped({ authMode: 'INDIRECTE' }, 'bris_de_glace')).toMatch(/not bris de glace/);
    expect(unmapped({ authMode: 'INDIRECTE_RENFORCEE', card: 'CPS', profession: '10', specialty: 'SM26' }, 'normal')).toMatch(/PDT-INF-606/);
    expect(unmapped({ authMode: 'DIRECTE', card: 'CPE' }, 'centre_15')).toMatch(/single column \(J\)/);
    expect(unmapped({ authMode: 'DIRECTE', card: 'CPS', profession: '10', specialty: 'SM25' }, 'bris_de_glace')).toMatch(/médecin du travail/);
    expect(unmapped({ authMode: 'DIRECTE', card: 'CPF', profession: '10' }, 'normal')).toMatch(/students/);
    expect(unmapped({ authMode: 'DELEGUEE' }, 'normal')).toMatch(/DELEGUEE/);
  });

  it('AIR follows the airProfiles setting', () => {
    const air = { authMode: 'INDIRECTE_RENFORCEE' as const, card: 'CPS' as const, profession: '10', specialty: 'SM26' };
    expect(policyWith({ airProfiles: 'indirect' }).profileOf(air, 'normal').profile).toBe('K');
    expect(policyWith({ airProfiles: 'direct' }).profileOf(air, 'normal').profile).toBe('D');
  });

  it('a médecin in centre 15 is column E, médecin traitant or not', () => {
    expect(DEFAULT.profileOf({ ...PROFILE_SETUP.H.actor }, 'centre_15').profile).toBe('E');
  });
});
