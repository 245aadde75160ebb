/**
 * Consent helpers: the LPS side of access (dmp-interface.md §4.1 — "the LPS itself manages patient
 * non-opposition for feeding and consent for consulting"). Given what the LPS knows locally, they say whether
 * the professional may go on, what must be collected first, what to record, which TD0.3 call follows and which
 * VIHF purposeofuse to send. Each rule of the public consent model is one named rule (CONSENT-*).
 */
import { isMedecinTraitant, type Policy } from './evaluate.js';
import { ACCESS_PROFILE_IDS } from './profiles.js';
import { hit } from './rules.js';
import { addMonths, toMillis } from './time.js';
import { Trace } from './trace.js';
import type { AccessMode, AccessActor, AccessDecisionValue, AccessPatientState, RuleHit, PolicyTime } from './types.js';

export type ConsentPurpose = 'consult' | 'feed';
export type ConsentGiver = 'patient' | 'legal-representative';

export interface ConsentRequest {
  actor: AccessActor;
  patient: AccessPatientState;
  /** Default `normal`. */
  mode?: AccessMode;
  /** A minor's secret access. */
  secret?: boolean;
  time: PolicyTime;
  purpose: ConsentPurpose;
  /** The professional belongs to the patient's care team (équipe de soins); the médecin traitant always does. */
  careTeam?: boolean;
  /** The patient was informed of the access (local record). */
  informed?: boolean;
  /** The patient objected (local record). */
  objected?: boolean;
  /** Explicit consent just given, and by whom; null or absent: none. */
  consent?: ConsentGiver | null;
  /** Last access of this professional to this DMP (local record); absent: first access. */
  lastAccess?: PolicyTime;
  /** A bris de glace justification is recorded (its text stays local and is never needed here). */
  justification?: boolean;
}

export type ConsentRecordId = 'REC-INFORMATION' | 'REC-NON-OPPOSITION' | 'REC-EXPLICIT-CONSENT' | 'REC-BDG-JUSTIFICATION' | 'REC-ACCESS';

export interface ConsentRecordItem {
  readonly id: ConsentRecordId;
  readonly text: string;
}

export interface ConsentAdvice {
  /** May the professional go on, given what is recorded (after settings.onUnknown). */
  readonly decision: AccessDecisionValue;
  readonly raw: AccessDecisionValue;
  readonly rules: readonly RuleHit[];
  /** What must be collected from the patient (or the legal representative) before going on. */
  readonly missing: readonly ConsentRecordItem[];
  /** What the software records locally when it goes on. */
  readonly record: readonly ConsentRecordItem[];
  /** The TD0.3 call that follows, or null when none is needed. */
  readonly td03: { readonly action: 'AJOUT' } | null;
  /** VIHF purposeofuse to send. */
  readonly purposeOfUse: AccessMode;
  /** VIHF confidentiality-code to send (minor's secret access), or null. */
  readonly vihfConfidentialityCode: 'INVISIBLE_REPRESENTANTS_LEGAUX' | null;
  readonly reason: string;
}

const rec = (id: ConsentRecordId, text: string): ConsentRecordItem => Object.freeze({ id, text });

export const CONSENT_RECORDS = Object.freeze({
  information: rec('REC-INFORMATION', 'that the patient was informed of the access to their DMP, with the date'),
  nonOpposition: rec('REC-NON-OPPOSITION', 'that the patient did not object, with the date'),
  consentPatient: rec('REC-EXPLICIT-CONSENT', "the patient's explicit consent (oral is enough), with the date"),
  consentLegalRep: rec('REC-EXPLICIT-CONSENT', "a legal representative's explicit consent for the minor (oral is enough), with the date"),
  justification: rec('REC-BDG-JUSTIFICATION', 'the justification of the bris de glace, with the date'),
  access: rec('REC-ACCESS', 'the date of this access (consent is due again after the validity period without access)'),
});

