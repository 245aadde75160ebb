/** Builders for policy tests: one actor per profile of the functional matrix, a patient that passes every gate. */
import { compilePolicy, type AccessActor, type AccessMode, type AccessPatientState, type AccessProfileId, type AccessRequest, type Policy, type PolicySettings, type RuleHit } from '../../src/index.js';

/** A decision, a consent advice or a portal answer: anything that lists rule hits. */
type WithRules = { readonly rules: readonly RuleHit[] };

export const NOW = Date.parse('2025-03-01T10:00:00Z');
export const ME = 'ps-me';
export const MY_STRUCTURE = 'st-mine';
export const OTHER = 'ps-other';
export const OTHER_STRUCTURE = 'st-other';

const ps = (profession: string, extra: Partial<AccessActor> = {}): AccessActor => ({ authMode: 'DIRECTE', card: 'CPS', profession, id: ME, structureId: MY_STRUCTURE, ...extra });

/** An actor and access mode that fall in each column A–L (dmp-interface.md §3 column headers). */
export const PROFILE_SETUP: Record<AccessProfileId, { actor: AccessActor; mode: AccessMode }> = {
  A: { actor: ps('60'), mode: 'normal' },
  B: { actor: ps('60'), mode: 'centre_15' },
  C: { actor: ps('60'), mode: 'bris_de_glace' },
  D: { actor: ps('10', { specialty: 'SM26' }), mode: 'normal' },
  E: { actor: ps('10', { specialty: 'SM26' }), mode: 'centre_15' },
  F: { actor: ps('10', { specialty: 'SM26' }), mode: 'bris_de_glace' },
  G: { actor: ps('10', { specialty: 'SM25' }), mode: 'normal' },
  H: { actor: ps('10', { specialty: 'SM26', medecinTraitant: true }), mode: 'normal' },
  I: { actor: ps('10', { specialty: 'SM26', medecinTraitant: true }), mode: 'bris_de_glace' },
  J: { actor: { authMode: 'DIRECTE', card: 'CPE', profession: 'SECRETARIAT_MEDICAL', professionSystem: 'A00', id: ME, structureId: MY_STRUCTURE }, mode: 'normal' },
  K: { actor: { authMode: 'INDIRECTE', id: ME, structureId: MY_STRUCTURE }, mode: 'normal' },
  L: { actor: { authMode: 'INDIRECTE', id: ME, structureId: MY_STRUCTURE }, mode: 'centre_15' },
};

/** Open DMP, valid authorization, nothing opposed: only the rule under test can refuse. */
export const OPEN_PATIENT: AccessPatientState = { dmp: 'open', authorization: 'valid', maskedVisibleInEmergency: true };

export function policyWith(settings: Partial<PolicySettings> = {}): Policy {
  return compilePolicy({ settings });
}

export const DEFAULT = compilePolicy();
export const UNDECIDED = compilePolicy({ settings: { onUnknown: 'unknown' } });

export function request(over: Partial<AccessRequest> & Pick<AccessRequest, 'action'>): AccessRequest {
  return { actor: PROFILE_SETUP.D.actor, patient: OPEN_PATIENT, mode: 'normal', time: NOW, ...over };
}

export function ids(d: WithRules): string[] {
  return d.rules.map((r) => r.id);
}

/** The hit of a rule id, failing the test when it is absent. */
export function hitOf(d: WithRules, id: string, effect?: string) {
  const h = d.rules.find((r) => r.id === id && (effect === undefined || r.effect === effect));
  if (!h) throw new Error(`no ${id}${effect ? ` (${effect})` : ''} among ${d.rules.map((r) => `${r.id}:${r.effect}`).join(', ')}`);
  return h;
}

/** The deny that decided, when the decision is a deny by the rules. */
export function denyingRule(d: WithRules): string | undefined {
  return d.rules.find((r) => r.effect === 'deny')?.id;
}
