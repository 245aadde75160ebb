/**
 * What we build we read back identically: property tests (fast-check) over the registry object model,
 * responses, stored queries and retrieve bodies, through the encoder, the safe XML parser and the decoder.
 * Generated values include XML-special characters, tabs, CR/LF, non-ASCII and astral characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeXds } from '../../src/xds/decode.js';
import type { DecodedAdhocQueryRequest, DecodedAdhocQueryResponse, DecodedRegistryResponse, DecodedRetrieveRequest, DecodedRetrieveResponse, DecodedSubmitObjectsRequest } from '../../src/xds/ebrim-decode.js';
import {
  encodeAdhocQueryRequest,
  encodeAdhocQueryResponse,
  encodeDocumentEntry,
  encodeRegistryResponse,
  encodeRetrieveDocumentSetRequest,
  encodeRetrieveDocumentSetResponse,
  encodeSubmitObjectsRequest,
} from '../../src/xds/ebrim-encode.js';
import type { AdhocQueryResponse, Association, DocumentEntry, Folder, RawClassification, RegistryObjectList, RegistryResponse, SubmissionSet, XdsAuthor, XdsCode } from '../../src/xds/model.js';
import { StoredQuerySchema, type StoredQueryInput } from '../../src/xds/stored-query.js';
import { ASSOCIATION_TYPE, AVAILABILITY_STATUS, DOCUMENT_ENTRY, ERROR_SEVERITY, RESPONSE_STATUS, SLOT } from '../../src/xds/uuids.js';

const RUNS = { numRuns: 60 };

/** Characters that exercise escaping and normalisation: markup, quotes, whitespace, non-ASCII, astral. */
const tricky = fc.constantFrom('a', 'Z', '0', ' ', '&', '<', '>', '"', "'", '\t', '\n', '\r', 'é', 'ç', '^', '|', '~', '\\', '€', '😀', '#', '=', ';');
const text = fc.string({ unit: tricky, maxLength: 12 });
const nonEmpty = fc.string({ unit: tricky, minLength: 1, maxLength: 12 });
const token = fc.string({ unit: fc.constantFrom('a', 'B', '1', '.', '-', '_'), minLength: 1, maxLength: 10 });
const urnUuid = fc.uuid().map((u) => `urn:uuid:${u}`);
const id = fc.oneof(urnUuid, token);

const KNOWN_SLOTS = new Set<string>(Object.values(SLOT));
const extraSlots = fc.array(fc.record({ name: token.filter((n) => !KNOWN_SLOTS.has(n)), values: fc.array(text, { maxLength: 3 }) }), { minLength: 1, maxLength: 2 });
const code: fc.Arbitrary<XdsCode> = fc.record({ code: nonEmpty, codingScheme: text, displayName: text }, { requiredKeys: ['code', 'codingScheme'] });
const author: fc.Arbitrary<XdsAuthor> = fc.record(
  {
    authorPerson: text,
    authorInstitution: fc.array(text, { maxLength: 2 }),
    authorRole: fc.array(text, { maxLength: 2 }),
    authorSpecialty: fc.array(text, { maxLength: 2 }),
    authorTelecommunication: fc.array(text, { minLength: 1, maxLength: 2 }),
    extraSlots: extraSlots.map((s) => s.filter((x) => !x.name.startsWith('author'))).filter((s) => s.length > 0),
  },
  { requiredKeys: ['authorInstitution', 'authorRole', 'authorSpecialty'] },
);
/** A classification with a scheme the model does not know (so it stays an extra), fully identified. */
const rawClassification = (objectId: string): fc.Arbitrary<RawClassification> =>
  fc.record(
    { id: id, classificationScheme: urnUuid, classifiedObject: fc.constant(objectId), nodeRepresentation: text, name: text, slots: fc.array(fc.record({ name: token, values: fc.array(text, { maxLength: 2 }) }), { maxLength: 2 }) },
    { requiredKeys: ['id', 'classificationScheme', 'classifiedObject', 'slots'] },
  );
const rawExternalIds = (objectId: string) =>
  fc.array(fc.record({ id: id, identificationScheme: urnUuid, value: text, registryObject: fc.constant(objectId), name: text }, { requiredKeys: ['id', 'identificationScheme', 'value', 'registryObject'] }), { minLength: 1, maxLength: 2 });

const registryExtras = (objectId: string) => ({
  logicalId: id,
  version: token,
  homeCommunityId: token,
  extraSlots,
  extraClassifications: fc.array(rawClassification(objectId), { minLength: 1, maxLength: 2 }),
  extraExternalIdentifiers: rawExternalIds(objectId),
});

