/**
 * Every access goes through the SDK's evaluator: this module only gathers its inputs from the VIHF and the store
 * (the actor, the patient's state for this actor, the document), records the access trace and the patient
 * notifications, and keeps the decision for the request log. No rule is written here.
 */
import {
  accessActorFromVihf,
  accessDocumentFromEntry,
  type AccessDecision,
  type AccessPatientState,
  type AccessRequest,
  type DmpActionId,
  type VihfContext,
} from '@dmpkit/sdk';
import type { SoapCall } from '../server/soap-call.js';
import type { PatientRecord, StoredEntry } from '../store/store.js';

/** The patient's state as this actor sees it (authorization, block, oppositions). */
export function patientStateFor(call: SoapCall, patient: PatientRecord | undefined): AccessPatientState {
  if (!patient) return { dmp: 'absent' };
  const auth = call.ctx.store.authorization(patient.ins, call.vihf.nameId);
  return {
    dmp: patient.dmp,
    mesActivated: patient.mesActivated,
    authorization: auth?.status === 'valid' ? 'valid' : auth?.status === 'expired' ? 'expired' : 'none',
    ...(auth && auth.status !== 'blocked' ? { authorizedAt: auth.since } : {}),
    blocked: auth?.status === 'blocked',
    opposedBrisDeGlace: patient.opposedBrisDeGlace,
    opposedCentre15: patient.opposedCentre15,
    maskedVisibleInEmergency: patient.maskedVisibleInEmergency,
    minor: patient.minor,
  };
}

export function accessRequestFor(call: SoapCall, action: DmpActionId, patient: PatientRecord | undefined, entry?: StoredEntry): AccessRequest {
  const v: VihfContext = call.vihf;
  const professional = call.ctx.store.professional(v.nameId);
  const auth = patient ? call.ctx.store.authorization(patient.ins, v.nameId) : undefined;
  const actor = accessActorFromVihf(v, { ...(professional?.card ? { card: professional.card } : {}), medecinTraitant: auth?.medecinTraitant === true && auth.status !== 'blocked' });
  return {
    action,
    actor,
    patient: patientStateFor(call, patient),
    mode: v.purposeOfUse,
    secret: v.confidentialityCode === 'INVISIBLE_REPRESENTANTS_LEGAUX',
    ...(entry ? { document: accessDocumentFromEntry(entry.entry, entry.uniqueId) } : {}),
    time: call.now,
  };
}

export interface GateOptions {
  /** Record an access trace (default true for patient-scoped actions). */
  trace?: boolean;
  /** A search filters silently: keep the decision for the log, not one trace per hidden document. */
  quiet?: boolean;
}

/** Keeps the decision for the request log; returns its rules as the trace records them. */
function keep(call: SoapCall, action: DmpActionId, entry: StoredEntry | undefined, decision: AccessDecision): Array<{ id: string; effect: string; text: string }> {
  const rules = decision.rules.map((r) => ({ id: r.id, effect: r.effect, text: r.text }));
  call.decisions.push({ action, ...(entry ? { document: entry.uniqueId } : {}), decision: decision.decision, reason: decision.reason, rules });
  return rules;
}

/**
 * decide(…, { quiet: true }) for each entry of a search, with the actor and the patient's state read once (they
 * were read again, three queries, for every document of the answer).
 */
export function decideEachQuietly(call: SoapCall, action: DmpActionId, patient: PatientRecord, entries: readonly StoredEntry[]): AccessDecision[] {
  const base = accessRequestFor(call, action, patient);
  return entries.map((entry) => {
    const decision = call.ctx.policy.evaluate({ ...base, document: accessDocumentFromEntry(entry.entry, entry.uniqueId) });
    keep(call, action, entry, decision);
    return decision;
  });
}

/** Evaluates, then records what the DMP would record. Returns the SDK's decision. */
export function decide(call: SoapCall, action: DmpActionId, patient: PatientRecord | undefined, entry?: StoredEntry, options: GateOptions = {}): AccessDecision {
  const decision = call.ctx.policy.evaluate(accessRequestFor(call, action, patient, entry));
  const rules = keep(call, action, entry, decision);
  if (options.quiet || options.trace === false || !patient) return decision;
  const v = call.vihf;
  const firstAccess = decision.decision === 'allow' && !call.ctx.store.hasAccessed(patient.ins, v.nameId);
  call.traceIds.push(
    call.ctx.store.addTrace({
      at: call.now,
      ins: patient.ins,
      actorId: v.nameId,
      ...(v.subjectId ? { actorName: v.subjectId } : {}),
      actorProfession: v.profession.code,
      structureId: v.structureId,
      action,
      mode: v.purposeOfUse,
      secret: v.confidentialityCode === 'INVISIBLE_REPRESENTANTS_LEGAUX',
      decision: decision.decision,
      ...(entry ? { document: entry.uniqueId } : {}),
      rules,
    }),
  );
  if (decision.decision === 'allow') {
    const who = v.subjectId ?? v.nameId;
    // A secret access (minor) is not notified: the trace is hidden from the legal representatives.
    if (firstAccess && !(v.confidentialityCode === 'INVISIBLE_REPRESENTANTS_LEGAUX')) {
      call.ctx.store.addNotification({ at: call.now, ins: patient.ins, kind: 'first-access', text: `Premier accès de ${who} à votre dossier`, actorId: v.nameId });
    }
    if (v.purposeOfUse !== 'normal' && action !== 'TD0.2') {
      const kind = v.purposeOfUse === 'bris_de_glace' ? 'bris-de-glace' : 'centre-15';
      const label = v.purposeOfUse === 'bris_de_glace' ? 'en bris de glace' : 'par un centre de régulation (centre 15)';
      call.ctx.store.addNotification({ at: call.now, ins: patient.ins, kind, text: `Accès ${label} par ${who}`, actorId: v.nameId, ...(entry ? { document: entry.uniqueId } : {}) });
    }
  }
  return decision;
}

/** The reason of a refusal, as the simulator writes it in codeContext / fault reasons: the rule ids, then the text. */
export function refusalText(d: AccessDecision): string {
  const deciding = d.rules.filter((r) => r.effect === 'deny' || r.effect === 'unknown').map((r) => r.id);
  return `Accès refusé par la politique d'accès DMP (${deciding.join(', ') || 'policy'}) : ${d.reason}`;
}
