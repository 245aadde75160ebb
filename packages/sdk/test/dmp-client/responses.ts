/** Responses the test server sends, built with the SDK's own codecs (what the DMP answers, per dmp-interface.md). */
import {
  AVAILABILITY_STATUS,
  buildFault,
  buildMtom,
  buildPatientQueryResponse,
  buildSoapResponse,
  DMP_TRANSACTIONS,
  encodeAdhocQueryResponse,
  encodeRegistryResponse,
  encodeRetrieveDocumentSetResponse,
  emptyRegistryObjectList,
  ERROR_SEVERITY,
  RESPONSE_STATUS,
  type DocumentEntry,
} from '../../src/index.js';
import { soapReply, type CapturedRequest, type Reply } from './server.js';

export const SUCCESS = { status: RESPONSE_STATUS.Success, errors: [] };

export function registryReply(req: CapturedRequest, action: string, errors: Array<{ errorCode: string; codeContext: string; location?: string }> = []): Reply {
  const body = encodeRegistryResponse(
    errors.length
      ? { status: RESPONSE_STATUS.Failure, errors: errors.map((e) => ({ ...e, severity: ERROR_SEVERITY.Error })) }
      : SUCCESS,
  );
  return soapReply(req, action, body);
}

/** A stored entry as the registry returns it (entryUUID, lid, version, status, hash/size, repository). */
export function storedEntry(over: Partial<DocumentEntry> = {}): DocumentEntry {
  return {
    entryUUID: 'urn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000a1',
    logicalId: 'urn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000b1',
    version: '1',
    uniqueId: '1.2.250.1.999.1.1.7898.1.42',
    mimeType: 'text/xml',
    title: 'Compte rendu (test)',
    availabilityStatus: AVAILABILITY_STATUS.Approved,
    patientId: '207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH',
    sourcePatientInfo: [],
    authors: [{ authorPerson: '899900063480^^^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS', authorInstitution: [], authorRole: [], authorSpecialty: [] }],
    creationTime: '20240105093000',
    classCode: { code: '10', codingScheme: '1.2.250.1.213.1.1.4.1', displayName: 'Compte rendu' },
    typeCode: { code: '11488-4', codingScheme: '2.16.840.1.113883.6.1', displayName: 'CR de consultation' },
    formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008', codingScheme: '1.3.6.1.4.1.19376.1.2.3', displayName: 'PDF' },
    healthcareFacilityTypeCode: { code: 'SA07', codingScheme: '1.2.250.1.71.4.2.4', displayName: 'Cabinet individuel' },
    practiceSettingCode: { code: 'AMBULATOIRE', codingScheme: '1.2.250.1.213.1.1.4.9', displayName: 'Ambulatoire' },
    confidentialityCode: [{ code: 'N', codingScheme: '2.16.840.1.113883.5.25', displayName: 'Normal' }],
    eventCodeList: [],
    referenceIdList: [],
    hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    size: 0,
    repositoryUniqueId: '1.2.250.1.213.4.1.1.1.2',
    ...over,
  };
}

export function queryReply(req: CapturedRequest, entries: DocumentEntry[], objectRefs: string[] = []): Reply {
  const objects = { ...emptyRegistryObjectList(), documentEntries: entries, objectRefs: objectRefs.map((id) => ({ id })) };
  return soapReply(req, DMP_TRANSACTIONS['TD3.1'].response, encodeAdhocQueryResponse({ ...SUCCESS, objects }));
}

export function retrieveReply(req: CapturedRequest, docs: Array<{ uniqueId: string; content: Buffer }>): Reply {
  const body = encodeRetrieveDocumentSetResponse(
    SUCCESS,
    docs.map((d, i) => ({ repositoryUniqueId: '1.2.250.1.213.4.1.1.1.2', documentUniqueId: d.uniqueId, mimeType: 'text/xml', transfer: { kind: 'xop' as const, contentId: `doc${i}@dmp` } })),
  );
  const action = DMP_TRANSACTIONS['TD3.2'].response;
  const { xml } = buildSoapResponse({ action, body, ...(req.messageId ? { relatesTo: req.messageId } : {}) });
  const mtom = buildMtom({ root: xml, action, attachments: docs.map((d, i) => ({ contentId: `doc${i}@dmp`, contentType: 'text/xml', data: d.content })) });
  return { body: mtom.chunks as Uint8Array[], contentType: mtom.contentType };
}

export function patientQueryReply(req: CapturedRequest, over: { nack?: { code: string; text: string }; exists?: boolean } = {}): Reply {
  const body = buildPatientQueryResponse({
    id: { root: '1.2.250.1.213.4.1.1.1.1', extension: 'resp-1' },
    creationTime: '20260115100000',
    targetMessageId: { root: '1.2.250.1.999.1.1.7898.9', extension: 'req-1' },
    ...(over.nack ? { acknowledgement: { typeCode: 'AE', details: [over.nack] } } : {}),
    reason: 'TEST_EXST',
    queryId: { root: '1.2.250.1.999.1.1.7898.9', extension: 'q-1' },
    queryResponseCode: over.exists === false ? 'NF' : 'OK',
    ...(over.exists === false ? {} : { patient: { ids: [{ root: '1.2.250.1.213.1.4.10', extension: '207058575627097' }], status: 'active' as const } }),
    authorization: 'VALIDE',
    medecinTraitant: false,
  });
  return soapReply(req, DMP_TRANSACTIONS['TD0.2'].response, body);
}

/** The DMP's answer to a VIHF signed with a non-signature certificate (dmp-interface.md §1.1), HTTP 500. */
export function invalidCertificateFault(req: CapturedRequest): Reply {
  const fault = buildFault({
    code: 'Sender',
    subcodes: [{ namespace: 'http://www.w3.org/2003/05/soap-envelope', local: 'DMPInvalidCertificate' }],
    reason: 'Le certificat ayant signé le VIHF est invalide : Not a valid signature certificate',
    lang: 'fr',
  });
  return soapReply(req, 'http://www.w3.org/2005/08/addressing/soap/fault', fault, 500);
}