const documentEntry: fc.Arbitrary<DocumentEntry> = id.chain((entryUUID) =>
  fc.record(
    {
      entryUUID: fc.constant(entryUUID),
      uniqueId: text,
      mimeType: text,
      title: text,
      comments: text,
      creationTime: text,
      languageCode: text,
      patientId: text,
      sourcePatientId: text,
      sourcePatientInfo: fc.array(text, { maxLength: 3 }),
      authors: fc.array(author, { maxLength: 2 }),
      legalAuthenticator: text,
      serviceStartTime: text,
      serviceStopTime: text,
      classCode: code,
      typeCode: code,
      formatCode: code,
      healthcareFacilityTypeCode: code,
      practiceSettingCode: code,
      confidentialityCode: fc.array(code, { maxLength: 3 }),
      eventCodeList: fc.array(code, { maxLength: 3 }),
      referenceIdList: fc.array(text, { maxLength: 2 }),
      hash: text,
      size: fc.nat(),
      repositoryUniqueId: text,
      availabilityStatus: fc.constantFrom(...Object.values(AVAILABILITY_STATUS)),
      objectType: fc.constantFrom(DOCUMENT_ENTRY.stableObjectType, DOCUMENT_ENTRY.onDemandObjectType),
      isOpaque: fc.constantFrom('true', 'false'),
      ...registryExtras(entryUUID),
    },
    { requiredKeys: ['entryUUID', 'uniqueId', 'mimeType', 'sourcePatientInfo', 'authors', 'confidentialityCode', 'eventCodeList', 'referenceIdList', 'objectType'] },
  ),
);

const submissionSet: fc.Arbitrary<SubmissionSet> = id.chain((entryUUID) =>
  fc.record(
    {
      entryUUID: fc.constant(entryUUID),
      uniqueId: text,
      sourceId: text,
      patientId: text,
      submissionTime: text,
      title: text,
      comments: text,
      authors: fc.array(author, { maxLength: 2 }),
      contentTypeCode: code,
      intendedRecipient: fc.array(text, { maxLength: 2 }),
      availabilityStatus: fc.constantFrom(...Object.values(AVAILABILITY_STATUS)),
      ...registryExtras(entryUUID),
    },
    { requiredKeys: ['entryUUID', 'uniqueId', 'sourceId', 'patientId', 'submissionTime', 'authors', 'intendedRecipient'] },
  ),
);

const folder: fc.Arbitrary<Folder> = id.chain((entryUUID) =>
  fc.record(
    { entryUUID: fc.constant(entryUUID), uniqueId: text, patientId: text, title: text, comments: text, codeList: fc.array(code, { maxLength: 2 }), lastUpdateTime: text, availabilityStatus: fc.constantFrom(...Object.values(AVAILABILITY_STATUS)), ...registryExtras(entryUUID) },
    { requiredKeys: ['entryUUID', 'uniqueId', 'patientId', 'codeList'] },
  ),
);

const TYPED_ASSOCIATION_SLOTS = new Set<string>([SLOT.submissionSetStatus, SLOT.previousVersion, SLOT.originalStatus, SLOT.newStatus]);
const association: fc.Arbitrary<Association> = id.chain((entryUUID) =>
  fc.record(
    {
      entryUUID: fc.constant(entryUUID),
      type: fc.oneof(fc.constantFrom(...Object.values(ASSOCIATION_TYPE)), urnUuid),
      sourceObject: id,
      targetObject: id,
      submissionSetStatus: fc.constantFrom('Original', 'Reference'),
      previousVersion: token,
      originalStatus: fc.constantFrom(...Object.values(AVAILABILITY_STATUS)),
      newStatus: fc.constantFrom(...Object.values(AVAILABILITY_STATUS)),
      availabilityStatus: fc.constantFrom(...Object.values(AVAILABILITY_STATUS)),
      objectType: token,
      logicalId: id,
      version: token,
      homeCommunityId: token,
      extraSlots: extraSlots.map((s) => s.filter((x) => !TYPED_ASSOCIATION_SLOTS.has(x.name))).filter((s) => s.length > 0),
    },
    { requiredKeys: ['entryUUID', 'type', 'sourceObject', 'targetObject'] },
  ),
);

const objectList: fc.Arbitrary<RegistryObjectList> = fc.record({
  submissionSets: fc.array(submissionSet, { maxLength: 1 }),
  folders: fc.array(folder, { maxLength: 1 }),
  documentEntries: fc.array(documentEntry, { maxLength: 3 }),
  associations: fc.array(association, { maxLength: 3 }),
  objectRefs: fc.array(fc.record({ id, home: token }, { requiredKeys: ['id'] }), { maxLength: 2 }),
  classifications: fc.array(
    fc.record({ id, classificationScheme: urnUuid, classificationNode: urnUuid, classifiedObject: id, nodeRepresentation: text, slots: fc.constant([]) }, { requiredKeys: ['id', 'classifiedObject', 'slots'] }),
    { maxLength: 2 },
  ),
});

