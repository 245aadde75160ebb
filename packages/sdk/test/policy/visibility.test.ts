/**
 * Point 4 of issue 4, one named case per rule, written from its text: MASQUE_PS, INVISIBLE_PATIENT,
 * INVISIBLE_REPRESENTANTS_LEGAUX, archived / deprecated / deleted, patient-deposited documents, médecin du travail.
 */
import { describe, expect, it } from 'vitest';
import { portalVisibility, type AccessDocument } from '../../src/index.js';
import { DEFAULT, denyingRule, hitOf, ME, OPEN_PATIENT, OTHER, policyWith, PROFILE_SETUP, request } from './helpers.js';

const masked = (authorIds: string[]): AccessDocument => ({ typeCode: '78601-2', confidentiality: ['N', 'MASQUE_PS'], authorIds });
const nurse = PROFILE_SETUP.A.actor;
const consult = (over: Parameters<typeof request>[0]) => DEFAULT.evaluate(request(over));

describe('MASQUE_PS: only the author, the médecin traitant, and in bris de glace / centre 15 only if the patient allowed it', () => {
  it('the author of a masked document sees it', () => {
    const d = consult({ action: 'TD3.2', actor: nurse, document: masked([ME]) });
    expect(d.decision).toBe('allow');
    hitOf(d, 'VIS-MASQUE-PS-AUTHOR', 'allow');
  });

  it('another professional does not see it', () => {
    const d = consult({ action: 'TD3.2', actor: nurse, document: masked([OTHER]) });
    expect(d.decision).toBe('deny');
    expect(denyingRule(d)).toBe('VIS-MASQUE-PS-AUTHOR');
  });

  it('another médecin does not see it either', () => {
    expect(denyingRule(consult({ action: 'TD3.2', ...PROFILE_SETUP.D, document: masked([OTHER]) }))).toBe('VIS-MASQUE-PS-AUTHOR');
  });

  it('the médecin traitant sees it without being its author', () => {
    const d = consult({ action: 'TD3.2', ...PROFILE_SETUP.H, document: masked([OTHER]) });
    expect(d.decision).toBe('allow');
    hitOf(d, 'VIS-MASQUE-PS-MT', 'allow');
  });

  it('a professional the patient gave the médecin traitant\'s rights sees it', () => {
    const d = consult({ action: 'TD3.2', actor: { ...nurse, mtEquivalentRights: true }, document: masked([OTHER]) });
    expect(d.decision).toBe('allow');
    hitOf(d, 'VIS-MASQUE-PS-MT-EQUIVALENT', 'allow');
  });

  for (const mode of ['bris_de_glace', 'centre_15'] as const) {
    it(`in ${mode}, a masked document is visible if the patient allowed it`, () => {
      const d = consult({ action: 'TD3.2', actor: nurse, mode, patient: { ...OPEN_PATIENT, maskedVisibleInEmergency: true }, document: masked([OTHER]) });
      expect(d.decision).toBe('allow');
      hitOf(d, 'VIS-MASQUE-PS-EMERGENCY', 'allow');
    });

    it(`in ${mode}, a masked document is hidden if the patient did not allow it — even from the médecin traitant`, () => {
      const actor = mode === 'bris_de_glace' ? PROFILE_SETUP.I.actor : nurse;
      const d = consult({ action: 'TD3.2', actor, mode, patient: { ...OPEN_PATIENT, maskedVisibleInEmergency: false }, document: masked([OTHER]) });
      expect(denyingRule(d)).toBe('VIS-MASQUE-PS-EMERGENCY');
    });
  }

  it('a search does not return a masked document to whom may not see it (visibility filter on TD3.1)', () => {
    expect(denyingRule(consult({ action: 'TD3.1-META', actor: nurse, document: masked([OTHER]) }))).toBe('VIS-MASQUE-PS-AUTHOR');
    expect(consult({ action: 'TD3.1-META', actor: nurse, document: masked([ME]) }).decision).toBe('allow');
  });

  it('authorship not given: undecided rather than guessed', () => {
    const d = policyWith({ onUnknown: 'unknown' }).evaluate(request({ action: 'TD3.2', actor: { ...nurse, id: undefined }, document: masked([OTHER]) }));
    expect(d.decision).toBe('unknown');
    hitOf(d, 'VIS-MASQUE-PS-AUTHOR', 'unknown');
  });

  it('MASQUE_PS cannot be added to an INVISIBLE_PATIENT document, nor deposited with it, while cumul is off', () => {
    const invisible: AccessDocument = { typeCode: '78601-2', confidentiality: ['N', 'INVISIBLE_PATIENT'], authorIds: [ME] };
    expect(denyingRule(consult({ action: 'TD3.3a-MASK', actor: nurse, document: invisible }))).toBe('VIS-NO-CUMUL-MASQUE-INVISIBLE');
    expect(denyingRule(consult({ action: 'TD2.1', actor: nurse, document: { typeCode: '78601-2', confidentiality: ['N', 'MASQUE_PS', 'INVISIBLE_PATIENT'] } }))).toBe('VIS-NO-CUMUL-MASQUE-INVISIBLE');
    expect(policyWith({ cumulInvisiblePatientMasquePs: true }).evaluate(request({ action: 'TD3.3a-MASK', actor: nurse, document: invisible })).decision).toBe('allow');
  });
});

