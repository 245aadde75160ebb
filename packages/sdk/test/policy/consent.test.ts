/**
 * Point 3 of issue 4, one named case per rule of the consent model, written from its text. Each checks the
 * LPS-side helper (checkConsent) and, where the DMP enforces the same rule, the evaluator.
 */
import { describe, expect, it } from 'vitest';
import { checkConsent, type ConsentRequest } from '../../src/index.js';
import { DEFAULT, denyingRule, hitOf, NOW, OPEN_PATIENT, policyWith, PROFILE_SETUP, request } from './helpers.js';

const nurse = PROFILE_SETUP.A.actor;
const cpe = PROFILE_SETUP.J.actor;
const noAuth = { ...OPEN_PATIENT, authorization: 'none' as const };
const consent = (over: Partial<ConsentRequest> = {}) => checkConsent(DEFAULT, { actor: nurse, patient: noAuth, time: NOW, purpose: 'consult', ...over });
const ids = (items: readonly { id: string }[]) => items.map((i) => i.id);
const monthsAgo = (n: number, extraDays = 0) => {
  const d = new Date(NOW);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.getTime() - extraDays * 86_400_000;
};

describe('a care-team member is presumed authorized once the patient was informed and did not object', () => {
  it('informed, no objection: may consult; records the information and non-opposition, then TD0.3 AJOUT', () => {
    const a = consent({ careTeam: true, informed: true });
    expect(a.decision).toBe('allow');
    hitOf(a, 'CONSENT-CARE-TEAM-PRESUMED', 'allow');
    expect(ids(a.record)).toEqual(['REC-INFORMATION', 'REC-NON-OPPOSITION', 'REC-ACCESS']);
    expect(a.td03).toEqual({ action: 'AJOUT' });
    expect(a.purposeOfUse).toBe('normal');
  });

  it('not informed yet: must inform the patient first', () => {
    const a = consent({ careTeam: true });
    expect(a.decision).toBe('deny');
    expect(ids(a.missing)).toEqual(['REC-INFORMATION', 'REC-NON-OPPOSITION']);
    expect(a.td03).toBeNull();
  });

  it('the patient objected: not presumed authorized', () => {
    const a = consent({ careTeam: true, informed: true, objected: true });
    expect(a.decision).toBe('deny');
    expect(hitOf(a, 'CONSENT-CARE-TEAM-PRESUMED', 'deny').text).toMatch(/objected/);
  });

  it('the médecin traitant is a member of the care team', () => {
    expect(checkConsent(DEFAULT, { actor: PROFILE_SETUP.H.actor, patient: noAuth, time: NOW, purpose: 'consult', informed: true }).decision).toBe('allow');
  });
});

describe("anyone else needs the patient's explicit consent (oral is enough, from the legal representative for a minor) before each consultation", () => {
  it('without consent: must collect it', () => {
    const a = consent();
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-EXPLICIT-REQUIRED', 'deny');
    expect(a.missing.map((m) => m.text)).toEqual(["the patient's explicit consent (oral is enough), with the date"]);
  });

  it("with the patient's consent: may consult, records it, then TD0.3 AJOUT", () => {
    const a = consent({ consent: 'patient' });
    expect(a.decision).toBe('allow');
    expect(ids(a.record)).toEqual(['REC-EXPLICIT-CONSENT', 'REC-ACCESS']);
    expect(a.td03).toEqual({ action: 'AJOUT' });
  });

  it('before each consultation: a recent access and a valid authorization do not replace it', () => {
    const a = consent({ patient: OPEN_PATIENT, lastAccess: monthsAgo(0, 1) });
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-EXPLICIT-REQUIRED', 'deny');
    const ok = consent({ patient: OPEN_PATIENT, lastAccess: monthsAgo(0, 1), consent: 'patient' });
    expect(ok.decision).toBe('allow');
    expect(ok.td03).toBeNull(); // the DMP already holds a valid authorization
  });

  it("for a minor, the minor's own consent is not enough: a legal representative gives it", () => {
    const minor = { ...noAuth, minor: true };
    const own = consent({ patient: minor, consent: 'patient' });
    expect(own.decision).toBe('deny');
    hitOf(own, 'CONSENT-MINOR-LEGAL-REPRESENTATIVE', 'deny');
    expect(own.missing.map((m) => m.text)[0]).toMatch(/legal representative/);
    const rl = consent({ patient: minor, consent: 'legal-representative' });
    expect(rl.decision).toBe('allow');
    hitOf(rl, 'CONSENT-MINOR-LEGAL-REPRESENTATIVE', 'allow');
  });

  it("in a minor's secret access, who consents is not public: undecided, and the VIHF hides the trace", () => {
    const a = checkConsent(policyWith({ onUnknown: 'unknown' }), { actor: nurse, patient: { ...noAuth, minor: true }, time: NOW, purpose: 'consult', secret: true, consent: 'legal-representative' });
    expect(a.decision).toBe('unknown');
    hitOf(a, 'CONSENT-MINOR-SECRET', 'unknown');
    expect(a.vihfConfidentialityCode).toBe('INVISIBLE_REPRESENTANTS_LEGAUX');
  });
});