const registryError = fc.record(
  {
    errorCode: token,
    severity: fc.constantFrom(ERROR_SEVERITY.Error, ERROR_SEVERITY.Warning),
    codeContext: text,
    location: text,
    // The decoder trims the element text: generate it trimmed and non-empty.
    value: nonEmpty.map((v) => v.trim()).filter((v) => v.length > 0),
  },
  { requiredKeys: ['errorCode', 'severity', 'codeContext'] },
);

const registryResponse: fc.Arbitrary<RegistryResponse> = fc.record(
  {
    status: fc.constantFrom(...Object.values(RESPONSE_STATUS)),
    requestId: token,
    errors: fc.array(registryError, { maxLength: 3 }),
    highestSeverity: fc.constantFrom(ERROR_SEVERITY.Error, ERROR_SEVERITY.Warning),
    responseSlots: extraSlots,
  },
  { requiredKeys: ['status', 'errors'] },
);

function decode<T>(xml: string): T {
  const r = decodeXds(xml);
  expect(r.message, JSON.stringify(r.issues)).toBeDefined();
  return r.message as T;
}

describe('ebRIM round trips (property)', () => {
  it('SubmitObjectsRequest: every registry object reads back identically', () => {
    fc.assert(
      fc.property(objectList, (list) => {
        const back = decode<DecodedSubmitObjectsRequest>(encodeSubmitObjectsRequest(list));
        expect(back.objects).toEqual(list);
      }),
      RUNS,
    );
  });

  it('RegistryResponse: status, errors, highest severity and response slots read back identically', () => {
    fc.assert(
      fc.property(registryResponse, (r) => {
        const back = decode<DecodedRegistryResponse>(encodeRegistryResponse(r));
        const { kind, outcome, errorListPresent, ...rest } = back;
        expect(kind).toBe('RegistryResponse');
        expect(rest).toEqual(r);
        expect(errorListPresent).toBe(r.errors.length > 0 || r.highestSeverity !== undefined);
        expect(outcome).not.toBe('Unknown');
      }),
      RUNS,
    );
  });

  it('AdhocQueryResponse: counts and registry objects read back identically', () => {
    const response: fc.Arbitrary<AdhocQueryResponse> = fc
      .tuple(registryResponse, objectList, fc.option(fc.nat(), { nil: undefined }), fc.option(fc.nat(), { nil: undefined }))
      .map(([r, objects, startIndex, totalResultCount]) => ({ ...r, objects, ...(startIndex !== undefined ? { startIndex } : {}), ...(totalResultCount !== undefined ? { totalResultCount } : {}) }));
    fc.assert(
      fc.property(response, (r) => {
        const back = decode<DecodedAdhocQueryResponse>(encodeAdhocQueryResponse(r));
        const { kind: _k, outcome: _o, errorListPresent: _e, packages: _p, ...rest } = back;
        expect(rest).toEqual(r);
      }),
      RUNS,
    );
  });

  it('AdhocQueryResponse with encodedDocumentEntries: the same response as from the entries themselves', () => {
    // A registry keeping each entry's encodeDocumentEntry output (the simulator) answers with it; the entries must
    // read back identically and in the same place, whatever else the list holds.
    fc.assert(
      fc.property(objectList, (objects) => {
        const whole = decode<DecodedAdhocQueryResponse>(encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], objects }));
        const encodedDocumentEntries = objects.documentEntries.map((e) => encodeDocumentEntry(e));
        const fromStored = decode<DecodedAdhocQueryResponse>(encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], objects: { ...objects, documentEntries: [] } }, { encodedDocumentEntries }));
        expect(fromStored.objects).toEqual(whole.objects);
        expect(fromStored.objects).toEqual(objects);
      }),
      RUNS,
    );
  });

  it('stored queries: every typed query reads back as the same typed query', () => {
    const qcode = fc.record({ code: fc.string({ unit: fc.constantFrom('A', '1', "'", ',', '(', ')', ' ', '-'), minLength: 1, maxLength: 8 }).filter((c) => c.trim() === c && c.length > 0), codingScheme: token });
    const time = fc.stringMatching(/^\d{4}(\d{2}){0,5}$/);
    const statuses = fc.array(fc.constantFrom(...Object.values(AVAILABILITY_STATUS)), { minLength: 1, maxLength: 3 });
    const strings = fc.array(nonEmpty.filter((s) => s.trim() === s && s.length > 0), { minLength: 1, maxLength: 3 });
    const find = fc.record(
      {
        query: fc.constant('FindDocuments' as const),
        returnType: fc.constantFrom('LeafClass' as const, 'ObjectRef' as const),
        patientId: nonEmpty.filter((s) => s.trim() === s && s.length > 0),
        status: statuses,
        classCode: fc.array(qcode, { minLength: 1, maxLength: 2 }),
        typeCode: fc.array(qcode, { minLength: 1, maxLength: 2 }),
        practiceSettingCode: fc.array(qcode, { minLength: 1, maxLength: 2 }),
        healthcareFacilityTypeCode: fc.array(qcode, { minLength: 1, maxLength: 2 }),
        eventCode: fc.array(qcode, { minLength: 1, maxLength: 2 }),
        confidentialityCode: fc.array(qcode, { minLength: 1, maxLength: 2 }),
        formatCode: fc.array(qcode, { minLength: 1, maxLength: 2 }),
        creationTimeFrom: time,
        creationTimeTo: time,
        serviceStartTimeFrom: time,
        serviceStartTimeTo: time,
        serviceStopTimeFrom: time,
        serviceStopTimeTo: time,
        authorPerson: strings,
        objectType: fc.array(fc.constantFrom(DOCUMENT_ENTRY.stableObjectType, DOCUMENT_ENTRY.onDemandObjectType), { minLength: 1, maxLength: 2 }),
        homeCommunityId: token,
      },
      { requiredKeys: ['query', 'returnType', 'patientId', 'status'] },
    );
    const byIds = fc.oneof(
      fc.record({ query: fc.constantFrom('GetDocuments' as const, 'GetDocumentsAndAssociations' as const), returnType: fc.constant('LeafClass' as const), uniqueIds: strings }),
      fc.record({ query: fc.constantFrom('GetDocuments' as const, 'GetDocumentsAndAssociations' as const), returnType: fc.constant('ObjectRef' as const), entryUUIDs: fc.array(urnUuid, { minLength: 1, maxLength: 3 }) }),
    );
    const findSets = fc.record(
      { query: fc.constant('FindSubmissionSets' as const), returnType: fc.constant('LeafClass' as const), patientId: nonEmpty.filter((s) => s.trim() === s && s.length > 0), status: statuses, sourceId: strings, submissionTimeFrom: time, submissionTimeTo: time, authorPerson: nonEmpty.filter((s) => s.trim() === s && s.length > 0), contentTypeCode: fc.array(qcode, { minLength: 1, maxLength: 2 }) },
      { requiredKeys: ['query', 'returnType', 'patientId', 'status'] },
    );
    const assocs = fc.record({ query: fc.constant('GetAssociations' as const), returnType: fc.constant('LeafClass' as const), uuids: fc.array(urnUuid, { minLength: 1, maxLength: 3 }) });
    fc.assert(
      fc.property(fc.oneof(find, byIds, findSets, assocs), (q) => {
        const back = decode<DecodedAdhocQueryRequest>(encodeAdhocQueryRequest(q as StoredQueryInput));
        expect(back.query).toEqual(StoredQuerySchema.parse(q));
        expect(back.returnType).toBe(q.returnType);
      }),
      RUNS,
    );
  });

  it('RetrieveDocumentSet request and response (inline bytes) read back identically', () => {
    const docReq = fc.record({ homeCommunityId: token, repositoryUniqueId: token, documentUniqueId: token }, { requiredKeys: ['repositoryUniqueId', 'documentUniqueId'] });
    fc.assert(
      fc.property(fc.array(docReq, { minLength: 1, maxLength: 3 }), fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 3 }), (reqs, contents) => {
        const back = decode<DecodedRetrieveRequest>(encodeRetrieveDocumentSetRequest(reqs));
        expect(back.documents).toEqual(reqs);
        const docs = contents.map((c, i) => ({ ...reqs[i % reqs.length]!, mimeType: 'application/pdf', transfer: { kind: 'inline' as const, content: c } }));
        const resp = decode<DecodedRetrieveResponse>(encodeRetrieveDocumentSetResponse({ status: RESPONSE_STATUS.Success, errors: [] }, docs));
        expect(resp.response.status).toBe(RESPONSE_STATUS.Success);
        resp.documents.forEach((d, i) => {
          expect(Buffer.from(d.content!)).toEqual(Buffer.from(contents[i]!));
          expect(d.transfer).toBe(contents[i]!.length ? 'inline' : 'empty');
        });
      }),
      RUNS,
    );
  });
});
