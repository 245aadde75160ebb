/**
 * A whole patient situation at once: which documents of a list the actor may consult (TD3.2), and for each
 * one it may not, the rule that says why. Also whether the actor may search the DMP at all (TD3.1).
 */
import type { Policy } from './evaluate.js';
import type { AccessMode, AccessActor, AccessDecision, AccessDocument, AccessPatientState, PolicyTime } from './types.js';

export interface AccessSituation {
  actor: AccessActor;
  patient: AccessPatientState;
  mode?: AccessMode;
  secret?: boolean;
  time: PolicyTime;
  documents: readonly AccessDocument[];
}

export interface AccessDocumentVerdict {
  /** The document's `ref`, else its position in the list (`#1`, `#2`...). */
  readonly ref: string;
  readonly decision: AccessDecision;
}

export interface AccessSituationExplanation {
  /** May the actor search the DMP's metadata at all (TD3.1, no document). */
  readonly search: AccessDecision;
  readonly documents: readonly AccessDocumentVerdict[];
  readonly summary: { readonly total: number; readonly visible: number; readonly hidden: number; readonly undecided: number };
}

export function explainSituation(policy: Policy, s: AccessSituation): AccessSituationExplanation {
  const base = { actor: s.actor, patient: s.patient, mode: s.mode ?? 'normal', time: s.time, ...(s.secret !== undefined ? { secret: s.secret } : {}) };
  const search = policy.evaluate({ ...base, action: 'TD3.1-META' });
  let visible = 0;
  let undecided = 0;
  const documents = s.documents.map((document, i): AccessDocumentVerdict => {
    const decision = policy.evaluate({ ...base, action: 'TD3.2', document });
    if (decision.decision === 'allow') visible++;
    if (decision.raw === 'unknown') undecided++;
    return { ref: document.ref ?? `#${i + 1}`, decision };
  });
  return { search, documents, summary: { total: documents.length, visible, hidden: documents.length - visible, undecided } };
}