describe('consent is required for the first access or after six months without access', () => {
  const careTeam = { careTeam: true, patient: OPEN_PATIENT };

  it('first access: the care-team member informs the patient', () => {
    const a = consent({ ...careTeam });
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-FIRST-OR-STALE');
    expect(a.rules[0]!.text).toMatch(/First access/);
  });

  it('last access within six months and a valid authorization: nothing to collect again, no TD0.3', () => {
    const a = consent({ ...careTeam, lastAccess: monthsAgo(6) });
    expect(a.decision).toBe('allow');
    hitOf(a, 'CONSENT-CARE-TEAM-PRESUMED', 'allow');
    expect(ids(a.record)).toEqual(['REC-ACCESS']);
    expect(a.td03).toBeNull();
  });

  it('more than six months without access: consent again', () => {
    const a = consent({ ...careTeam, lastAccess: monthsAgo(6, 1) });
    expect(a.decision).toBe('deny');
    expect(a.rules[0]!.text).toMatch(/longer than the validity period/);
    expect(consent({ ...careTeam, lastAccess: monthsAgo(6, 1), informed: true }).td03).toBeNull();
  });

  it('an expired authorization on the DMP: consent again and TD0.3 AJOUT', () => {
    const a = consent({ careTeam: true, patient: { ...OPEN_PATIENT, authorization: 'expired' }, lastAccess: monthsAgo(1), informed: true });
    expect(a.decision).toBe('allow');
    expect(a.rules[0]!.text).toMatch(/no valid authorization/);
    expect(a.td03).toEqual({ action: 'AJOUT' });
  });

  it('the six months are a setting (consentValidityMonths)', () => {
    const a = checkConsent(policyWith({ consentValidityMonths: 3 }), { actor: nurse, patient: OPEN_PATIENT, time: NOW, purpose: 'consult', careTeam: true, lastAccess: monthsAgo(4) });
    expect(a.decision).toBe('deny');
  });
});

describe('bris de glace needs a justification and is refused if the patient opposed it', () => {
  it('without justification: record it first', () => {
    const a = consent({ mode: 'bris_de_glace' });
    expect(a.decision).toBe('deny');
    expect(ids(a.missing)).toEqual(['REC-BDG-JUSTIFICATION']);
  });

  it('with a justification: no consent, no TD0.3, purposeofuse bris_de_glace', () => {
    const a = consent({ mode: 'bris_de_glace', justification: true });
    expect(a).toMatchObject({ decision: 'allow', td03: null, purposeOfUse: 'bris_de_glace' });
    expect(ids(a.record)).toEqual(['REC-BDG-JUSTIFICATION', 'REC-ACCESS']);
  });

  it('the patient opposed it: refused, justification or not — the DMP refuses it too', () => {
    const a = consent({ mode: 'bris_de_glace', justification: true, patient: { ...noAuth, opposedBrisDeGlace: true } });
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-BDG-OPPOSED', 'deny');
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', ...PROFILE_SETUP.C, patient: { ...noAuth, opposedBrisDeGlace: true }, document: { typeCode: '11488-4', authorIds: ['x'] } }));
    expect(denyingRule(d)).toBe('ACC-BDG-OPPOSED');
  });

  it('the evaluator asks for the justification and skips the authorization check', () => {
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', ...PROFILE_SETUP.F, patient: noAuth, document: { typeCode: '11488-4' } }));
    expect(d.decision).toBe('allow');
    hitOf(d, 'ACC-EMERGENCY-NO-AUTHORIZATION', 'allow');
    expect(d.obligations.map((o) => o.id)).toContain('OBL-JUSTIFY-BDG');
  });
});

