/** ITI-18 stored query parameters: value syntax both ways, every FindDocuments filter, hostile values kept opaque. */
import { describe, expect, it } from 'vitest';
import { decodeXds } from '../../src/xds/decode.js';
import type { DecodedAdhocQueryRequest } from '../../src/xds/ebrim-decode.js';
import { encodeAdhocQueryRequest } from '../../src/xds/ebrim-encode.js';
import { parseQueryValue, quoteQueryValue, readStoredQuery, storedQuerySlots, type StoredQueryInput } from '../../src/xds/stored-query.js';
import { AVAILABILITY_STATUS, STORED_QUERY, storedQueryName } from '../../src/xds/uuids.js';
import { PATIENT } from './fixtures.js';

describe('stored query value syntax', () => {
  it.each([
    ["'a'", ['a']],
    ["('a','b')", ['a', 'b']],
    ["( 'a' , 'b' )", ['a', 'b']],
    ['20221016161616', ['20221016161616']],
    ['(urn:a,urn:b)', ['urn:a', 'urn:b']],
    ["'it''s'", ["it's"]],
    ["('CT^^1.2.250.1.213.1.1.5.618')", ['CT^^1.2.250.1.213.1.1.5.618']],
  ])('%s reads as %j', (raw, values) => {
    expect(parseQueryValue(raw)).toEqual({ ok: true, values });
  });

  it.each([
    ["'593603^^^&2.16.756.5.33.2.5.1.5.1&ISO''%20and%20611%3d611--%20", 'unterminated quoted value'],
    ["'a' or 1=1", 'unexpected text after the value'],
    ["('a' 'b')", 'expected "," or ")" in a list'],
    ["ab'c", 'quote inside an unquoted value'],
    ['', 'empty value'],
  ])('%s is refused (%s)', (raw, reason) => {
    expect(parseQueryValue(raw)).toEqual({ ok: false, reason });
  });

  it('quotes are doubled when writing', () => {
    expect(quoteQueryValue("O'Neil")).toBe("'O''Neil'");
    expect(parseQueryValue(quoteQueryValue("O'Neil"))).toEqual({ ok: true, values: ["O'Neil"] });
  });
});