const C = Object.freeze({
  blocked: hit('CONSENT-BLOCKED', 'deny', 'The patient blocked this professional: no consent can open the DMP to them.'),
  absent: hit('CONSENT-DMP-ABSENT', 'deny', 'The patient has no DMP: nothing to feed or consult.'),
  closed: hit('CONSENT-DMP-CLOSED', 'deny', 'The DMP is closed: it can be neither fed nor consulted.'),
  withoutMes: hit('CONSENT-FEED-WITHOUT-MES', 'info', 'Mon espace santé is not activated: feeding is possible all the same.'),
  cpeConsult: hit('CONSENT-CPE-FEED-ONLY', 'deny', 'A CPE card may feed the DMP but not consult it.'),
  cpeFeed: hit('CONSENT-CPE-FEED-ONLY', 'info', 'A CPE card may feed the DMP (TD2.2).'),
  bdgOpposed: hit('CONSENT-BDG-OPPOSED', 'deny', 'The patient opposed bris de glace: it is refused.'),
  bdgNoJustification: hit('CONSENT-BDG-JUSTIFICATION', 'deny', 'Bris de glace needs a justification: record it first.'),
  bdgJustified: hit('CONSENT-BDG-JUSTIFICATION', 'allow', 'Bris de glace with a recorded justification: no consent to collect.'),
  c15Skip: hit('CONSENT-C15-SKIP', 'allow', 'Centre 15: the authorization check is skipped, no consent to collect.'),
  c15Opposed: hit('CONSENT-C15-OPPOSED', 'info', 'The patient opposed access by the centre 15: the normal consent rules apply.'),
  feedObjected: hit('CONSENT-FEED-NON-OPPOSITION', 'deny', 'The patient objected to the feeding: do not deposit.'),
  feedNotInformed: hit('CONSENT-FEED-NON-OPPOSITION', 'deny', 'The patient must be informed (and not object) before the DMP is fed.'),
  feedOk: hit('CONSENT-FEED-NON-OPPOSITION', 'allow', 'The patient was informed and did not object: the DMP may be fed (no authorization needed).'),
  careTeamCurrent: hit('CONSENT-CARE-TEAM-PRESUMED', 'allow', 'Care team: presumed authorized; the information and non-opposition recorded within the validity period still hold.'),
  careTeamObjected: hit('CONSENT-CARE-TEAM-PRESUMED', 'deny', 'Care team: the patient objected, so the professional is not presumed authorized.'),
  careTeamNotInformed: hit('CONSENT-CARE-TEAM-PRESUMED', 'deny', 'Care team: inform the patient and record that they did not object before consulting.'),
  careTeamOk: hit('CONSENT-CARE-TEAM-PRESUMED', 'allow', 'Care team: the patient was informed and did not object, so the professional is presumed authorized.'),
  explicitMissing: hit('CONSENT-EXPLICIT-REQUIRED', 'deny', "Outside the care team: collect the patient's explicit consent (oral is enough) before this consultation."),
  explicitRefused: hit('CONSENT-EXPLICIT-REQUIRED', 'deny', 'Outside the care team: the patient objected, so there is no consent.'),
  explicitOk: hit('CONSENT-EXPLICIT-REQUIRED', 'allow', 'Outside the care team: explicit consent given for this consultation.'),
  minorFromPatient: hit('CONSENT-MINOR-LEGAL-REPRESENTATIVE', 'deny', "The patient is a minor: the explicit consent must come from a legal representative, not from the minor."),
  minorFromRl: hit('CONSENT-MINOR-LEGAL-REPRESENTATIVE', 'allow', 'The patient is a minor and a legal representative gave the consent.'),
  minorSecret: hit(
    'CONSENT-MINOR-SECRET',
    'unknown',
    "A minor's secret access: the legal representatives must not be involved, and the public rules do not say who consents then (the minor?). Decide with your DPO.",
  ),
  firstAccess: hit('CONSENT-FIRST-OR-STALE', 'info', 'First access of this professional to this DMP: consent is collected now and declared with TD0.3.'),
  stale: hit('CONSENT-FIRST-OR-STALE', 'info', 'No access for longer than the validity period: consent is collected again and declared with TD0.3.'),
  notValid: hit('CONSENT-FIRST-OR-STALE', 'info', 'The DMP holds no valid authorization for this professional: consent is collected again and declared with TD0.3.'),
  current: hit('CONSENT-FIRST-OR-STALE', 'info', 'Last access within the validity period and a valid authorization: nothing to declare again.'),
  notConsultable: hit('CONSENT-NOT-APPLICABLE', 'deny', 'This actor cannot consult in this access mode whatever the consent (functional matrix).'),
  notFeedable: hit('CONSENT-NOT-APPLICABLE', 'deny', 'This actor cannot feed the DMP in this access mode whatever the consent (functional matrix).'),
  noProfile: hit('CONSENT-NOT-APPLICABLE', 'unknown', 'No column of the functional matrix applies to this actor in this mode: whether consent is enough is undecided.'),
});

const TD03 = Object.freeze({ action: 'AJOUT' as const });
const NONE: readonly ConsentRecordItem[] = Object.freeze([]);

interface Outcome {
  missing: readonly ConsentRecordItem[];
  record: readonly ConsentRecordItem[];
  td03: { readonly action: 'AJOUT' } | null;
}

/**
 * What the consent model asks before a professional feeds or consults the DMP. It complements the evaluator
 * (what the DMP enforces): the evaluator checks the authorization the DMP holds; this checks what the LPS must
 * have collected and recorded so that the access is lawful.
 */
export function checkConsent(policy: Policy, req: ConsentRequest): ConsentAdvice {
  const t = new Trace();
  const mode = req.mode ?? 'normal';
  const out = decide(policy, req, mode, t);
  const d = t.finish(null, policy.settings.onUnknown);
  const proceed = d.decision === 'allow';
  return {
    decision: d.decision,
    raw: d.raw,
    rules: d.rules,
    missing: proceed ? NONE : out.missing,
    record: proceed ? out.record : NONE,
    td03: proceed ? out.td03 : null,
    purposeOfUse: mode,
    vihfConfidentialityCode: req.secret === true ? 'INVISIBLE_REPRESENTANTS_LEGAUX' : null,
    reason: d.reason,
  };
}

const stop: Outcome = { missing: NONE, record: NONE, td03: null };