describe('centre 15 skips the authorization check unless the patient opposed it', () => {
  it('not opposed: no consent to collect, purposeofuse centre_15', () => {
    const a = consent({ mode: 'centre_15' });
    expect(a).toMatchObject({ decision: 'allow', td03: null, purposeOfUse: 'centre_15' });
    hitOf(a, 'CONSENT-C15-SKIP', 'allow');
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', ...PROFILE_SETUP.E, patient: noAuth, document: { typeCode: '11488-4' } }));
    expect(d.decision).toBe('allow');
    hitOf(d, 'ACC-EMERGENCY-NO-AUTHORIZATION', 'allow');
  });

  it('opposed: the normal consent rules apply', () => {
    const opposed = { ...noAuth, opposedCentre15: true };
    const a = consent({ mode: 'centre_15', patient: opposed });
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-C15-OPPOSED', 'info');
    hitOf(a, 'CONSENT-EXPLICIT-REQUIRED', 'deny');
    expect(consent({ mode: 'centre_15', patient: opposed, consent: 'patient' })).toMatchObject({ decision: 'allow', purposeOfUse: 'centre_15' });
    const d = DEFAULT.evaluate(request({ action: 'TD3.2', ...PROFILE_SETUP.E, patient: opposed, document: { typeCode: '11488-4' } }));
    hitOf(d, 'ACC-C15-OPPOSED', 'info');
    expect(denyingRule(d)).toBe('ACC-CONSENT-REQUIRED');
  });
});

describe('a blocked professional never gets in', () => {
  it('not even with the patient\'s consent', () => {
    const a = consent({ consent: 'patient', careTeam: true, informed: true, patient: { ...OPEN_PATIENT, blocked: true } });
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-BLOCKED', 'deny');
  });

  it('the DMP refuses every patient-scoped action, in every mode; only the TD0.2 test answers', () => {
    const blocked = { ...OPEN_PATIENT, blocked: true };
    for (const action of ['TD3.2', 'TD2.1', 'TD3.1-META', 'TD3.3c-DELETE', 'TD0.3-AUTHORIZE', 'TD1.3a'] as const) {
      for (const mode of ['normal', 'bris_de_glace', 'centre_15'] as const) {
        expect(denyingRule(DEFAULT.evaluate(request({ action, actor: nurse, mode, patient: blocked }))), `${action} ${mode}`).toBe('ACC-BLOCKED');
      }
    }
    expect(DEFAULT.evaluate(request({ action: 'TD0.2', actor: nurse, patient: blocked })).decision).toBe('allow');
  });
});

describe('a CPE card may feed but not consult', () => {
  it('consult: refused whatever the consent', () => {
    const a = checkConsent(DEFAULT, { actor: cpe, patient: OPEN_PATIENT, time: NOW, purpose: 'consult', consent: 'patient' });
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-CPE-FEED-ONLY', 'deny');
    expect(DEFAULT.evaluate(request({ action: 'TD3.2', actor: cpe, document: { typeCode: '11488-4' } })).decision).toBe('deny');
  });

  it('feed: allowed once the patient was informed (TD2.2)', () => {
    const a = checkConsent(DEFAULT, { actor: cpe, patient: OPEN_PATIENT, time: NOW, purpose: 'feed', informed: true });
    expect(a.decision).toBe('allow');
    hitOf(a, 'CONSENT-CPE-FEED-ONLY', 'info');
    expect(DEFAULT.evaluate(request({ action: 'TD2.2', actor: cpe })).decision).toBe('allow');
  });
});

