/** decodeMessage on what `dmp inspect` will be given: HTTP captures, bare bodies, FHIR JSON, garbage. */
import { describe, expect, it } from 'vitest';
import { buildSoapRequest, buildSoapResponse } from '../../src/soap/envelope.js';
import { decodeMessage } from '../../src/soap/decode-message.js';
import { buildFault } from '../../src/soap/fault.js';
import { encodeRegistryResponse } from '../../src/xds/ebrim-encode.js';
import { RESPONSE_STATUS } from '../../src/xds/uuids.js';

const codes = (m: ReturnType<typeof decodeMessage>) => m.issues.map((i) => i.code);

describe('decodeMessage', () => {
  it('an HTTP response capture with a logging line, a chunked body and a wrong Content-Length', () => {
    const { xml } = buildSoapResponse({ action: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse', relatesTo: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', body: encodeRegistryResponse({ status: RESPONSE_STATUS.Success, errors: [] }) });
    const half = Math.floor(xml.length / 2);
    const chunked = `${half.toString(16)}\r\n${xml.slice(0, half)}\r\n${(xml.length - half).toString(16)}\r\n${xml.slice(half)}\r\n0\r\n\r\n`;
    const capture = `DefaultHttpResponse(chunked: true)\r\nHTTP/1.1 200 OK \r\nContent-Type: application/soap+xml; charset=UTF-8\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n${chunked}`;
    const m = decodeMessage(Buffer.from(capture));
    expect(m.format).toBe('http+xml');
    expect(m.http).toMatchObject({ kind: 'response', status: 200, reason: 'OK', version: 'HTTP/1.1', preamble: ['DefaultHttpResponse(chunked: true)'] });
    expect(m.payload).toMatchObject({ family: 'xds', name: 'RegistryResponse', transaction: 'ITI-41' });
    expect(m.soap?.addressing.relatesTo).toBe('urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(codes(m)).toEqual(['HTTP_PREAMBLE', 'HTTP_CONTENT_LENGTH']);
  });

  it('an HTTP request: method, target and the multipart Content-Type taken from the headers', () => {
    const { xml } = buildSoapRequest({ action: 'urn:x', body: '<a xmlns="urn:unknown"/>' });
    const body = `--zz\r\nContent-Type: application/xop+xml\r\n\r\n${xml}\r\n--zz--\r\n`;
    const m = decodeMessage(Buffer.from(`POST /si-dmp-server/v2/services/registry HTTP/1.1\r\nContent-Type: multipart/related; boundary=zz; type="application/xop+xml"\r\n\r\n${body}`));
    expect(m.format).toBe('http+mime-multipart');
    expect(m.http).toMatchObject({ kind: 'request', method: 'POST', target: '/si-dmp-server/v2/services/registry' });
    expect(m.mime).toMatchObject({ boundary: 'zz', boundarySource: 'content-type', headerBoundary: 'zz' });
    expect(m.payload.family).toBe('unknown');
    expect(codes(m)).toEqual(['MESSAGE_UNKNOWN_PAYLOAD']);
  });

  it('the body decides, not the Action (a success body sent with a Fault action)', () => {
    const { xml } = buildSoapResponse({ action: 'urn:ihe:iti:2007:RegistryStoredQuery:Fault:Fault', body: encodeRegistryResponse({ status: RESPONSE_STATUS.Failure, errors: [{ errorCode: 'XDSRegistryError', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error', codeContext: 'x' }] }) });
    const m = decodeMessage(xml);
    expect(m.payload.name).toBe('RegistryResponse');
    expect(m.xds).toMatchObject({ kind: 'RegistryResponse', outcome: 'Failure' });
    expect(codes(m)).toContain('WSA_ACTION_BODY_MISMATCH');
  });

  it('a SOAP Fault body', () => {
    const m = decodeMessage(`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>${buildFault({ code: 'Receiver', reason: 'boom' }).replace(/ xmlns:soap="[^"]*"/, '')}</soap:Body></soap:Envelope>`);
    expect(m.payload).toMatchObject({ family: 'fault', name: 'Fault' });
    expect(m.fault).toMatchObject({ kind: 'Receiver', reason: 'boom' });
  });

  it('FHIR: a transaction Bundle is summarised; an OperationOutcome gives its issues', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:1', resource: { resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: 'Patient/1' }, content: [{ attachment: { contentType: 'application/pdf', url: 'urn:uuid:2', size: 3 } }] }, request: { method: 'POST', url: 'DocumentReference' } },
        { resource: { resourceType: 'Binary' }, request: { method: 'POST', url: 'Binary' } },
      ],
    };
    const m = decodeMessage(JSON.stringify(bundle), 'application/fhir+json');
    expect(m.format).toBe('json');
    expect(m.fhir).toMatchObject({ resourceType: 'Bundle', bundleType: 'transaction', entries: [{ resourceType: 'DocumentReference', id: 'd1', fullUrl: 'urn:uuid:1', method: 'POST', url: 'DocumentReference' }, { resourceType: 'Binary', method: 'POST', url: 'Binary' }] });
    expect(m.fhir?.documentReferences).toEqual([{ id: 'd1', status: 'current', subject: 'Patient/1', content: [{ contentType: 'application/pdf', url: 'urn:uuid:2', size: 3 }] }]);
    const oo = decodeMessage(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'not the author' }] }));
    expect(oo.fhir?.outcome).toEqual([{ severity: 'error', code: 'forbidden', diagnostics: 'not the author' }]);
  });

  it('garbage, broken JSON, a DOCTYPE, an oversized message: issues only, never an exception', () => {
    expect(codes(decodeMessage(Buffer.from([0x00, 0x01, 0x02])))).toEqual(['MESSAGE_UNKNOWN_FORMAT']);
    expect(codes(decodeMessage('{"resourceType": '))).toEqual(['JSON_INVALID']);
    expect(codes(decodeMessage('{"a": 1}'))).toEqual(['FHIR_NOT_A_RESOURCE']);
    expect(codes(decodeMessage('<!DOCTYPE lol [<!ENTITY a "aaaa">]><x>&a;</x>'))).toEqual(['XML_DOCTYPE']);
    expect(codes(decodeMessage('<a/>', undefined, { maxBytes: 2 }))).toEqual(['MESSAGE_TOO_LARGE']);
    expect(codes(decodeMessage('<a><b></a>'))).toEqual(['XML_NOT_WELL_FORMED']);
    expect(codes(decodeMessage('--x\nContent-Type: text/plain\n\nnot xml\n--x--'))).toEqual(['MIME_ROOT_TYPE', 'XML_NOT_WELL_FORMED']);
  });

  it('bytes invalid in UTF-8 are read as ISO-8859-1 with a warning', () => {
    const m = decodeMessage(Buffer.concat([Buffer.from('<a xmlns="urn:x">Acc'), Buffer.from([0xe8]), Buffer.from('s</a>')]));
    expect(m.issues[0]).toMatchObject({ code: 'XML_ENCODING_FALLBACK', severity: 'warning' });
    expect(m.rootElement).toBe('{urn:x}a');
    // Read through the fallback: the tree is not handed over (a VIHF verification reads the bytes itself and reports them).
    expect(m.xml).toBeUndefined();
  });

  it("keeps the XML part's tree for a second reader, out of JSON output", () => {
    const { xml } = buildSoapRequest({ action: 'urn:x', body: '<a xmlns="urn:y">é</a>' });
    const m = decodeMessage(`--zz\r\nContent-Type: application/xop+xml\r\n\r\n${xml}\r\n--zz--\r\n`, 'multipart/related; boundary=zz');
    expect(m.xml?.text).toBe(xml);
    expect(m.xml?.root.localName).toBe('Envelope');
    expect(Object.keys(m)).not.toContain('xml');
    expect(JSON.stringify(m)).not.toContain('urn:y"');
    expect(decodeMessage('<a><b></a>').xml).toBeUndefined();
  });

  it('the VIHF decoder of the VIHF module is called on the assertion; the summary says whether it is signed', () => {
    const assertion = '<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1" IssueInstant="2024-01-01T00:00:00Z"><saml2:Issuer>CN=x</saml2:Issuer></saml2:Assertion>';
    const { xml } = buildSoapRequest({ action: 'urn:x', body: '<a/>', security: assertion });
    const m = decodeMessage(xml, undefined, { decodeAssertion: (el) => ({ id: el.getAttribute('ID') }) });
    expect(m.soap?.security).toEqual({ present: true, assertion: { id: '_1', issueInstant: '2024-01-01T00:00:00Z', issuer: 'CN=x', signed: false, vihf: { id: '_1' } } });
  });
});
