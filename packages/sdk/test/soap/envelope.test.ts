/** SOAP envelopes, WS-Addressing and faults: built as the DMP expects, read back from either SOAP version. */
import * as slimdom from 'slimdom';
import { describe, expect, it } from 'vitest';
import { normalizeMessageId, readAddressing, relatesTo } from '../../src/soap/addressing.js';
import { DMP_TRANSACTIONS } from '../../src/soap/actions.js';
import { buildEnvelope, buildSoapRequest, buildSoapResponse, readEnvelope } from '../../src/soap/envelope.js';
import { buildFault, readFault } from '../../src/soap/fault.js';
import { SOAP_NS, WSA_ANONYMOUS } from '../../src/soap/namespaces.js';
import { IssueLog } from '../../src/xds/issues.js';
import { kids } from '../../src/xds/xml-read.js';
import { readXml } from '../../src/xml/fast-parse.js';
import { parseXml } from '../../src/xml/parse.js';

const root = (xml: string) => readXml(xml).root;
const ASSERTION =
  '<?xml version="1.0" encoding="UTF-8"?>\n<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0">' +
  '<saml2:Issuer>CN=Test,C=FR</saml2:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>AAA=\n</ds:SignatureValue></ds:Signature></saml2:Assertion>';

describe('SOAP request and response envelopes', () => {
  it('a DMP request: SOAP 1.2, MessageID urn:uuid, To, ReplyTo anonymous, Action mustUnderstand, the VIHF verbatim', () => {
    const { xml, messageId } = buildSoapRequest({ action: DMP_TRANSACTIONS['TD3.1'].request, to: 'https://dmp.test/registry', body: '<x:q xmlns:x="urn:x"/>', security: ASSERTION });
    expect(messageId).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    // The assertion is inserted byte for byte (only its XML declaration is dropped): a signature over it stays valid.
    expect(xml).toContain(ASSERTION.slice(ASSERTION.indexOf('<saml2:Assertion')));
    expect(xml).not.toContain('<?xml');
    const log = new IssueLog();
    const env = readEnvelope(root(xml), log)!;
    expect(env.version).toBe('1.2');
    expect(env.addressing).toEqual({
      namespace: SOAP_NS.wsa,
      messageId,
      to: 'https://dmp.test/registry',
      replyTo: WSA_ANONYMOUS,
      action: DMP_TRANSACTIONS['TD3.1'].request,
      mustUnderstand: ['ReplyTo', 'Action'],
    });
    expect(env.security?.assertion?.getAttribute('ID')).toBe('_a1');
    expect(env.payload?.localName).toBe('q');
    expect(log.issues).toEqual([]);
  });

  it('a whole wsse:Security element is not wrapped twice; a DOM node is serialised', () => {
    const security = `<wsse:Security xmlns:wsse="${SOAP_NS.wsse}">${ASSERTION.slice(ASSERTION.indexOf('<saml2'))}</wsse:Security>`;
    const xml = buildEnvelope({ addressing: { action: 'a' }, security, body: '<b/>' });
    expect(xml.match(/<wsse:Security/g)).toHaveLength(1);
    const node = parseXml(ASSERTION).document.documentElement!;
    const fromNode = buildEnvelope({ security: node as slimdom.Node, body: '<b/>' });
    expect(readEnvelope(root(fromNode), new IssueLog())!.security?.assertion).toBeDefined();
  });

  it('a response: To anonymous and RelatesTo the request; SOAP 1.1 on demand', () => {
    const { xml } = buildSoapResponse({ action: 'urn:ihe:iti:2007:RegistryStoredQueryResponse', relatesTo: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', body: '<b/>', version: '1.1' });
    const env = readEnvelope(root(xml), new IssueLog())!;
    expect(env.version).toBe('1.1');
    expect(env.envelope.namespaceURI).toBe(SOAP_NS.soap11);
    expect(env.addressing).toMatchObject({ to: WSA_ANONYMOUS, relatesTo: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', mustUnderstand: ['Action'] });
    expect(xml).toContain('soap:mustUnderstand="1"');
  });

  it('not an envelope → undefined; an envelope without Body → error issue', () => {
    expect(readEnvelope(root('<a/>'), new IssueLog())).toBeUndefined();
    const log = new IssueLog();
    readEnvelope(root(`<s:Envelope xmlns:s="${SOAP_NS.soap12}"><s:Header/></s:Envelope>`), log);
    expect(log.issues.map((i) => i.code)).toEqual(['SOAP_NO_BODY']);
  });
});

describe('WS-Addressing reading', () => {
  it('tolerates the 2004 namespace, values split by whitespace, mustUnderstand in the wrong namespace', () => {
    const xml = `<s:Envelope xmlns:s="${SOAP_NS.soap12}"><s:Header>` +
      `<a:Action xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" a:mustUnderstand="1">\n  urn:x:y\n</a:Action>` +
      `<a:MessageID xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing">urn:uuid:1b4e28ba-2fa1-11d2-\n 883f-0016d3cca427</a:MessageID>` +
      '</s:Header><s:Body/></s:Envelope>';
    const log = new IssueLog();
    const h = kids(root(xml).firstElementChild!);
    const wsa = readAddressing(h, SOAP_NS.soap12, log);
    expect(wsa.action).toBe('urn:x:y');
    expect(wsa.messageId).toBe('urn:uuid:1b4e28ba-2fa1-11d2-\n 883f-0016d3cca427');
    expect(wsa.mustUnderstand).toEqual(['Action']);
    expect(log.issues.map((i) => i.code)).toEqual(['WSA_2004', 'WSA_MUSTUNDERSTAND_NAMESPACE', 'WSA_2004', 'WSA_VALUE_WHITESPACE']);
  });

  it('correlation tolerates uuid:, bare UUIDs, case and broken lines', () => {
    const id = 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    expect(relatesTo('uuid:1B4E28BA-2fa1-11d2-883f-0016d3cca427', id)).toBe(true);
    expect(relatesTo('1b4e28ba-2fa1-11d2-883f-0016d3cca427', id)).toBe(true);
    expect(relatesTo('urn:uuid:1b4e28ba-2fa1-11d2-\n   883f-0016d3cca427', id)).toBe(true);
    expect(relatesTo('urn:uuid:2b4e28ba-2fa1-11d2-883f-0016d3cca427', id)).toBe(false);
    expect(relatesTo(undefined, id)).toBe(false);
    expect(normalizeMessageId('urn:uuid:794DCA5792EF38FB971624632082655')).toBe('urn:uuid:794DCA5792EF38FB971624632082655');
  });
});

describe('SOAP faults', () => {
  it('SOAP 1.2: code, DMP subcode with its namespace, reason and language, detail', () => {
    const xml = buildFault({ code: 'Sender', subcodes: [{ namespace: 'urn:dmp:errors', local: 'DMPInvalidCertificate' }], reason: 'Le certificat ayant signé le VIHF est invalide', detail: '<d:info xmlns:d="urn:d">x</d:info>' });
    const f = readFault(root(xml), new IssueLog());
    expect(f).toEqual({
      version: '1.2',
      code: { raw: 'soap:Sender', local: 'Sender', namespace: SOAP_NS.soap12 },
      subcodes: [{ raw: 'sc0:DMPInvalidCertificate', local: 'DMPInvalidCertificate', namespace: 'urn:dmp:errors' }],
      kind: 'Sender',
      reason: 'Le certificat ayant signé le VIHF est invalide',
      reasons: [{ lang: 'fr', text: 'Le certificat ayant signé le VIHF est invalide' }],
      detail: '<d:info xmlns:d="urn:d">x</d:info>',
    });
  });

  it('SOAP 1.1: Client is read as Sender, faultstring and faultactor', () => {
    const f = readFault(root(buildFault({ version: '1.1', code: 'Sender', reason: 'bad', role: 'urn:role', lang: 'en' })), new IssueLog());
    expect(f).toMatchObject({ version: '1.1', code: { raw: 'soap:Client', local: 'Client' }, kind: 'Sender', reason: 'bad', reasons: [{ lang: 'en', text: 'bad' }], role: 'urn:role' });
    expect(readFault(root(buildFault({ version: '1.1', code: 'Receiver', reason: 'x' })), new IssueLog()).kind).toBe('Receiver');
  });

  it('an unresolvable code prefix is reported, the raw code kept', () => {
    const log = new IssueLog();
    const f = readFault(root(`<S:Fault xmlns:S="${SOAP_NS.soap12}"><S:Code><S:Value>zz:Weird</S:Value></S:Code><S:Reason><S:Text>r</S:Text></S:Reason></S:Fault>`), log);
    expect(f).toMatchObject({ code: { raw: 'zz:Weird', local: 'Weird' }, kind: 'Other' });
    expect(f.code.namespace).toBeUndefined();
    expect(log.issues.map((i) => i.code)).toEqual(['SOAP_FAULT_CODE_NAMESPACE']);
  });
});