describe('feeding is possible when the patient did not activate Mon espace santé, but not when the DMP is closed or absent', () => {
  it('no Mon espace santé: feeding allowed (and needs no authorization)', () => {
    const a = checkConsent(DEFAULT, { actor: nurse, patient: { ...noAuth, mesActivated: false }, time: NOW, purpose: 'feed', informed: true });
    expect(a).toMatchObject({ decision: 'allow', td03: null });
    hitOf(a, 'CONSENT-FEED-WITHOUT-MES', 'info');
    hitOf(a, 'CONSENT-FEED-NON-OPPOSITION', 'allow');
    const d = DEFAULT.evaluate(request({ action: 'TD2.1', actor: nurse, patient: { ...noAuth, mesActivated: false } }));
    expect(d.decision).toBe('allow');
    hitOf(d, 'ACC-FEED-WITHOUT-MES', 'info');
    expect(d.obligations.map((o) => o.id)).toContain('OBL-FEED-NON-OPPOSITION');
  });

  it('closed DMP: refused', () => {
    hitOf(checkConsent(DEFAULT, { actor: nurse, patient: { dmp: 'closed' }, time: NOW, purpose: 'feed', informed: true }), 'CONSENT-DMP-CLOSED', 'deny');
    expect(denyingRule(DEFAULT.evaluate(request({ action: 'TD2.1', actor: nurse, patient: { dmp: 'closed' } })))).toBe('ACC-DMP-CLOSED');
  });

  it('absent DMP: refused', () => {
    hitOf(checkConsent(DEFAULT, { actor: nurse, patient: { dmp: 'absent' }, time: NOW, purpose: 'feed', informed: true }), 'CONSENT-DMP-ABSENT', 'deny');
    expect(denyingRule(DEFAULT.evaluate(request({ action: 'TD2.1', actor: nurse, patient: { dmp: 'absent' } })))).toBe('ACC-DMP-ABSENT');
  });

  it('the patient objected to the feeding: do not deposit', () => {
    const a = checkConsent(DEFAULT, { actor: nurse, patient: OPEN_PATIENT, time: NOW, purpose: 'feed', informed: true, objected: true });
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-FEED-NON-OPPOSITION', 'deny');
  });
});

describe('consent cannot open what the functional matrix closes', () => {
  it('indirect mode cannot consult, whatever the consent', () => {
    const a = checkConsent(DEFAULT, { actor: PROFILE_SETUP.K.actor, patient: OPEN_PATIENT, time: NOW, purpose: 'consult', consent: 'patient' });
    expect(a.decision).toBe('deny');
    hitOf(a, 'CONSENT-NOT-APPLICABLE', 'deny');
  });
});

describe('the evaluator: no valid authorization in normal mode means consent first', () => {
  for (const authorization of ['none', 'expired'] as const) {
    it(`authorization ${authorization}: consultation refused, with the obligations to record consent and call TD0.3`, () => {
      const d = DEFAULT.evaluate(request({ action: 'TD3.2', actor: nurse, patient: { ...OPEN_PATIENT, authorization }, document: { typeCode: '78601-2' } }));
      expect(denyingRule(d)).toBe('ACC-CONSENT-REQUIRED');
      expect(d.obligations.map((o) => o.id)).toEqual(['OBL-RECORD-CONSENT', 'OBL-CALL-TD03-AJOUT']);
    });
  }

  it('authorizations gate consultation only: feeding, deleting one\'s document and searching references need none', () => {
    for (const action of ['TD2.1', 'TD3.1-REF'] as const) expect(DEFAULT.evaluate(request({ action, actor: nurse, patient: noAuth })).decision, action).toBe('allow');
    expect(DEFAULT.evaluate(request({ action: 'TD3.3c-DELETE', actor: nurse, patient: noAuth, document: { typeCode: '11488-4', authorIds: [nurse.id!] } })).decision).toBe('allow');
  });
});