describe('stored queries', () => {
  it('FindDocuments writes every filter in ITI-18 syntax', () => {
    const code = { code: '10', codingScheme: '1.2.250.1.213.1.1.4.1' };
    const { id, returnType, slots } = storedQuerySlots({
      query: 'FindDocuments',
      returnType: 'ObjectRef',
      patientId: PATIENT,
      status: ['Approved', 'Archived'],
      classCode: [code],
      typeCode: [{ code: '11488-4', codingScheme: '2.16.840.1.113883.6.1' }],
      practiceSettingCode: [{ code: 'AMBULATOIRE', codingScheme: '1.2.250.1.213.1.1.4.9' }],
      healthcareFacilityTypeCode: [{ code: 'SA01', codingScheme: '1.2.250.1.71.4.2.4' }],
      eventCode: [{ code: 'CT', codingScheme: '1.2.250.1.213.1.1.5.618' }],
      confidentialityCode: [{ code: 'MASQUE_PS', codingScheme: '1.2.250.1.213.1.1.4.13' }],
      formatCode: [{ code: 'urn:ihe:iti:xds-sd:pdf:2008', codingScheme: '1.3.6.1.4.1.19376.1.2.3' }],
      creationTimeFrom: '20200101',
      creationTimeTo: '20241231235959',
      serviceStartTimeFrom: '2020',
      serviceStartTimeTo: '2024',
      serviceStopTimeFrom: '202001',
      serviceStopTimeTo: '202412',
      authorPerson: ['800000000001%'],
    });
    expect(id).toBe(STORED_QUERY.FindDocuments);
    expect(returnType).toBe('ObjectRef');
    const byName = Object.fromEntries(slots.map((s) => [s.name, s.values]));
    expect(byName).toEqual({
      $XDSDocumentEntryPatientId: [`'${PATIENT}'`],
      $XDSDocumentEntryClassCode: ["('10^^1.2.250.1.213.1.1.4.1')"],
      $XDSDocumentEntryTypeCode: ["('11488-4^^2.16.840.1.113883.6.1')"],
      $XDSDocumentEntryPracticeSettingCode: ["('AMBULATOIRE^^1.2.250.1.213.1.1.4.9')"],
      $XDSDocumentEntryHealthcareFacilityTypeCode: ["('SA01^^1.2.250.1.71.4.2.4')"],
      $XDSDocumentEntryEventCodeList: ["('CT^^1.2.250.1.213.1.1.5.618')"],
      $XDSDocumentEntryConfidentialityCode: ["('MASQUE_PS^^1.2.250.1.213.1.1.4.13')"],
      $XDSDocumentEntryFormatCode: ["('urn:ihe:iti:xds-sd:pdf:2008^^1.3.6.1.4.1.19376.1.2.3')"],
      $XDSDocumentEntryCreationTimeFrom: ['20200101'],
      $XDSDocumentEntryCreationTimeTo: ['20241231235959'],
      $XDSDocumentEntryServiceStartTimeFrom: ['2020'],
      $XDSDocumentEntryServiceStartTimeTo: ['2024'],
      $XDSDocumentEntryServiceStopTimeFrom: ['202001'],
      $XDSDocumentEntryServiceStopTimeTo: ['202412'],
      $XDSDocumentEntryAuthorPerson: ["'800000000001%'"],
      $XDSDocumentEntryStatus: [`('${AVAILABILITY_STATUS.Approved}','${AVAILABILITY_STATUS.Archived}')`],
    });
  });

  it('the DMP TD3.1 body: patient quoted without parentheses, status as a list', () => {
    const xml = encodeAdhocQueryRequest({ query: 'FindDocuments', patientId: PATIENT, status: ['Approved'] });
    expect(xml).toContain(`<rim:Value>'${PATIENT.replace(/&/g, '&amp;')}'</rim:Value>`);
    expect(xml).toContain(`<rim:Value>('${AVAILABILITY_STATUS.Approved}')</rim:Value>`);
    expect(xml).toContain('returnComposedObjects="true" returnType="LeafClass"');
  });

  it.each<[StoredQueryInput, string, string, string]>([
    [{ query: 'GetDocuments', uniqueIds: ['1.2.3'] }, STORED_QUERY.GetDocuments, '$XDSDocumentEntryUniqueId', "('1.2.3')"],
    [{ query: 'GetDocuments', entryUUIDs: ['urn:uuid:a'] }, STORED_QUERY.GetDocuments, '$XDSDocumentEntryEntryUUID', "('urn:uuid:a')"],
    [{ query: 'GetDocumentsAndAssociations', uniqueIds: ['1.2.3', '1.2.4'] }, STORED_QUERY.GetDocumentsAndAssociations, '$XDSDocumentEntryUniqueId', "('1.2.3','1.2.4')"],
    [{ query: 'GetAssociations', uuids: ['urn:uuid:a'] }, STORED_QUERY.GetAssociations, '$uuid', "('urn:uuid:a')"],
    [{ query: 'FindSubmissionSets', patientId: 'p', status: ['Approved'], submissionTimeFrom: '20240101' }, STORED_QUERY.FindSubmissionSets, '$XDSSubmissionSetSubmissionTimeFrom', '20240101'],
    [{ query: 'FindDocumentsByReferenceId', patientId: 'p', status: ['Approved'], referenceIds: ['A1^^^&1.2&ISO^urn:ihe:iti:xds:2013:accession'] }, STORED_QUERY.FindDocumentsByReferenceId, '$XDSDocumentEntryReferenceIdList', "('A1^^^&1.2&ISO^urn:ihe:iti:xds:2013:accession')"],
  ])('%j', (query, id, param, value) => {
    const r = storedQuerySlots(query);
    expect(r.id).toBe(id);
    expect(r.slots.find((s) => s.name === param)?.values).toEqual([value]);
  });

  it('malformed queries are refused before anything is sent', () => {
    expect(() => storedQuerySlots({ query: 'GetDocuments' })).toThrow(/uniqueIds or entryUUIDs/);
    expect(() => storedQuerySlots({ query: 'GetDocuments', uniqueIds: ['1'], entryUUIDs: ['urn:uuid:a'] })).toThrow(/one kind/);
    expect(() => storedQuerySlots({ query: 'FindDocuments', patientId: PATIENT, status: [] })).toThrow();
    expect(() => storedQuerySlots({ query: 'FindDocuments', patientId: PATIENT, status: ['Approved'], creationTimeFrom: '2024-01-01' })).toThrow(/date-time/);
  });

  it('reading back: an unknown parameter or an unreadable value gives problems and no typed query', () => {
    const r = readStoredQuery(STORED_QUERY.FindDocuments, [
      { name: '$XDSDocumentEntryPatientId', values: ["'p'"] },
      { name: '$XDSDocumentEntryStatus', values: ["('x')"] },
      { name: '$Nope', values: ["'1'"] },
    ]);
    expect(r.query).toBeUndefined();
    expect(r.problems).toEqual([{ parameter: '$Nope', reason: 'not a parameter of FindDocuments' }]);
  });

  it('a query the SDK does not type is kept as Other with its parameters', () => {
    const r = readStoredQuery(STORED_QUERY.GetFolders, [{ name: '$XDSFolderEntryUUID', values: ["('urn:uuid:a')"] }]);
    expect(r.name).toBe('GetFolders');
    expect(r.query).toEqual({ query: 'Other', returnType: 'LeafClass', id: STORED_QUERY.GetFolders, parameters: [{ name: '$XDSFolderEntryUUID', values: ["('urn:uuid:a')"] }] });
  });

  it('query names are found whatever the case or stray spaces of the id', () => {
    expect(storedQueryName(' URN:UUID:14D4DEBF-8F97-4251-9A74-A90016B0AF0D ')).toBe('FindDocuments');
    expect(storedQueryName('urn:uuid:00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('an injection attempt in a received query is reported and never becomes a typed value', () => {
    const xml = encodeAdhocQueryRequest({ query: 'Other', id: STORED_QUERY.FindDocuments, parameters: [
      { name: '$XDSDocumentEntryPatientId', values: ["'1^^^&1.2&ISO''%20or%201=1--"] },
      { name: '$XDSDocumentEntryStatus', values: [`('${AVAILABILITY_STATUS.Approved}')`] },
    ] });
    const r = decodeXds(xml);
    const q = r.message as DecodedAdhocQueryRequest;
    expect(q.query).toBeUndefined();
    expect(q.slots[0]!.values[0]).toBe("'1^^^&1.2&ISO''%20or%201=1--");
    expect(r.issues.map((i) => i.code)).toContain('XDS_QUERY_PARAMETER');
  });
});
