/**
 * The footnotes of the functional matrix as conditions, each a named rule: a cell "oui(n)" is allowed only
 * when condition n holds (or comes with the restriction n describes). The `*` of a row label is here too.
 */
import { ACCESS_OBLIGATIONS } from './obligations.js';
import { hit } from './rules.js';
import type { PolicySettings } from './settings.js';
import type { Trace } from './trace.js';
import type { AccessMode, AccessActor, AccessDocument } from './types.js';

export const AUTHOR_UNKNOWN = 0;
export const AUTHOR_YES = 1;
export const AUTHOR_NO = 2;

/** Whether `id` is among `ids`: unknown when either side was not given (never guessed from other fields). */
export function membership(id: string | undefined, ids: readonly string[] | undefined): number {
  if (id === undefined || ids === undefined) return AUTHOR_UNKNOWN;
  for (let i = 0; i < ids.length; i++) if (ids[i] === id) return AUTHOR_YES;
  return AUTHOR_NO;
}

export interface FootnoteContext {
  actor: AccessActor;
  doc: AccessDocument | undefined;
  mode: AccessMode;
  settings: PolicySettings;
  /** The patient allowed masked documents in bris de glace / centre 15. */
  maskedVisibleInEmergency: boolean;
  patientDocument: boolean;
  medecinTraitant: boolean;
  /** The current row is marked `*`: on a patient document that rule replaces footnotes 8 and 9. */
  starRow: boolean;
}

const H = Object.freeze({
  fn1Unknown: hit('ACC-FN1-NOT-EXTRACTED', 'unknown', 'Footnote (1) of this cell was not extracted from the matrix, so its condition is unknown (setting footnote1=unknown).'),
  fn1Allow: hit('ACC-FN1-NOT-EXTRACTED', 'info', 'Footnote (1) of this cell was not extracted; it is read as a plain "oui" (setting footnote1=allow).'),
  fn1Deny: hit('ACC-FN1-NOT-EXTRACTED', 'deny', 'Footnote (1) of this cell was not extracted; it is read as "non" (setting footnote1=deny).'),
  fn2: hit('ACC-FN2-SAME-STRUCTURE', 'info'),
  fn3: hit('ACC-FN3-NEW-AUTHORIZATIONS', 'info'),
  fn4: hit('ACC-FN4-IMPUTED-TO-STRUCTURE', 'info'),
  fn5: hit('ACC-FN5-REFERENCES-ONLY', 'info'),
  fn6Author: hit('VIS-MASQUE-PS-AUTHOR', 'allow', 'The document is masked to professionals (MASQUE_PS) and the actor is its author: visible (footnote 6).'),
  fn6Other: hit('VIS-MASQUE-PS-AUTHOR', 'deny', 'The document is masked to professionals (MASQUE_PS) and the actor is not its author: only the author and the médecin traitant see it (footnote 6).'),
  fn6Unknown: hit('VIS-MASQUE-PS-AUTHOR', 'unknown', 'The document is masked to professionals (MASQUE_PS) and only its author sees it (footnote 6), but the actor id or the document authors were not given.'),
  mtEquivalent: hit('VIS-MASQUE-PS-MT-EQUIVALENT', 'allow', 'The document is masked to professionals, and the patient gave this professional the médecin traitant\'s rights (CSP L1111-16): visible.'),
  fn7Allowed: hit('VIS-MASQUE-PS-EMERGENCY', 'allow', 'The document is masked to professionals; the patient allowed masked documents to be read in bris de glace / centre 15 (footnote 7).'),
  fn7Refused: hit('VIS-MASQUE-PS-EMERGENCY', 'deny', 'The document is masked to professionals and the patient did not allow masked documents to be read in bris de glace / centre 15 (footnote 7).'),
  fn8Own: hit('ACC-FN8-OWN-DOCUMENTS', 'allow', 'The actor is the author of the document (footnote 8: own documents only).'),
  fn8Other: hit('ACC-FN8-OWN-DOCUMENTS', 'deny', 'The actor is not the author of the document: this action is allowed on one\'s own documents only (footnote 8).'),
  fn8Unknown: hit('ACC-FN8-OWN-DOCUMENTS', 'unknown', 'This action is allowed on one\'s own documents only (footnote 8), but the document, the actor id or the document authors were not given.'),
  fn9Own: hit('ACC-FN9-STRUCTURE-DOCUMENTS', 'allow', 'The document was authored in the actor\'s structure (footnote 9).'),
  fn9Other: hit('ACC-FN9-STRUCTURE-DOCUMENTS', 'deny', 'The document was not authored in the actor\'s structure: in indirect / CPE mode this action is allowed on the structure\'s documents only (footnote 9).'),
  fn9Unknown: hit('ACC-FN9-STRUCTURE-DOCUMENTS', 'unknown', 'This action is allowed on the structure\'s documents only (footnote 9), but the document, the actor\'s structure or the authors\' structures were not given.'),
  starMt: hit('ACC-PATIENT-DOCUMENT-MT-ONLY', 'allow', 'The document was deposited by the patient and the actor is the médecin traitant, who may act on it (footnote *).'),
  starOther: hit('ACC-PATIENT-DOCUMENT-MT-ONLY', 'deny', 'The document was deposited by the patient: only the médecin traitant (or the patient) may archive or delete it (footnote *).'),
});

