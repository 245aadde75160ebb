/**
 * The rule catalogue of the access policy: one entry per named rule, with its stable id, what it says and
 * where it comes from. Rule hits (what a decision lists) reuse the id and source; their text is specific to
 * the request (which cell, which profile). docs/access-policy.md lists every id (a test checks it).
 *
 * Conventions: ids are stable and never renumbered (ACC- access and patient state, VIS- visibility,
 * DOC- document-type matrix and document lifecycle, CONSENT- consent helpers, POL- settings); texts never
 * carry patient data.
 */
import type { RuleEffect, RuleHit } from './types.js';

const DI = 'dmp-interface.md';
const TM = 'terminology.md';
export const MATRIX_SOURCE = `${DI} §3 (PDT-INF-526 v1.8)`;

export interface PolicyRuleSpec {
  readonly id: string;
  readonly group: 'profile' | 'functional' | 'patient' | 'mode' | 'visibility' | 'document' | 'lifecycle' | 'policy' | 'portal' | 'consent';
  /** What the rule says, in general. */
  readonly summary: string;
  readonly source: string;
}

const r = (id: string, group: PolicyRuleSpec['group'], summary: string, source: string): PolicyRuleSpec => ({ id, group, summary, source });

export const POLICY_RULES = [
  // --- who the actor is ------------------------------------------------------------------------------------
  r('ACC-PROFILE', 'profile', 'The actor falls in one column (A–L) of the functional matrix, from authentication mode, card, profession, médecin traitant status and access mode.', `${MATRIX_SOURCE}; ${DI} §12.5`),
  r('ACC-PROFILE-UNMAPPED', 'profile', 'No column of the functional matrix describes this actor in this access mode (e.g. indirect bris de glace, AIR, a CPE outside normal mode): undecided.', MATRIX_SOURCE),
  r('ACC-SPECIALTY-REQUIRED', 'profile', 'A médecin (G15 10) or pharmacien (G15 21) must send the second subject:role occurrence (savoir-faire / CNOP section); the DMP refuses the VIHF otherwise.', `${DI} §2.2, §12.3`),
  r('ACC-ACTION-UNKNOWN', 'profile', 'The action is not one of the DMP transactions the policy knows.', `${DI} §1`),

  // --- functional matrix ---------------------------------------------------------------------------------
  r('ACC-MATRIX-FUNC', 'functional', 'The cell (action row × profile column) of the functional rights matrix: oui or non, possibly with a footnote condition.', MATRIX_SOURCE),
  r('ACC-FN1-NOT-EXTRACTED', 'functional', 'Footnote (1) (CPE × TD0.3 "se déclarer autorisé") was not extracted from the matrix: its condition is unknown (setting footnote1).', `${MATRIX_SOURCE} footnote (1); ${DI} §11`),
  r('ACC-FN2-SAME-STRUCTURE', 'functional', 'Footnote (2): with a CPE card, TD0.4 lists only the DMPs of professionals of the same structure.', `${MATRIX_SOURCE} footnote (2)`),
  r('ACC-FN3-NEW-AUTHORIZATIONS', 'functional', 'Footnote (3): in indirect mode, TD0.4 is limited, by date, to new authorizations.', `${MATRIX_SOURCE} footnote (3)`),
  r('ACC-FN4-IMPUTED-TO-STRUCTURE', 'functional', 'Footnote (4): in indirect / CPE mode, a deposited document is imputed to the structure.', `${MATRIX_SOURCE} footnote (4)`),
  r('ACC-FN5-REFERENCES-ONLY', 'functional', 'Footnote (5): in indirect / CPE mode, a search returns document references only (e.g. before a deletion), not metadata.', `${MATRIX_SOURCE} footnote (5); ${DI} §12.7`),
  r('ACC-FN8-OWN-DOCUMENTS', 'functional', 'Footnote (8): this TD3.3 action is allowed on the actor\'s own documents only.', `${MATRIX_SOURCE} footnote (8); ${DI} §6`),
  r('ACC-FN9-STRUCTURE-DOCUMENTS', 'functional', 'Footnote (9): in indirect / CPE mode, TD3.3 is allowed on documents of the structure only (authored by the structure or one of its CPE).', `${MATRIX_SOURCE} footnote (9)`),
  r('ACC-FN10-NOT-MES', 'functional', 'Footnote (10): TD1.3b, TD1.4 and TD1.5 are possible only for a DMP not attached to Mon espace santé.', `${MATRIX_SOURCE} footnote (10)`),
  r('ACC-FN11-TD00-WITHDRAWN', 'functional', 'Footnote (11): TD0.0 (INSi through the DMP) was available until 30/09/2023 only.', `${MATRIX_SOURCE} footnote (11)`),
  r('ACC-PATIENT-DOCUMENT-MT-ONLY', 'functional', 'Footnote *: on a document deposited by the patient, only the médecin traitant (or the patient) may archive or delete.', `${MATRIX_SOURCE} footnote *; ${DI} §6`),

  // --- patient state ---------------------------------------------------------------------------------------
  r('ACC-BLOCKED', 'patient', 'A professional blocked by the patient never accesses the DMP, with or without consent; only the TD0.2 status test answers.', `${DI} §4.1 (P4D td02), §12.6`),
  r('ACC-DMP-ABSENT', 'patient', 'The patient has no DMP: TD0.2 answers NF and every patient-scoped transaction fails (XDSUnknownPatientId).', `${DI} §4.1, §12.6`),
  r('ACC-DMP-CLOSED', 'patient', 'A closed DMP (statusCode terminated) refuses feeding and reading; closing it again fails with DMPClosed.', `${DI} §4.1, §12.6`),
  r('ACC-DMP-CLOSED-UNSPECIFIED', 'patient', 'The public material says a closed DMP refuses feeding and consultation, not what it does for this management action: undecided.', `${DI} §12.6`),
  r('ACC-FEED-WITHOUT-MES', 'patient', 'Feeding is possible whether or not the patient activated Mon espace santé; only a closed or absent DMP refuses it.', `${DI} §4.1; issue 4 (consent model)`),

  // --- access mode and authorization ---------------------------------------------------------------------
  r('ACC-BDG-OPPOSED', 'mode', 'The patient opposed bris de glace access (OPPOSITION_BRIS_DE_GLACE): consultation in bris de glace is refused.', `${DI} §4.3, §12.6`),
  r('ACC-C15-OPPOSED', 'mode', 'The patient opposed access by the centre 15 (OPPOSITION_ACCES_URGENCE): the centre 15 no longer skips the authorization check.', `${DI} §4.3, §12.6`),
  r('ACC-EMERGENCY-NO-AUTHORIZATION', 'mode', 'In bris de glace and centre 15 the authorization check is skipped (unless the patient opposed it).', `${DI} §4.1 (P4D td02), §12.6`),
  r('ACC-AUTHORIZATION-VALID', 'mode', 'Document consultation in normal mode needs this professional\'s valid authorization (AUTORISATION VALIDE).', `${DI} §4.1, §12.6`),
  r('ACC-CONSENT-REQUIRED', 'mode', 'No valid authorization (none or expired): consultation is refused until the LPS records the patient\'s consent and declares it with TD0.3.', `${DI} §4.1, §4.2, §12.6`),
  r('ACC-AUTHORIZATION-EXPIRED-LOCAL', 'mode', 'The authorization is older than settings.authorizationValidityDays (the real duration is not public): treated as expired.', `${DI} §4.2, §11`),
  r('ACC-AUTHORIZATION-UNKNOWN', 'mode', 'The authorization status returned by TD0.2 is not one the LPS can interpret: undecided.', `${DI} §4.1, §11`),
  r('ACC-SECRET-ACCESS', 'mode', 'A minor\'s secret access: the VIHF carries confidentiality-code INVISIBLE_REPRESENTANTS_LEGAUX so that the access trace is hidden from the legal representatives.', `${DI} §2.1, §4.3`),

  // --- visibility of a document --------------------------------------------------------------------------
  r('VIS-MASQUE-PS-AUTHOR', 'visibility', 'MASQUE_PS (footnote 6): a document masked to professionals is visible, in normal mode, only to its author (and to the médecin traitant).', `${MATRIX_SOURCE} footnote (6); ${DI} §5.4, §12.7`),
  r('VIS-MASQUE-PS-EMERGENCY', 'visibility', 'MASQUE_PS (footnote 7): in bris de glace / centre 15, a masked document is visible only if the patient allowed it.', `${MATRIX_SOURCE} footnote (7); ${DI} §4.3, §12.7`),
  r('VIS-MASQUE-PS-MT', 'visibility', 'MASQUE_PS: the médecin traitant DMP sees masked documents (matrix column H; CSP L1111-16).', `${MATRIX_SOURCE} column H; ${TM} §6.1, §7.3`),
  r('VIS-MASQUE-PS-MT-EQUIVALENT', 'visibility', 'MASQUE_PS: a professional the patient gave the médecin traitant\'s rights sees masked documents (CSP L1111-16); how the DMP records that grant is not public.', `${TM} §6.1, §7.3`),
  r('VIS-MEDECIN-TRAVAIL', 'visibility', 'The médecin du travail consults no document of the DMP (matrix column G: TD3.2 non in every row).', `${MATRIX_SOURCE} column G; ${DI} §12.7`),
  r('VIS-INVISIBLE-PATIENT', 'visibility', 'INVISIBLE_PATIENT does not restrict professionals; the patient does not see the document yet, so the LPS must warn the professional.', `${DI} §5.4; ${TM} §7.5 (EX_3.2-1025)`),
  r('VIS-INVISIBLE-REPRESENTANTS-LEGAUX', 'visibility', 'INVISIBLE_REPRESENTANTS_LEGAUX does not restrict professionals; it hides the document from the legal representatives of a minor.', `${DI} §4.3, §5.4; ${TM} §7.5`),
  r('VIS-STATUS', 'visibility', 'Archived, deprecated and deleted documents stay consultable by authorized professionals (matrix row "non visibles patient/RL, archivés, obsolètes, supprimés"), but an LPS lists only current (Approved) documents unless the user asks for the others.', `${MATRIX_SOURCE}; ${DI} §6, §12 (ITI-57); ${TM} §7.7`),
  r('VIS-PATIENT-DOCUMENT', 'visibility', 'A document deposited by the patient (DOCPAT*, EXPPAT_*, class 90) is shown distinctly by the LPS; its access follows the document-type matrix row of its typeCode.', `${DI} §7 (EX_3.1-1040); ${TM} §5, §7.6`),
  r('VIS-NO-CUMUL-MASQUE-INVISIBLE', 'visibility', 'MASQUE_PS cannot be combined with INVISIBLE_PATIENT while the DMP parameter cumul-invisible_patient-masque_ps is false.', `${TM} §7.5`),

  // --- document-type matrix -------------------------------------------------------------------------------
  r('DOC-MT-ALL', 'document', 'The médecin traitant DMP (and a professional given the same rights) accesses all documents, whatever their type (CSP L1111-16).', `${TM} §6.1, §7.4`),
  r('DOC-AUTHOR-OWN', 'document', 'The author reads their own documents whatever the document-type matrix (setting authorReadsOwnDocuments; to verify in the DMP guide).', `${TM} §7.2, §8.5`),
  r('DOC-MATRIX-CELL', 'document', 'The cell (typeCode × profession) of the document-type matrix (matrice d\'habilitations), with its evidence.', `${TM} §6.4; DMP-MatriceHabilitation.partial.json`),
  r('DOC-MATRIX-ROW', 'document', 'A statement about a whole column of the document-type matrix (e.g. médecin: every type except ATTEST-RESID), with its evidence.', `${TM} §6.4 (knownRowStatements)`),
  r('DOC-MATRIX-UNKNOWN', 'document', 'The document-type matrix cell is not known publicly (or not in the imported table): undecided; load the official table with `dmp matrix import`.', `${TM} §1, §6.4, §8.1`),
  r('DOC-MATRIX-NO-COLUMN', 'document', 'The actor\'s profession is not a column of the document-type matrix in use: undecided.', `${TM} §6.2, §7`),
  r('DOC-MATRIX-ROLE-BASED-DISABLED', 'document', 'Cells of professions "à rôle" are not applied (setting roleBasedProfessions; the 2023 rules were suspended by litigation).', `${TM} §6.1, §7.10`),
  r('DOC-MATRIX-EMERGENCY', 'document', 'Whether the document-type matrix restricts bris de glace and centre 15 is not public (setting documentMatrixInEmergency).', `${TM} §7.8`),
  r('DOC-TYPECODE-MISSING', 'document', 'The document has no typeCode: its document-type matrix row cannot be found.', `${TM} §6.1`),
  r('DOC-MATRIX-NOT-EVALUATED', 'document', 'No document was given: only the functional right was checked, not the document-type matrix.', `${TM} §6.1`),

  // --- lifecycle -------------------------------------------------------------------------------------------
  r('DOC-STATUS-TRANSITION', 'lifecycle', 'Availability-status transitions of ITI-57: Approved→Archived, Archived→Approved, Approved→Deleted, Archived→Deleted are observed; others are not documented.', `${DI} §6, §12 (ITI-57)`),
  r('DOC-REPLACE-TARGET', 'lifecycle', 'A replacement (RPLC) targets an Approved or Archived document, which becomes Deprecated.', `${DI} §6, §12 (ITI-41 checklist)`),
  r('DOC-REPLACE-AUTHOR', 'lifecycle', 'Who may replace a document is not documented publicly; the same author or structure is assumed to be allowed.', `${DI} §12 (ITI-41 checklist: "assume same structure/author")`),

  // --- settings --------------------------------------------------------------------------------------------
  r('POL-UNKNOWN-AS-DENY', 'policy', 'An undecided request is denied (setting onUnknown=deny, the default).', 'dmpkit policy setting onUnknown'),
  r('POL-UNKNOWN-AS-ALLOW', 'policy', 'An undecided request is allowed (setting onUnknown=allow).', 'dmpkit policy setting onUnknown'),

  // --- patient portal (patient and legal representatives) ----------------------------------------------------
  r('VIS-PORTAL-INVISIBLE-PATIENT', 'portal', 'INVISIBLE_PATIENT hides the document from the patient.', `${DI} §5.4; ${TM} §7.5`),
  r('VIS-PORTAL-INVISIBLE-RL', 'portal', 'INVISIBLE_REPRESENTANTS_LEGAUX hides the document from the legal representatives of a minor.', `${DI} §4.3, §5.4`),
  r('VIS-PORTAL-RL-INVISIBLE-PATIENT', 'portal', 'Whether INVISIBLE_PATIENT also hides the document from the legal representatives is not public: undecided.', `${DI} §5.4`),
  r('VIS-PORTAL-DELETED', 'portal', 'A deleted document is unpublished ("dépublié"): the patient no longer sees it.', `${DI} §6`),
  r('VIS-PORTAL-VISIBLE', 'portal', 'By default a document is visible to the patient; MASQUE_PS masks it to professionals only.', `${DI} §5.4`),

  // --- consent helpers (point 3 of issue 4) --------------------------------------------------------------------
  r('CONSENT-BLOCKED', 'consent', 'A blocked professional never gets in, with or without the patient\'s consent.', `${DI} §4.1; issue 4`),
  r('CONSENT-DMP-ABSENT', 'consent', 'There is no DMP: nothing can be fed or consulted.', `${DI} §4.1; issue 4`),
  r('CONSENT-DMP-CLOSED', 'consent', 'The DMP is closed: nothing can be fed or consulted.', `${DI} §4.1, §12.6; issue 4`),
  r('CONSENT-FEED-WITHOUT-MES', 'consent', 'Feeding is possible even when the patient did not activate Mon espace santé.', 'issue 4 (consent model)'),
  r('CONSENT-CPE-FEED-ONLY', 'consent', 'A CPE card may feed the DMP but not consult it.', `${MATRIX_SOURCE} column J; issue 4`),
  r('CONSENT-BDG-OPPOSED', 'consent', 'Bris de glace is refused: the patient opposed it.', `${DI} §4.3; issue 4`),
  r('CONSENT-BDG-JUSTIFICATION', 'consent', 'Bris de glace needs a justification, recorded locally before the access.', `${DI} §4.3; ${TM} §7.8; issue 4`),
  r('CONSENT-C15-SKIP', 'consent', 'The centre 15 skips the authorization check (no consent to collect) unless the patient opposed it.', `${DI} §4.1 (P4D td02); issue 4`),
  r('CONSENT-C15-OPPOSED', 'consent', 'The patient opposed access by the centre 15: the normal consent rules apply.', `${DI} §4.3; issue 4`),
  r('CONSENT-FEED-NON-OPPOSITION', 'consent', 'Feeding needs the patient informed and not objecting (non-opposition, managed by the LPS); no authorization is needed.', `${DI} §4.1 (P4D td02); issue 4`),
  r('CONSENT-CARE-TEAM-PRESUMED', 'consent', 'A member of the care team (the médecin traitant included) is presumed authorized once the patient was informed and did not object.', 'issue 4 (consent model); CSP L1111-15/L1110-12'),
  r('CONSENT-EXPLICIT-REQUIRED', 'consent', 'A professional outside the care team needs the patient\'s explicit consent (oral is enough) before each consultation.', 'issue 4 (consent model)'),
  r('CONSENT-MINOR-LEGAL-REPRESENTATIVE', 'consent', 'For a minor, the explicit consent is given by a legal representative.', 'issue 4 (consent model)'),
  r('CONSENT-MINOR-SECRET', 'consent', 'In a minor\'s secret access the legal representatives must not be involved; who consents then is not in the public rules: undecided.', `${DI} §4.3; issue 4`),
  r('CONSENT-FIRST-OR-STALE', 'consent', 'Consent (information and non-opposition for the care team) is collected at the first access and again after settings.consentValidityMonths (6) months without access, then declared with TD0.3.', 'issue 4 (consent model); dmpkit setting consentValidityMonths'),
  r('CONSENT-NOT-APPLICABLE', 'consent', 'The actor cannot consult in this mode whatever the consent (functional matrix).', MATRIX_SOURCE),
] as const satisfies readonly PolicyRuleSpec[];

export type PolicyRuleId = (typeof POLICY_RULES)[number]['id'];

const BY_ID: ReadonlyMap<string, PolicyRuleSpec> = new Map(POLICY_RULES.map((x) => [x.id, x]));

export function policyRuleSpec(id: string): PolicyRuleSpec | undefined {
  return BY_ID.get(id);
}

/** A rule hit with the catalogue's source; `text` defaults to the catalogue summary. Frozen: hits are shared. */
export function hit(id: PolicyRuleId, effect: RuleEffect, text?: string, sourceExtra?: string): RuleHit {
  const spec = BY_ID.get(id)!;
  return Object.freeze({ id, effect, text: text ?? spec.summary, source: sourceExtra ? `${spec.source}; ${sourceExtra}` : spec.source });
}
