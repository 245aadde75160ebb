/**
 * Visibility of a document: the confidentiality flags of TRE_A07 (MASQUE_PS, INVISIBLE_PATIENT,
 * INVISIBLE_REPRESENTANTS_LEGAUX), the availability status, documents deposited by the patient, and what the
 * patient and the legal representatives see on their side (dmp-interface.md §5.4, §6; terminology.md §7).
 * The professional side of visibility is decided by the evaluator with the matrix rows; this module holds
 * the shared predicates and the patient-portal rules.
 */
import type { DocumentTypeData } from './data-types.js';
import { hit } from './rules.js';
import type { AccessDocumentStatus, AccessDecisionValue, AccessDocument, RuleHit } from './types.js';

export const MASQUE_PS = 'MASQUE_PS';
export const INVISIBLE_PATIENT = 'INVISIBLE_PATIENT';
export const INVISIBLE_REPRESENTANTS_LEGAUX = 'INVISIBLE_REPRESENTANTS_LEGAUX';

/** Flag bits, so a document's flags are read once per decision. */
export const FLAG_MASKED = 1;
export const FLAG_INVISIBLE_PATIENT = 2;
export const FLAG_INVISIBLE_RL = 4;

/** The TRE_A07 flags of a document as bits (N, R, V and unknown codes are ignored). */
export function confidentialityFlags(doc: AccessDocument | undefined): number {
  const codes = doc?.confidentiality;
  if (codes === undefined) return 0;
  let flags = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === MASQUE_PS) flags |= FLAG_MASKED;
    else if (c === INVISIBLE_PATIENT) flags |= FLAG_INVISIBLE_PATIENT;
    else if (c === INVISIBLE_REPRESENTANTS_LEGAUX) flags |= FLAG_INVISIBLE_RL;
  }
  return flags;
}

const PATIENT_TYPE = /^(DOCPAT|EXPPAT_)/;

/**
 * Deposited by the patient: the explicit flag, else the matrix row of its typeCode, else the typeCode pattern
 * (DOCPAT*, EXPPAT_*) or classCode 90. terminology.md §5 warns that classCode alone is not enough.
 */
export function isPatientDocument(doc: AccessDocument, type: DocumentTypeData | undefined): boolean {
  if (doc.patientDeposited !== undefined) return doc.patientDeposited;
  if (type !== undefined) return type.patientDocument;
  if (doc.typeCode !== undefined && PATIENT_TYPE.test(doc.typeCode)) return true;
  return doc.classCode === '90';
}

/** XDS availabilityStatus URNs (JDV_J52) and short names → the short form. */
export const ACCESS_DOCUMENT_STATUSES: Readonly<Record<string, AccessDocumentStatus>> = Object.freeze({
  approved: 'approved',
  archived: 'archived',
  deprecated: 'deprecated',
  deleted: 'deleted',
  'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved': 'approved',
  'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated': 'deprecated',
  'urn:asip:ci-sis:2010:StatusType:Archived': 'archived',
  'urn:asip:ci-sis:2010:StatusType:Deleted': 'deleted',
});

export type PortalAudience = 'patient' | 'legal-representative';

export interface PortalVisibility {
  decision: AccessDecisionValue;
  rules: readonly RuleHit[];
}

const PORTAL = Object.freeze({
  deleted: hit('VIS-PORTAL-DELETED', 'deny'),
  invisiblePatient: hit('VIS-PORTAL-INVISIBLE-PATIENT', 'deny'),
  invisibleRl: hit('VIS-PORTAL-INVISIBLE-RL', 'deny'),
  rlInvisiblePatient: hit('VIS-PORTAL-RL-INVISIBLE-PATIENT', 'unknown'),
  visible: hit('VIS-PORTAL-VISIBLE', 'allow'),
});

/**
 * What the patient or a legal representative sees of a document in their own access (Mon espace santé):
 * the professional-side flag MASQUE_PS does not hide anything from them.
 */
export function portalVisibility(doc: AccessDocument, audience: PortalAudience): PortalVisibility {
  if (doc.status === 'deleted') return { decision: 'deny', rules: [PORTAL.deleted] };
  const flags = confidentialityFlags(doc);
  if (audience === 'patient') {
    return flags & FLAG_INVISIBLE_PATIENT ? { decision: 'deny', rules: [PORTAL.invisiblePatient] } : { decision: 'allow', rules: [PORTAL.visible] };
  }
  if (flags & FLAG_INVISIBLE_RL) return { decision: 'deny', rules: [PORTAL.invisibleRl] };
  if (flags & FLAG_INVISIBLE_PATIENT) return { decision: 'unknown', rules: [PORTAL.rlInvisiblePatient] };
  return { decision: 'allow', rules: [PORTAL.visible] };
}
