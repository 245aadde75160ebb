/**
 * The decoder on hostile or sloppy input (xds-corpus.md §3.4): problems come back as structured issues with
 * a position, decoding goes on, nothing read is dropped, and no DTD is ever processed.
 */
import { describe, expect, it } from 'vitest';
import { decodeXds } from '../../src/xds/decode.js';
import type { DecodedAdhocQueryResponse, DecodedProvideAndRegister, DecodedRegistryResponse, DecodedSubmitObjectsRequest } from '../../src/xds/ebrim-decode.js';
import { ASSOCIATION_TYPE, DOCUMENT_ENTRY, SUBMISSION_SET } from '../../src/xds/uuids.js';

const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';
const sor = (objects: string) => `<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns="${RIM}"><RegistryObjectList>${objects}</RegistryObjectList></lcm:SubmitObjectsRequest>`;
const ext = (scheme: string, value: string, id = 'ei') => `<ExternalIdentifier id="${id}" identificationScheme="${scheme}" registryObject="x" value="${value}"/>`;
const entry = (id: string, inner = '') => `<ExtrinsicObject id="${id}" mimeType="text/xml" objectType="${DOCUMENT_ENTRY.stableObjectType}">${inner}${ext(DOCUMENT_ENTRY.uniqueId, '1.2.3')}${ext(DOCUMENT_ENTRY.patientId, 'p^^^&amp;1.2&amp;ISO')}</ExtrinsicObject>`;
const codes = (r: ReturnType<typeof decodeXds>) => r.issues.map((i) => i.code);

