/**
 * SOAP envelopes: built as SOAP 1.2 (what the DMP speaks; 1.1 on demand) with WS-Addressing headers and a
 * wsse:Security slot; read in either version, any prefix (xds-corpus.md §3.1).
 *
 * The security slot takes the VIHF as built by the VIHF module: a `saml2:Assertion` (wrapped here in
 * `wsse:Security`) or a whole `wsse:Security` element. A string is inserted verbatim — only an XML
 * declaration or BOM is removed — so that an enveloped signature over it stays valid: pass the exact
 * string that was signed.
 */
import * as slimdom from 'slimdom';
import { IssueLog } from '../xds/issues.js';
import { kids, type El } from '../xds/xml-read.js';
import { stripXmlDeclaration } from '../xds/xml-write.js';
import { buildAddressingHeaders, newMessageId, readAddressing, WSA_ANONYMOUS, type WsAddressing, type WsAddressingInput } from './addressing.js';
import { SOAP_NS, soapNamespace, soapVersionOf, type SoapVersion } from './namespaces.js';

export interface BuildEnvelopeInput {
  /** Default 1.2. */
  version?: SoapVersion;
  addressing?: WsAddressingInput;
  /** The VIHF: a saml2:Assertion or a wsse:Security element, as an XML string (verbatim) or a DOM node. */
  security?: string | slimdom.Node;
  /** Other header blocks, verbatim XML. */
  headers?: readonly string[];
  /** The Body content, verbatim XML (e.g. from the ebRIM encoder). */
  body: string;
}

/** The wsse:Security header block for a VIHF given as an assertion or as a whole Security element. */
export function securityHeader(security: string | slimdom.Node): string {
  const xml = stripXmlDeclaration(typeof security === 'string' ? security : slimdom.serializeToWellFormedString(security));
  // Already a wsse:Security element (any prefix, the WSS namespace declared on it): insert as is.
  if (/^\s*<(?:[\w.-]+:)?Security[\s>]/.test(xml) && xml.includes(SOAP_NS.wsse)) return xml;
  // Not marked mustUnderstand: the DMP's own examples do not, and a stack without a WS-Security
  // handler would fault on it.
  return `<wsse:Security xmlns:wsse="${SOAP_NS.wsse}">${xml}</wsse:Security>`;
}

export function buildEnvelope(input: BuildEnvelopeInput): string {
  const version = input.version ?? '1.2';
  let header = '';
  if (input.addressing) header += buildAddressingHeaders(input.addressing, version, 'soap');
  if (input.security !== undefined) header += securityHeader(input.security);
  if (input.headers) header += input.headers.join('');
  return (
    `<soap:Envelope xmlns:soap="${soapNamespace(version)}">` +
    (header ? `<soap:Header>${header}</soap:Header>` : '') +
    `<soap:Body>${input.body}</soap:Body></soap:Envelope>`
  );
}

export interface SoapRequestInput {
  action: string;
  /** Endpoint URL, written in wsa:To. */
  to?: string;
  messageId?: string;
  security?: string | slimdom.Node;
  body: string;
  version?: SoapVersion;
}

/** A request envelope: MessageID, To, ReplyTo anonymous, Action (mustUnderstand), Security, Body. */
export function buildSoapRequest(input: SoapRequestInput): { xml: string; messageId: string } {
  const messageId = input.messageId ?? newMessageId();
  const addressing: WsAddressingInput = { action: input.action, messageId, replyTo: WSA_ANONYMOUS };
  if (input.to !== undefined) addressing.to = input.to;
  const env: BuildEnvelopeInput = { addressing, body: input.body };
  if (input.version) env.version = input.version;
  if (input.security !== undefined) env.security = input.security;
  return { xml: buildEnvelope(env), messageId };
}

export interface SoapResponseInput {
  action: string;
  /** The request's MessageID. */
  relatesTo?: string;
  messageId?: string;
  body: string;
  version?: SoapVersion;
}

/** A response envelope: Action, MessageID, To anonymous, RelatesTo. */
export function buildSoapResponse(input: SoapResponseInput): { xml: string; messageId: string } {
  const messageId = input.messageId ?? newMessageId();
  const addressing: WsAddressingInput = { action: input.action, messageId, to: WSA_ANONYMOUS, mustUnderstand: ['Action'] };
  if (input.relatesTo !== undefined) addressing.relatesTo = input.relatesTo;
  return { xml: buildEnvelope({ addressing, body: input.body, ...(input.version ? { version: input.version } : {}) }), messageId };
}

// --- reading --------------------------------------------------------------------------------------------

export interface ParsedEnvelope {
  version: SoapVersion;
  envelope: El;
  header?: El;
  /** Children of Header, in order. */
  headerBlocks: El[];
  body?: El;
  /** The first element of Body (the message), when there is one. */
  payload?: El;
  addressing: WsAddressing;
  /** The wsse:Security header block and the SAML assertion inside it, when present. */
  security?: { element: El; assertion?: El };
}

/** Reads a SOAP 1.1 or 1.2 envelope; undefined when the root is not an Envelope in either namespace. */
export function readEnvelope(root: El, log: IssueLog): ParsedEnvelope | undefined {
  const version = soapVersionOf(root.namespaceURI);
  if (root.localName !== 'Envelope' || !version) return undefined;
  const ns = root.namespaceURI!;
  let header: El | undefined;
  let body: El | undefined;
  for (const c of kids(root)) {
    if (c.namespaceURI !== ns) {
      log.warn('SOAP_FOREIGN_ELEMENT', `${c.localName} in namespace ${c.namespaceURI ?? '(none)'} directly under the Envelope`, c);
      continue;
    }
    if (c.localName === 'Header') header = c;
    else if (c.localName === 'Body') body = c;
  }
  const headerBlocks = header ? kids(header) : [];
  const parsed: ParsedEnvelope = { version, envelope: root, headerBlocks, addressing: readAddressing(headerBlocks, ns, log) };
  if (header) parsed.header = header;
  if (!body) log.error('SOAP_NO_BODY', 'the Envelope has no Body', root);
  else {
    parsed.body = body;
    const content = kids(body);
    if (content[0]) parsed.payload = content[0];
    if (content.length > 1) log.info('SOAP_SEVERAL_BODY_ELEMENTS', `the Body holds ${content.length} elements; the first is the message`, body);
  }
  const security = headerBlocks.find((b) => b.localName === 'Security' && b.namespaceURI === SOAP_NS.wsse);
  if (security) {
    const assertion = kids(security, 'Assertion').find((a) => a.namespaceURI === SOAP_NS.saml2);
    parsed.security = assertion ? { element: security, assertion } : { element: security };
  }
  return parsed;
}
