/**
 * What the software must do when a decision comes with conditions: record consent, justify a bris de glace,
 * hide a trace, warn the professional... Shared frozen objects: a decision only references them.
 */
import type { AccessObligation } from './types.js';
import { MATRIX_SOURCE } from './rules.js';

const DI = 'dmp-interface.md';

const o = (id: string, text: string, source: string): AccessObligation => Object.freeze({ id, text, source });

export const ACCESS_OBLIGATIONS = Object.freeze({
  RECORD_CONSENT: o('OBL-RECORD-CONSENT', "Record locally the patient's consent (or, for the care team, that the patient was informed and did not object) before consulting.", `${DI} §4.1 (P4D td02); issue 4`),
  CALL_TD03: o('OBL-CALL-TD03-AJOUT', 'Then declare the authorization on the DMP with TD0.3 setAuthorization(action=AJOUT).', `${DI} §1, §4.2`),
  JUSTIFY_BDG: o('OBL-JUSTIFY-BDG', 'Record the justification of the bris de glace before the access; the VIHF purposeofuse is bris_de_glace.', `${DI} §2.1, §4.3; issue 4`),
  HIDE_TRACE: o('OBL-HIDE-TRACE-FROM-LEGAL-REPS', 'Send the VIHF attribute confidentiality-code INVISIBLE_REPRESENTANTS_LEGAUX (JDV_J64) so that the access trace is hidden from the legal representatives.', `${DI} §2.1, §4.3`),
  FEED_NON_OPPOSITION: o('OBL-FEED-NON-OPPOSITION', 'Feed only after the patient was informed and did not object (non-opposition managed and recorded by the LPS).', `${DI} §4.1 (P4D td02)`),
  SAME_STRUCTURE: o('OBL-SAME-STRUCTURE-ONLY', 'The list is limited to the DMPs of professionals of the same structure (footnote 2).', `${MATRIX_SOURCE} footnote (2)`),
  NEW_AUTHORIZATIONS: o('OBL-NEW-AUTHORIZATIONS-ONLY', 'The list is limited, by date, to new authorizations (footnote 3).', `${MATRIX_SOURCE} footnote (3)`),
  IMPUTED_TO_STRUCTURE: o('OBL-IMPUTED-TO-STRUCTURE', 'The deposited document is imputed to the structure (footnote 4).', `${MATRIX_SOURCE} footnote (4)`),
  REFERENCES_ONLY: o('OBL-REFERENCES-ONLY', 'Search with returnType ObjectRef: only document references come back, not metadata (footnote 5).', `${MATRIX_SOURCE} footnote (5); ${DI} §7`),
  WARN_NOT_VISIBLE_TO_PATIENT: o('OBL-WARN-NOT-VISIBLE-TO-PATIENT', 'Warn the professional that the patient cannot see this document yet (INVISIBLE_PATIENT).', 'terminology.md §7.5 (EX_3.2-1025)'),
  SHOW_AS_PATIENT_DOCUMENT: o('OBL-SHOW-AS-PATIENT-DOCUMENT', 'Show the document as deposited by the patient, distinctly from professional documents.', `${DI} §7 (EX_3.1-1040)`),
  NO_DMP_IDENTITY: o('OBL-NO-DMP-IDENTITY', 'Do not display the identity traits returned by the DMP: the local identity (INS) remains the reference.', `${DI} §4.1 (RG_0320)`),
  LIST_CURRENT_BY_DEFAULT: o('OBL-LIST-CURRENT-BY-DEFAULT', 'List this document only when the user asks for archived, deprecated or deleted documents (default searches return Approved documents).', 'terminology.md §7.7; dmp-interface.md §6'),
});

export type ObligationKey = keyof typeof ACCESS_OBLIGATIONS;
