/** The patient-state and authorization rules of dmp-interface.md §4 and §12.6, one case per rule. */
import { describe, expect, it } from 'vitest';
import { authorizationFromTd02, DEFAULT_SETTINGS, DMP_ACTION_IDS, isPatientScoped, type DmpActionId } from '../../src/index.js';
import { DEFAULT, denyingRule, hitOf, OPEN_PATIENT, policyWith, PROFILE_SETUP, request, UNDECIDED } from './helpers.js';

const nurse = PROFILE_SETUP.A.actor;
const scoped = DMP_ACTION_IDS.filter((a) => isPatientScoped(a));

describe('no DMP, closed DMP', () => {
  it('no DMP: every patient-scoped action fails; TD0.2 answers (NF)', () => {
    for (const action of scoped) expect(denyingRule(DEFAULT.evaluate(request({ action, actor: nurse, patient: { dmp: 'absent' } }))), action).toBe('ACC-DMP-ABSENT');
    expect(DEFAULT.evaluate(request({ action: 'TD0.2', actor: nurse, patient: { dmp: 'absent' } })).decision).toBe('allow');
  });

  it('closed DMP: reading and feeding are refused, closing again too (DMPClosed)', () => {
    const reads: DmpActionId[] = ['TD3.2', 'TD3.1-META', 'TD3.1-REF', 'TD1.3a', 'TD1.6', 'TD0.9', 'TD2.1', 'TD2.2', 'TD2.1-REPLACE', 'TD1.4'];
    for (const action of reads) expect(denyingRule(DEFAULT.evaluate(request({ action, actor: nurse, patient: { dmp: 'closed' } }))), action).toBe('ACC-DMP-CLOSED');
  });

  it('closed DMP: management actions the public material says nothing about are undecided', () => {
    for (const action of ['TD0.3-AUTHORIZE', 'TD0.3-REVOKE', 'TD3.3a-MASK', 'TD3.3c-DELETE'] as const) {
      const d = UNDECIDED.evaluate(request({ action, actor: nurse, patient: { dmp: 'closed' }, document: { typeCode: '11488-4', authorIds: [nurse.id!] } }));
      expect(d.decision, action).toBe('unknown');
      hitOf(d, 'ACC-DMP-CLOSED-UNSPECIFIED', 'unknown');
    }
  });

  it('actions that are not about one DMP ignore the patient state', () => {
    for (const action of ['TD0.1', 'TD0.4'] as const) expect(DEFAULT.evaluate(request({ action, actor: nurse, patient: { dmp: 'absent', blocked: true } })).decision).toBe('allow');
  });
});

describe('authorization', () => {
  it('unknown status (a TD0.2 code dmpkit cannot interpret): undecided', () => {
    const d = UNDECIDED.evaluate(request({ action: 'TD3.2', actor: nurse, patient: { ...OPEN_PATIENT, authorization: 'unknown' }, document: { typeCode: '78601-2' } }));
    expect(d.decision).toBe('unknown');
    hitOf(d, 'ACC-AUTHORIZATION-UNKNOWN', 'unknown');
  });

  it('the expiry duration is not public: only with authorizationValidityDays is an old authorization treated as expired', () => {
    const patient = { ...OPEN_PATIENT, authorizedAt: '2024-01-01T00:00:00Z' };
    const req = request({ action: 'TD3.2', actor: nurse, patient, document: { typeCode: '78601-2' } });
    expect(DEFAULT.evaluate(req).decision).toBe('allow');
    const d = policyWith({ authorizationValidityDays: 365 }).evaluate(req);
    hitOf(d, 'ACC-AUTHORIZATION-EXPIRED-LOCAL', 'info');
    expect(denyingRule(d)).toBe('ACC-CONSENT-REQUIRED');
    expect(policyWith({ authorizationValidityDays: 800 }).evaluate(req).decision).toBe('allow');
  });

  it('TD0.2 codes: VALIDE is valid; other codes are mapped only through settings.authorizationCodes', () => {
    expect(authorizationFromTd02('VALIDE', DEFAULT_SETTINGS)).toEqual({ authorization: 'valid', blocked: false, unmapped: false });
    expect(authorizationFromTd02(undefined, DEFAULT_SETTINGS)).toEqual({ authorization: 'none', blocked: false, unmapped: false });
    expect(authorizationFromTd02('INTERDITE', DEFAULT_SETTINGS)).toEqual({ authorization: 'unknown', blocked: false, unmapped: true });
    const codes = { authorizationCodes: { VALIDE: 'valid', INTERDITE: 'blocked', EXPIREE: 'expired' } as const };
    expect(authorizationFromTd02('INTERDITE', codes)).toEqual({ authorization: 'none', blocked: true, unmapped: false });
    expect(authorizationFromTd02('EXPIREE', codes).authorization).toBe('expired');
  });
});

describe('VIHF and identity', () => {
  it('a médecin or pharmacien without specialty is refused by the DMP', () => {
    for (const profession of ['10', '21']) {
      expect(denyingRule(DEFAULT.evaluate(request({ action: 'TD0.2', actor: { authMode: 'DIRECTE', card: 'CPS', profession } })))).toBe('ACC-SPECIALTY-REQUIRED');
    }
    expect(DEFAULT.evaluate(request({ action: 'TD0.2', actor: { authMode: 'DIRECTE', card: 'CPS', profession: '60' } })).decision).toBe('allow');
  });

  it('the LPS must not display the identity traits returned by TD0.2 / TD1.3a', () => {
    for (const action of ['TD0.2', 'TD1.3a'] as const) expect(DEFAULT.evaluate(request({ action, actor: nurse })).obligations.map((o) => o.id)).toContain('OBL-NO-DMP-IDENTITY');
  });

  it('a secret access for a patient not marked minor is noted, and the trace is still hidden', () => {
    const d = DEFAULT.evaluate(request({ action: 'TD3.1-META', actor: nurse, secret: true }));
    expect(hitOf(d, 'ACC-SECRET-ACCESS').text).toMatch(/not marked as a minor/);
    expect(d.obligations.map((o) => o.id)).toContain('OBL-HIDE-TRACE-FROM-LEGAL-REPS');
  });

  it('an action that is not a DMP transaction is refused, with a rule', () => {
    const d = DEFAULT.evaluate(request({ action: 'TD9.9' as DmpActionId }));
    expect(d).toMatchObject({ decision: 'deny', profile: null });
    expect(d.rules.map((r) => r.id)).toEqual(['ACC-ACTION-UNKNOWN']);
  });

  it('a bad time is an input error naming the field', () => {
    expect(() => DEFAULT.evaluate(request({ action: 'TD0.0', time: 'yesterday' }))).toThrow(/time is not a valid time: yesterday/);
  });
});
