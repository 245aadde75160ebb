/**
 * A fictitious DMP lot (patient, professional and identifiers invented; codes real) shared by the XDS tests:
 * a SubmissionSet, a CDA DocumentEntry and the lot's signature entry, as the DMP's TD2.1 example has them.
 */
import type { DocumentEntry, XdsAuthor } from '../../src/xds/model.js';
import type { SubmissionSetInput } from '../../src/xds/submission.js';
import { DMP_OIDS, SIGNATURE_ENTRY_CODES } from '../../src/xds/uuids.js';

export const PATIENT = '1234567890123^^^&1.2.250.1.213.1.4.10&ISO^NH';
export const sender: XdsAuthor = {
  authorPerson: '800000000001^DOC^TEST^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS',
  authorInstitution: ['CABINET TEST^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^400000000000001'],
  authorRole: [],
  authorSpecialty: ['G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5'],
};
export const submissionSet: SubmissionSetInput = {
  uniqueId: '1.2.250.1.999.1.1.1.1',
  sourceId: '1.2.250.1.999.1.1',
  patientId: PATIENT,
  submissionTime: '20240101120000',
  title: 'Lot',
  comments: 'Compte rendu',
  authors: [sender],
  contentTypeCode: { code: '04', codingScheme: '1.2.250.1.213.2.2', displayName: 'Hospitalisation de jour' },
};
export const common = {
  patientId: PATIENT,
  authors: [sender],
  legalAuthenticator: sender.authorPerson!,
  healthcareFacilityTypeCode: { code: 'SA01', codingScheme: '1.2.250.1.71.4.2.4', displayName: 'Etablissement public de santé' },
  practiceSettingCode: { code: 'ETABLISSEMENT', codingScheme: '1.2.250.1.213.1.1.4.9', displayName: 'Etablissement de santé' },
  referenceIdList: [],
};
export const documentEntry: DocumentEntry = {
  ...common,
  uniqueId: '1.2.250.1.999.1.1.2.1',
  mimeType: 'text/xml',
  title: 'Document',
  comments: 'commentaire',
  creationTime: '20240101110000',
  languageCode: 'fr-FR',
  sourcePatientId: '0001^^^&1.2.250.1.999.1.1.3&ISO^PI',
  sourcePatientInfo: ['PID-5|TEST^PATIENT^^^^^L', 'PID-7|19700101', 'PID-8|F'],
  serviceStartTime: '20240101100000',
  serviceStopTime: '20240101103000',
  classCode: { code: '10', codingScheme: '1.2.250.1.213.1.1.4.1', displayName: 'Compte rendu' },
  typeCode: { code: '11488-4', codingScheme: '2.16.840.1.113883.6.1', displayName: 'CR ou fiche de consultation ou de visite' },
  confidentialityCode: [{ code: 'N', codingScheme: '2.16.840.1.113883.5.25', displayName: 'Normal' }],
  formatCode: { code: 'urn:ihe:iti:xds-sd:text:2008', codingScheme: '1.3.6.1.4.1.19376.1.2.3', displayName: 'Texte' },
  eventCodeList: [],
};
export const signatureEntry: DocumentEntry = {
  ...common,
  uniqueId: '1.2.250.1.999.1.1.2.2',
  mimeType: 'text/xml',
  title: 'Source',
  creationTime: '20240101120000',
  languageCode: 'art',
  sourcePatientId: PATIENT,
  sourcePatientInfo: [],
  serviceStartTime: '20240101120000',
  serviceStopTime: '20240101120000',
  classCode: { ...SIGNATURE_ENTRY_CODES.classCode },
  typeCode: { ...SIGNATURE_ENTRY_CODES.typeCode },
  formatCode: { ...SIGNATURE_ENTRY_CODES.formatCode },
  eventCodeList: [{ ...SIGNATURE_ENTRY_CODES.eventCode }],
  confidentialityCode: [
    { code: 'N', codingScheme: '2.16.840.1.113883.5.25', displayName: 'Normal' },
    { code: 'MASQUE_PS', codingScheme: DMP_OIDS.visibilityCodeSystem, displayName: 'Masqué aux professionnels de santé' },
    { code: 'INVISIBLE_PATIENT', codingScheme: DMP_OIDS.visibilityCodeSystem, displayName: 'Non visible par le patient' },
  ],
};