/** Adds a refusing hit; the outcome lists what would lift it. */
function refuse(t: Trace, h: RuleHit, missing: readonly ConsentRecordItem[] = NONE): Outcome {
  t.add(h);
  return missing === NONE ? stop : { missing, record: NONE, td03: null };
}

function decide(policy: Policy, req: ConsentRequest, mode: AccessMode, t: Trace): Outcome {
  const { actor, patient } = req;
  if (patient.blocked === true) return refuse(t, C.blocked);
  if (patient.dmp === 'absent') return refuse(t, C.absent);
  if (patient.dmp === 'closed') return refuse(t, C.closed);
  const feed = req.purpose === 'feed';
  if (feed && patient.mesActivated !== true) t.add(C.withoutMes);

  if (actor.authMode === 'DIRECTE' && actor.card === 'CPE') {
    if (!feed) return refuse(t, C.cpeConsult);
    t.add(C.cpeFeed);
  }
  if (functionallyDenied(policy, actor, mode, feed, t)) return stop;

  if (feed) {
    if (req.objected === true) return refuse(t, C.feedObjected);
    if (req.informed !== true) return refuse(t, C.feedNotInformed, [CONSENT_RECORDS.information, CONSENT_RECORDS.nonOpposition]);
    t.add(C.feedOk);
    return { missing: NONE, record: [CONSENT_RECORDS.information, CONSENT_RECORDS.nonOpposition], td03: null };
  }

  if (mode === 'bris_de_glace') {
    if (patient.opposedBrisDeGlace === true) return refuse(t, C.bdgOpposed);
    if (req.justification !== true) return refuse(t, C.bdgNoJustification, [CONSENT_RECORDS.justification]);
    t.add(C.bdgJustified);
    return { missing: NONE, record: [CONSENT_RECORDS.justification, CONSENT_RECORDS.access], td03: null };
  }
  if (mode === 'centre_15') {
    if (patient.opposedCentre15 !== true) {
      t.add(C.c15Skip);
      return { missing: NONE, record: [CONSENT_RECORDS.access], td03: null };
    }
    t.add(C.c15Opposed);
  }
  return consultNormally(policy, req, t);
}

/** A consent cannot open what the functional matrix closes (e.g. indirect mode cannot consult). */
function functionallyDenied(policy: Policy, actor: AccessActor, mode: AccessMode, feed: boolean, t: Trace): boolean {
  const resolved = policy.profileOf(actor, mode);
  if (resolved.profile === null) {
    t.add(C.noProfile);
    return false;
  }
  const rowId = feed ? (resolved.profile === 'J' ? 'TD2.2' : 'TD2.1') : 'TD3.2-unmasked';
  const cell = policy.functional.row(rowId)!.cells[ACCESS_PROFILE_IDS.indexOf(resolved.profile)]!;
  if (cell.allowed) return false;
  t.add(resolved.hit);
  t.add(cell.hit);
  return t.add(feed ? C.notFeedable : C.notConsultable);
}

function consultNormally(policy: Policy, req: ConsentRequest, t: Trace): Outcome {
  const { actor, patient } = req;
  const authorizationValid = (patient.authorization ?? 'none') === 'valid';
  const now = toMillis(req.time, 'time');
  const last = req.lastAccess === undefined ? undefined : toMillis(req.lastAccess, 'lastAccess');
  const staleHit =
    last === undefined ? C.firstAccess : now > addMonths(last, policy.settings.consentValidityMonths) ? C.stale : !authorizationValid ? C.notValid : null;
  t.add(staleHit ?? C.current);
  const td03 = authorizationValid ? null : TD03;
  const careTeam = req.careTeam === true || isMedecinTraitant(actor);

  if (careTeam) {
    if (staleHit === null) {
      t.add(C.careTeamCurrent);
      return { missing: NONE, record: [CONSENT_RECORDS.access], td03: null };
    }
    if (patient.minor === true && req.secret === true) return refuse(t, C.minorSecret);
    if (req.objected === true) return refuse(t, C.careTeamObjected);
    if (req.informed !== true) return refuse(t, C.careTeamNotInformed, [CONSENT_RECORDS.information, CONSENT_RECORDS.nonOpposition]);
    t.add(C.careTeamOk);
    return { missing: NONE, record: [CONSENT_RECORDS.information, CONSENT_RECORDS.nonOpposition, CONSENT_RECORDS.access], td03 };
  }

  // Outside the care team: explicit consent before each consultation, whatever the last access.
  if (patient.minor === true && req.secret === true) return refuse(t, C.minorSecret);
  if (req.objected === true) return refuse(t, C.explicitRefused);
  const needed = patient.minor === true ? CONSENT_RECORDS.consentLegalRep : CONSENT_RECORDS.consentPatient;
  if (req.consent === undefined || req.consent === null) return refuse(t, C.explicitMissing, [needed]);
  if (patient.minor === true) {
    if (req.consent === 'patient') return refuse(t, C.minorFromPatient, [needed]);
    t.add(C.minorFromRl);
  }
  t.add(C.explicitOk);
  return { missing: NONE, record: [needed, CONSENT_RECORDS.access], td03 };
}