/** Applies footnote `fn` of an allowed cell; returns true when it denied. */
export function applyFootnote(fn: string, ctx: FootnoteContext, t: Trace): boolean {
  switch (fn) {
    case '1': {
      const s = ctx.settings.footnote1;
      return t.add(s === 'unknown' ? H.fn1Unknown : s === 'allow' ? H.fn1Allow : H.fn1Deny);
    }
    case '2':
      t.oblige(ACCESS_OBLIGATIONS.SAME_STRUCTURE);
      return t.add(H.fn2);
    case '3':
      t.oblige(ACCESS_OBLIGATIONS.NEW_AUTHORIZATIONS);
      return t.add(H.fn3);
    case '4':
      t.oblige(ACCESS_OBLIGATIONS.IMPUTED_TO_STRUCTURE);
      return t.add(H.fn4);
    case '5':
      t.oblige(ACCESS_OBLIGATIONS.REFERENCES_ONLY);
      return t.add(H.fn5);
    case '6': {
      // The patient may grant the médecin traitant's rights to another professional (CSP L1111-16).
      if (ctx.actor.mtEquivalentRights === true && ctx.mode === 'normal') return t.add(H.mtEquivalent);
      const a = membership(ctx.actor.id, ctx.doc?.authorIds);
      return t.add(a === AUTHOR_YES ? H.fn6Author : a === AUTHOR_NO ? H.fn6Other : H.fn6Unknown);
    }
    case '7':
      return t.add(ctx.maskedVisibleInEmergency ? H.fn7Allowed : H.fn7Refused);
    case '8': {
      // On a patient document of a `*` row, the * rule decides instead (the patient is the author, the MT may act).
      if (ctx.starRow && ctx.doc !== undefined && ctx.patientDocument) return false;
      const a = ctx.doc === undefined ? AUTHOR_UNKNOWN : membership(ctx.actor.id, ctx.doc.authorIds);
      return t.add(a === AUTHOR_YES ? H.fn8Own : a === AUTHOR_NO ? H.fn8Other : H.fn8Unknown);
    }
    case '9': {
      if (ctx.starRow && ctx.doc !== undefined && ctx.patientDocument) return false;
      const a = ctx.doc === undefined ? AUTHOR_UNKNOWN : membership(ctx.actor.structureId, ctx.doc.authorStructureIds);
      return t.add(a === AUTHOR_YES ? H.fn9Own : a === AUTHOR_NO ? H.fn9Other : H.fn9Unknown);
    }
    default:
      throw new Error(`footnote (${fn}) has no condition`);
  }
}

/** The `*` of a row label: on a patient document only the médecin traitant (or the patient) may act. */
export function applyStar(ctx: FootnoteContext, t: Trace): boolean {
  if (ctx.doc === undefined || !ctx.patientDocument) return false;
  return t.add(ctx.medecinTraitant ? H.starMt : H.starOther);
}