describe('INVISIBLE_PATIENT and INVISIBLE_REPRESENTANTS_LEGAUX', () => {
  it('INVISIBLE_PATIENT does not hide the document from professionals, who are warned that the patient cannot see it', () => {
    const d = consult({ action: 'TD3.2', document: { typeCode: '11488-4', confidentiality: ['N', 'INVISIBLE_PATIENT'] } });
    expect(d.decision).toBe('allow');
    hitOf(d, 'VIS-INVISIBLE-PATIENT', 'info');
    expect(d.obligations.map((o) => o.id)).toContain('OBL-WARN-NOT-VISIBLE-TO-PATIENT');
  });

  it('INVISIBLE_REPRESENTANTS_LEGAUX does not hide the document from professionals', () => {
    const d = consult({ action: 'TD3.2', document: { typeCode: '11488-4', confidentiality: ['N', 'INVISIBLE_REPRESENTANTS_LEGAUX'] } });
    expect(d.decision).toBe('allow');
    hitOf(d, 'VIS-INVISIBLE-REPRESENTANTS-LEGAUX', 'info');
  });

  it('the patient does not see an INVISIBLE_PATIENT document, but does see one masked to professionals', () => {
    expect(portalVisibility({ confidentiality: ['N', 'INVISIBLE_PATIENT'] }, 'patient')).toMatchObject({ decision: 'deny', rules: [{ id: 'VIS-PORTAL-INVISIBLE-PATIENT' }] });
    expect(portalVisibility({ confidentiality: ['N', 'MASQUE_PS'] }, 'patient')).toMatchObject({ decision: 'allow', rules: [{ id: 'VIS-PORTAL-VISIBLE' }] });
    expect(portalVisibility({ confidentiality: ['N', 'INVISIBLE_REPRESENTANTS_LEGAUX'] }, 'patient').decision).toBe('allow');
  });

  it('the legal representatives do not see an INVISIBLE_REPRESENTANTS_LEGAUX document', () => {
    expect(portalVisibility({ confidentiality: ['N', 'INVISIBLE_REPRESENTANTS_LEGAUX'] }, 'legal-representative')).toMatchObject({ decision: 'deny', rules: [{ id: 'VIS-PORTAL-INVISIBLE-RL' }] });
    expect(portalVisibility({ confidentiality: ['N'] }, 'legal-representative').decision).toBe('allow');
  });

  it('whether INVISIBLE_PATIENT also hides it from the legal representatives is not public: undecided', () => {
    expect(portalVisibility({ confidentiality: ['N', 'INVISIBLE_PATIENT'] }, 'legal-representative')).toMatchObject({ decision: 'unknown', rules: [{ id: 'VIS-PORTAL-RL-INVISIBLE-PATIENT' }] });
  });

  it("a minor's secret access hides the trace from the legal representatives", () => {
    const d = consult({ action: 'TD3.2', patient: { ...OPEN_PATIENT, minor: true }, secret: true, document: { typeCode: '11488-4' } });
    hitOf(d, 'ACC-SECRET-ACCESS', 'info');
    expect(d.obligations.map((o) => o.id)).toContain('OBL-HIDE-TRACE-FROM-LEGAL-REPS');
  });
});

