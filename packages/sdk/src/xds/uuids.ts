/**
 * Every identifier the XDS.b metadata model uses on the wire, as named constants: classification schemes,
 * classification nodes, external identifier schemes, object types, association types, statuses, stored
 * query ids, slot names and XML namespaces (IHE ITI TF-3 §4.2, dmp-interface.md §5–§7).
 * Values are copied verbatim; nothing else in the SDK spells one of these strings.
 */

/** XML namespaces of the ebXML Registry 3.0 messages and the XDS.b wrappers. */
export const XDS_NS = {
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  xdsb: 'urn:ihe:iti:xds-b:2007',
  xop: 'http://www.w3.org/2004/08/xop/include',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** ebXML Registry 2.1 namespaces (XDS.a era), recognised on input only. */
export const EBXML_21_NS = {
  rim: 'urn:oasis:names:tc:ebxml-regrep:rim:xsd:2.1',
  rs: 'urn:oasis:names:tc:ebxml-regrep:registry:xsd:2.1',
  query: 'urn:oasis:names:tc:ebxml-regrep:query:xsd:2.1',
} as const;

/** DocumentEntry: classification schemes, external identifiers, object types (ITI TF-3 Table 4.2.5-1). */
export const DOCUMENT_ENTRY = {
  author: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
  classCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
  confidentialityCode: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
  eventCodeList: 'urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4',
  formatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
  healthcareFacilityTypeCode: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
  practiceSettingCode: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
  typeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
  patientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  uniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
  /** objectType of a stable DocumentEntry (every DMP document). */
  stableObjectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  /** objectType of an on-demand DocumentEntry. */
  onDemandObjectType: 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248',
  limitedMetadata: 'urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85',
} as const;

/** SubmissionSet: classification node, schemes, external identifiers. */
export const SUBMISSION_SET = {
  classificationNode: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
  author: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
  contentTypeCode: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
  patientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
  sourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
  uniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  limitedMetadata: 'urn:uuid:5003a9db-8d8d-49e6-bf0c-990e34ac7707',
} as const;

/** Folder: classification node, code list scheme, external identifiers (not used by the DMP, kept for XDS). */
export const FOLDER = {
  classificationNode: 'urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2',
  codeList: 'urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5',
  patientId: 'urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a',
  uniqueId: 'urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a',
  limitedMetadata: 'urn:uuid:2c144a76-29a9-4b7c-af54-b25409fe7d03',
} as const;

/** ebRIM object types written on Association / RegistryPackage / Classification elements. */
export const RIM_OBJECT_TYPE = {
  association: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association',
  registryPackage: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage',
  classification: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
  externalIdentifier: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier',
} as const;

/** Association types (ITI TF-3 §4.2.2). */
export const ASSOCIATION_TYPE = {
  HasMember: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
  RPLC: 'urn:ihe:iti:2007:AssociationType:RPLC',
  XFRM: 'urn:ihe:iti:2007:AssociationType:XFRM',
  APND: 'urn:ihe:iti:2007:AssociationType:APND',
  XFRM_RPLC: 'urn:ihe:iti:2007:AssociationType:XFRM_RPLC',
  signs: 'urn:ihe:iti:2007:AssociationType:signs',
  IsSnapshotOf: 'urn:ihe:iti:2010:AssociationType:IsSnapshotOf',
  UpdateAvailabilityStatus: 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus',
  SubmitAssociation: 'urn:ihe:iti:2010:AssociationType:SubmitAssociation',
} as const;
export type AssociationTypeName = keyof typeof ASSOCIATION_TYPE;

/**
 * Wrong spellings of association types met in notes and old implementations (the ebRIM namespace instead
 * of the IHE one); the decoder maps them to the IHE URN and says so.
 */
export const ASSOCIATION_TYPE_ALIASES: Readonly<Record<string, string>> = {
  'urn:oasis:names:tc:ebxml-regrep:AssociationType:RPLC': ASSOCIATION_TYPE.RPLC,
  'urn:oasis:names:tc:ebxml-regrep:AssociationType:XFRM': ASSOCIATION_TYPE.XFRM,
  'urn:oasis:names:tc:ebxml-regrep:AssociationType:APND': ASSOCIATION_TYPE.APND,
  'urn:oasis:names:tc:ebxml-regrep:AssociationType:XFRM_RPLC': ASSOCIATION_TYPE.XFRM_RPLC,
};

/** SubmissionSetStatus slot values of a HasMember association. */
export const SUBMISSION_SET_STATUS = { Original: 'Original', Reference: 'Reference' } as const;

/**
 * availabilityStatus values: the ebRIM ones and the DMP's own (JDV_J52, dmp-interface.md §6).
 * The DMP keeps archived and deleted ("dépubliés") documents under its CI-SIS URNs.
 */
export const AVAILABILITY_STATUS = {
  Approved: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
  Deprecated: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated',
  Submitted: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted',
  Archived: 'urn:asip:ci-sis:2010:StatusType:Archived',
  Deleted: 'urn:asip:ci-sis:2010:StatusType:Deleted',
} as const;
export type AvailabilityStatusName = keyof typeof AVAILABILITY_STATUS;

/** RegistryResponse/@status values. PartialSuccess is the IHE URN (ebRS 3.0 has none). */
export const RESPONSE_STATUS = {
  Success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  Failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
  PartialSuccess: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
} as const;

/** Other spellings accepted on input: ebRS 2.1 short names and a non-IHE PartialSuccess URN. */
export const RESPONSE_STATUS_ALIASES: Readonly<Record<string, keyof typeof RESPONSE_STATUS>> = {
  Success: 'Success',
  Failure: 'Failure',
  PartialSuccess: 'PartialSuccess',
  'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:PartialSuccess': 'PartialSuccess',
};

export const ERROR_SEVERITY = {
  Error: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error',
  Warning: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning',
} as const;

/** Registry stored query ids (ITI TF-2a §3.18.4.1.2.3.7), by name. */
export const STORED_QUERY = {
  FindDocuments: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
  FindDocumentsByReferenceId: 'urn:uuid:12941a89-e02e-4be5-967c-ce4bfc8fe492',
  FindSubmissionSets: 'urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9',
  FindFolders: 'urn:uuid:958f3006-baad-4929-a4de-ff1114824431',
  GetAll: 'urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3',
  GetDocuments: 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4',
  GetFolders: 'urn:uuid:5737b14c-8a1a-4539-b659-e03a34a5e1e4',
  GetAssociations: 'urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155',
  GetDocumentsAndAssociations: 'urn:uuid:bab9529a-4a10-40b3-a01f-f68a615d247a',
  GetSubmissionSets: 'urn:uuid:51224314-5390-4169-9b91-b1980040715a',
  GetSubmissionSetAndContents: 'urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83',
  GetFolderAndContents: 'urn:uuid:b909a503-523d-4517-8acf-8e5834dfc4c7',
  GetFoldersForDocument: 'urn:uuid:10cae35a-c7f9-4cf5-b61e-fc3278ffb578',
  GetRelatedDocuments: 'urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6',
} as const;
export type StoredQueryName = keyof typeof STORED_QUERY;

const QUERY_NAMES = new Map<string, StoredQueryName>(
  (Object.entries(STORED_QUERY) as [StoredQueryName, string][]).map(([name, id]) => [id, name]),
);

/** The stored query name of an id (case-insensitive on the UUID), or undefined. */
export function storedQueryName(id: string): StoredQueryName | undefined {
  return QUERY_NAMES.get(id.replace(/\s+/g, '').toLowerCase());
}

/** Slot names of the XDS metadata (ITI TF-3 §4.2.3). */
export const SLOT = {
  creationTime: 'creationTime',
  hash: 'hash',
  languageCode: 'languageCode',
  legalAuthenticator: 'legalAuthenticator',
  repositoryUniqueId: 'repositoryUniqueId',
  serviceStartTime: 'serviceStartTime',
  serviceStopTime: 'serviceStopTime',
  size: 'size',
  sourcePatientId: 'sourcePatientId',
  sourcePatientInfo: 'sourcePatientInfo',
  referenceIdList: 'urn:ihe:iti:xds:2013:referenceIdList',
  documentAvailability: 'urn:ihe:iti:2010:DocumentAvailability',
  submissionTime: 'submissionTime',
  intendedRecipient: 'intendedRecipient',
  lastUpdateTime: 'lastUpdateTime',
  codingScheme: 'codingScheme',
  authorPerson: 'authorPerson',
  authorInstitution: 'authorInstitution',
  authorRole: 'authorRole',
  authorSpecialty: 'authorSpecialty',
  authorTelecommunication: 'authorTelecommunication',
  submissionSetStatus: 'SubmissionSetStatus',
  previousVersion: 'PreviousVersion',
  originalStatus: 'OriginalStatus',
  newStatus: 'NewStatus',
} as const;

/** The DMP's own identifiers used in metadata (dmp-interface.md §5.1, §12). */
export const DMP_OIDS = {
  /** repositoryUniqueId of the DMP repository (ITI-43 target). */
  repositoryUniqueId: '1.2.250.1.213.4.1.1.1.2',
  /** The DMP system as HL7v3 device. */
  device: '1.2.250.1.213.4.1.1.1',
  /** TRE_A07 StatutVisibiliteDocument: MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX. */
  visibilityCodeSystem: '1.2.250.1.213.1.1.4.13',
  /** HL7 Confidentiality (N, R, V). */
  hl7Confidentiality: '2.16.840.1.113883.5.25',
} as const;

/** The lot signature entry the DMP requires in every ITI-41 (dmp-interface.md §5.5). */
export const SIGNATURE_ENTRY_CODES = {
  classCode: { code: 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1', codingScheme: 'URN', displayName: 'Digital Signature' },
  typeCode: { code: 'E1762', codingScheme: 'ASTM', displayName: 'Full Document' },
  formatCode: { code: 'http://www.w3.org/2000/09/xmldsig#', codingScheme: 'URN', displayName: 'Default Signature Style' },
  eventCode: { code: '1.2.840.10065.1.12.1.14', codingScheme: '1.2.840.10065.1.12', displayName: 'Source' },
} as const;