describe('tolerant ebRIM decoding', () => {
  it('an OID wrapped in urn:uuid: is reported as a bad UUID, with its line', () => {
    const r = decodeXds(sor(`\n${entry('urn:uuid:1.2.42.20210625084417.319')}`));
    const issue = r.issues.find((i) => i.code === 'XDS_BAD_UUID');
    expect(issue).toMatchObject({ severity: 'warning', line: 2, column: 1 });
    expect((r.message as DecodedSubmitObjectsRequest).objects.documentEntries[0]!.entryUUID).toBe('urn:uuid:1.2.42.20210625084417.319');
  });

  it('scheme UUIDs broken by whitespace still match, with a warning naming the element', () => {
    const broken = DOCUMENT_ENTRY.uniqueId.replace('-8640', '-\n 8640');
    const r = decodeXds(sor(`<ExtrinsicObject id="d" mimeType="text/xml">${ext(broken, '1.2.3', 'ei9')}</ExtrinsicObject>`));
    expect((r.message as DecodedSubmitObjectsRequest).objects.documentEntries[0]!.uniqueId).toBe('1.2.3');
    expect(r.issues.find((i) => i.code === 'XDS_SCHEME_WHITESPACE')?.message).toContain('ExternalIdentifier ei9 identificationScheme');
  });

  it('unknown slots, classifications and identifiers are kept; a non-numeric size is kept raw', () => {
    const inner =
      '<Slot name="myVendorSlot"><ValueList><Value> a </Value><Value>b</Value></ValueList></Slot>' +
      '<Slot name="size"><ValueList><Value>12kB</Value></ValueList></Slot>' +
      '<Classification classificationScheme="urn:uuid:11111111-2222-3333-4444-555555555555" classifiedObject="d" id="c1" nodeRepresentation="X"/>' +
      '<ExternalIdentifier id="e9" identificationScheme="urn:uuid:99999999-2222-3333-4444-555555555555" value="v"/>';
    const r = decodeXds(sor(entry('d', inner)));
    const e = (r.message as DecodedSubmitObjectsRequest).objects.documentEntries[0]!;
    expect(e.extraSlots).toEqual([{ name: 'myVendorSlot', values: [' a ', 'b'] }, { name: 'size', values: ['12kB'] }]);
    expect(e.size).toBeUndefined();
    expect(e.extraClassifications).toEqual([{ id: 'c1', classificationScheme: 'urn:uuid:11111111-2222-3333-4444-555555555555', classifiedObject: 'd', nodeRepresentation: 'X', slots: [] }]);
    expect(e.extraExternalIdentifiers).toEqual([{ id: 'e9', identificationScheme: 'urn:uuid:99999999-2222-3333-4444-555555555555', value: 'v' }]);
    expect(codes(r)).toContain('XDS_BAD_SIZE');
  });

  it('a second classCode is kept aside with a warning', () => {
    const cls = (code: string) => `<Classification classificationScheme="${DOCUMENT_ENTRY.classCode}" classifiedObject="d" id="c${code}" nodeRepresentation="${code}"><Slot name="codingScheme"><ValueList><Value>1.2</Value></ValueList></Slot></Classification>`;
    const r = decodeXds(sor(entry('d', cls('10') + cls('11'))));
    const e = (r.message as DecodedSubmitObjectsRequest).objects.documentEntries[0]!;
    expect(e.classCode).toEqual({ code: '10', codingScheme: '1.2' });
    expect(e.extraClassifications?.[0]?.nodeRepresentation).toBe('11');
    expect(codes(r)).toContain('XDS_CODE_MULTIPLICITY');
  });

  it('a missing uniqueId is an error issue, not an exception', () => {
    const r = decodeXds(sor('<ExtrinsicObject id="d" mimeType="text/xml"/>'));
    expect(codes(r)).toEqual(expect.arrayContaining(['XDS_MISSING_UNIQUE_ID', 'XDS_MISSING_PATIENT_ID']));
    expect(r.message).toBeDefined();
  });

  it('SubmissionSet: flagged by a sibling Classification, or not flagged at all (recognised, reported)', () => {
    const pkg = (id: string) => `<RegistryPackage id="${id}"><Slot name="submissionTime"><ValueList><Value>2024</Value></ValueList></Slot>${ext(SUBMISSION_SET.uniqueId, '1.2')}${ext(SUBMISSION_SET.sourceId, '1.3')}${ext(SUBMISSION_SET.patientId, 'p')}</RegistryPackage>`;
    const sibling = decodeXds(sor(`${pkg('ss')}<Classification classificationNode="${SUBMISSION_SET.classificationNode}" classifiedObject="ss" id="f"/>`));
    expect((sibling.message as DecodedSubmitObjectsRequest).packages).toEqual([{ id: 'ss', kind: 'SubmissionSet', flaggedBy: 'sibling' }]);
    const none = decodeXds(sor(pkg('ss')));
    expect((none.message as DecodedSubmitObjectsRequest).packages).toEqual([{ id: 'ss', kind: 'SubmissionSet', flaggedBy: 'inferred' }]);
    expect((none.message as DecodedSubmitObjectsRequest).objects.submissionSets[0]!.uniqueId).toBe('1.2');
    expect(codes(none)).toContain('XDS_PACKAGE_NOT_FLAGGED');
    const unknown = decodeXds(sor('<RegistryPackage id="rp"><Slot name="x"><ValueList><Value>1</Value></ValueList></Slot></RegistryPackage>'));
    expect((unknown.message as DecodedSubmitObjectsRequest).objects.otherPackages).toEqual([{ entryUUID: 'rp', slots: [{ name: 'x', values: ['1'] }], classifications: [], externalIdentifiers: [] }]);
  });

  it('an association type in the ebRIM namespace is read as the IHE one; typed slots are read', () => {
    const r = decodeXds(sor('<Association id="a" associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:RPLC" sourceObject="d" targetObject="urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"/>'));
    expect((r.message as DecodedSubmitObjectsRequest).objects.associations[0]!.type).toBe(ASSOCIATION_TYPE.RPLC);
    expect(codes(r)).toContain('XDS_ASSOCIATION_TYPE_ALIAS');
  });

  it('ebRS 2.1: LeafRegistryObjectList and short status names', () => {
    const v21 = decodeXds(`<SubmitObjectsRequest xmlns="urn:oasis:names:tc:ebxml-regrep:registry:xsd:2.1"><LeafRegistryObjectList xmlns="urn:oasis:names:tc:ebxml-regrep:rim:xsd:2.1">${entry('d')}</LeafRegistryObjectList></SubmitObjectsRequest>`);
    expect((v21.message as DecodedSubmitObjectsRequest).objects.documentEntries).toHaveLength(1);
    expect(codes(v21)).toContain('XDS_EBRS21');
    const resp = decodeXds('<RegistryResponse xmlns="urn:oasis:names:tc:ebxml-regrep:registry:xsd:2.1" status="Success"/>');
    expect((resp.message as DecodedRegistryResponse).outcome).toBe('Success');
  });

  it('a RegistryErrorList in the wrong namespace is read and reported; an unknown status is Unknown', () => {
    const r = decodeXds(`<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" xmlns:rim="${RIM}" status="urn:x:Maybe"><rim:RegistryErrorList><rs:RegistryError errorCode="XDSRegistryError" codeContext="c" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning" location="here"/></rim:RegistryErrorList></rs:RegistryResponse>`);
    const resp = r.message as DecodedRegistryResponse;
    expect(resp).toMatchObject({ outcome: 'Unknown', errorListPresent: true, errors: [{ errorCode: 'XDSRegistryError', codeContext: 'c', location: 'here' }] });
    expect(codes(r)).toEqual(expect.arrayContaining(['XDS_WRONG_NAMESPACE', 'XDS_UNKNOWN_STATUS']));
  });

  it('ITI-41: a Document matched only ignoring case, a Document without entry, an entry without Document, bad base64', () => {
    const pnr = `<ProvideAndRegisterDocumentSetRequest xmlns="urn:ihe:iti:xds-b:2007">${sor(entry('Doc1') + entry('Doc2'))}<Document id="doc1">QUJD</Document><Document id="Other">!!!</Document></ProvideAndRegisterDocumentSetRequest>`;
    const r = decodeXds(pnr);
    const m = r.message as DecodedProvideAndRegister;
    expect(m.documents[0]).toMatchObject({ id: 'doc1', entryId: 'Doc1', transfer: 'inline', base64Length: 4 });
    expect(Buffer.from(m.documents[0]!.content!).toString()).toBe('ABC');
    expect(codes(r)).toEqual(expect.arrayContaining(['XDS_DOCUMENT_ID_CASE', 'XDS_DOCUMENT_WITHOUT_ENTRY', 'XDS_BAD_BASE64', 'XDS_MISSING_DOCUMENT']));
  });

  it('an XOP reference without its attachment is reported, not a crash', () => {
    const pnr = `<ProvideAndRegisterDocumentSetRequest xmlns="urn:ihe:iti:xds-b:2007">${sor(entry('d'))}<Document id="d"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:missing@x"/></Document></ProvideAndRegisterDocumentSetRequest>`;
    const r = decodeXds(pnr);
    expect((r.message as DecodedProvideAndRegister).documents[0]).toMatchObject({ transfer: 'xop', href: 'cid:missing@x' });
    expect(r.issues.find((i) => i.code === 'XOP_UNRESOLVED')?.severity).toBe('error');
  });

  it('a DOCTYPE (entity expansion attempt) is refused before anything is decoded', () => {
    const r = decodeXds('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><RegistryResponse xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="&e;"/>');
    expect(r.message).toBeUndefined();
    expect(codes(r)).toEqual(['XML_DOCTYPE']);
  });

  it('too large, not XML, not an XDS message: issues, no exception', () => {
    expect(codes(decodeXds('<a/>'.repeat(10), { maxBytes: 10 }))).toEqual(['XML_TOO_LARGE']);
    expect(codes(decodeXds('not xml'))).toEqual(['XML_NOT_WELL_FORMED']);
    expect(codes(decodeXds('<html/>'))).toEqual(['XDS_NOT_A_MESSAGE']);
  });

  it('AdhocQueryResponse: a non-numeric totalResultCount is reported; mixed LeafClass and ObjectRef are both kept', () => {
    const r = decodeXds(`<query:AdhocQueryResponse xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:rim="${RIM}" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success" totalResultCount="many"><rim:RegistryObjectList><rim:ObjectRef id="urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427" home=""/></rim:RegistryObjectList></query:AdhocQueryResponse>`);
    const m = r.message as DecodedAdhocQueryResponse;
    expect(m.totalResultCount).toBeUndefined();
    expect(m.objects.objectRefs).toEqual([{ id: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', home: '' }]);
    expect(codes(r)).toContain('XDS_BAD_NUMBER');
  });
});