describe('archived, deprecated and deleted documents', () => {
  for (const status of ['archived', 'deprecated', 'deleted'] as const) {
    it(`a ${status} document stays consultable by an authorized professional, listed only on request`, () => {
      const d = consult({ action: 'TD3.2', document: { typeCode: '11488-4', status } });
      expect(d.decision).toBe('allow');
      expect(hitOf(d, 'VIS-STATUS', 'info').text).toContain(status);
      expect(d.obligations.map((o) => o.id)).toContain('OBL-LIST-CURRENT-BY-DEFAULT');
    });
  }

  it('a deleted document is unpublished for the patient', () => {
    expect(portalVisibility({ status: 'deleted' }, 'patient')).toMatchObject({ decision: 'deny', rules: [{ id: 'VIS-PORTAL-DELETED' }] });
  });

  it('lifecycle: archive, unarchive and delete follow the observed transitions; others are undecided', () => {
    const own = (status: 'approved' | 'archived' | 'deprecated' | 'deleted'): AccessDocument => ({ typeCode: '11488-4', authorIds: [ME], status });
    expect(consult({ action: 'TD3.3d-ARCHIVE', document: own('approved') }).decision).toBe('allow');
    expect(consult({ action: 'TD3.3d-UNARCHIVE', document: own('archived') }).decision).toBe('allow');
    expect(consult({ action: 'TD3.3c-DELETE', document: own('archived') }).decision).toBe('allow');
    const again = policyWith({ onUnknown: 'unknown' }).evaluate(request({ action: 'TD3.3c-DELETE', document: own('deleted') }));
    expect(again.decision).toBe('unknown');
    expect(hitOf(again, 'DOC-STATUS-TRANSITION', 'unknown').text).toBe('Deleted → Deleted is not an availability transition the public material shows.');
  });

  it('a replacement targets a current document; who may replace another author\'s document is not public', () => {
    expect(denyingRule(consult({ action: 'TD2.1-REPLACE', document: { typeCode: '11488-4', authorIds: [ME], status: 'deprecated' } }))).toBe('DOC-REPLACE-TARGET');
    expect(consult({ action: 'TD2.1-REPLACE', document: { typeCode: '11488-4', authorIds: [ME], status: 'approved' } }).decision).toBe('allow');
    const other = policyWith({ onUnknown: 'unknown' }).evaluate(request({ action: 'TD2.1-REPLACE', document: { typeCode: '11488-4', authorIds: [OTHER], authorStructureIds: ['x'] } }));
    expect(other.decision).toBe('unknown');
    hitOf(other, 'DOC-REPLACE-AUTHOR', 'unknown');
  });
});

describe('documents deposited by the patient', () => {
  it('are recognised by typeCode (DOCPAT*, EXPPAT_*) or the explicit flag, shown as such, and follow their matrix row', () => {
    const d = consult({ action: 'TD3.2', document: { typeCode: 'DOCPAT03' } });
    expect(d.decision).toBe('allow');
    hitOf(d, 'VIS-PATIENT-DOCUMENT', 'info');
    expect(d.obligations.map((o) => o.id)).toContain('OBL-SHOW-AS-PATIENT-DOCUMENT');
    hitOf(consult({ action: 'TD3.2', document: { typeCode: '11488-4', patientDeposited: true } }), 'VIS-PATIENT-DOCUMENT');
    expect(consult({ action: 'TD3.2', document: { typeCode: '11488-4' } }).rules.some((r) => r.id === 'VIS-PATIENT-DOCUMENT')).toBe(false);
  });

  it('only the médecin traitant may delete them', () => {
    expect(denyingRule(consult({ action: 'TD3.3c-DELETE', document: { typeCode: 'EXPPAT_2', authorIds: ['the-patient'] } }))).toBe('ACC-PATIENT-DOCUMENT-MT-ONLY');
    expect(consult({ action: 'TD3.3c-DELETE', ...PROFILE_SETUP.H, document: { typeCode: 'EXPPAT_2', authorIds: ['the-patient'] } }).decision).toBe('allow');
  });
});

describe('médecin du travail', () => {
  it('consults no document of the DMP, whatever its flags', () => {
    for (const document of [{ typeCode: '11488-4' }, masked([ME]), { typeCode: '11488-4', status: 'archived' as const }]) {
      const d = consult({ action: 'TD3.2', ...PROFILE_SETUP.G, document });
      expect(d.decision).toBe('deny');
      expect(denyingRule(d)).toBe('VIS-MEDECIN-TRAVAIL');
    }
  });

  it('may still search metadata and mask documents (matrix column G)', () => {
    expect(consult({ action: 'TD3.1-META', ...PROFILE_SETUP.G }).decision).toBe('allow');
    expect(consult({ action: 'TD3.3a-MASK', ...PROFILE_SETUP.G, document: { typeCode: '11488-4', authorIds: [ME] } }).decision).toBe('allow');
  });
});
