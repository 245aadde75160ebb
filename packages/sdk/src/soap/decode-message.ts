/**
 * `decodeMessage`: everything a saved request or response holds, for `dmp inspect` and `dmp explain` —
 * HTTP head if any, MIME parts (lengths, Content-IDs), XOP resolution, SOAP version, WS-Addressing,
 * wsse:Security presence, the body payload (which XDS / HL7v3 / DMP message, or a Fault) decoded into the
 * model, FHIR JSON summarised, and every problem met as a structured issue. Never throws on content.
 *
 * This module is the wiring between the transport layer (soap/*) and the codecs (xds/*); neither of those
 * depends on it. Every XML parse goes through the fast safe reader (xml/fast-parse.ts: no DTD, no entity,
 * bounded size and depth), which also lists the namespace prefixes and xop:Include elements as it reads.
 */
import { elementsOf, readXml, type ReadXml, type XmlElement } from '../xml/fast-parse.js';
import { XmlParseError } from '../xml/parse.js';
import { decodeXdsElement, type DecodedXds } from '../xds/ebrim-decode.js';
import { decodeDmpServiceElement, DMP_SERVICE_NS, type DecodedDmpService } from '../xds/dmp-services.js';
import { decodePatientQueryRequest, decodePatientQueryResponse, HL7V3_NS, type DecodedPatientQueryRequest, type DecodedPatientQueryResponse } from '../xds/hl7v3.js';
import { IssueLog, type DecodeIssue } from '../xds/issues.js';
import { ASSOCIATION_TYPE, EBXML_21_NS, XDS_NS } from '../xds/uuids.js';
import { att, kid, qname, type El } from '../xds/xml-read.js';
import { ACTIONS_BY_ELEMENT, iheTransactionOfAction } from './actions.js';
import type { WsAddressing } from './addressing.js';
import { parseContentType } from './content-type.js';
import { readEnvelope } from './envelope.js';
import { readFault, type SoapFault } from './fault.js';
import { summarizeFhir, type FhirSummary } from './fhir-summary.js';
import { headerValue, splitHttpMessage, type HttpHead } from './http-message.js';
import { createXopResolver, parseMultipart, type MultipartMessage, type XopReference } from './mtom.js';
import { SOAP_NS, type SoapVersion } from './namespaces.js';

export type MessageFormat = 'xml' | 'mime-multipart' | 'json' | 'http+xml' | 'http+mime-multipart' | 'http+json' | 'unknown';

export type PayloadFamily = 'xds' | 'hl7v3' | 'dmp' | 'fault' | 'security' | 'fhir' | 'unknown';

export interface MimePartSummary {
  contentId?: string;
  contentType?: string;
  contentTransferEncoding?: string;
  /** Header names as written, in order. */
  headerNames: string[];
  /** Bytes of the part content as it travelled. */
  length: number;
  /** Bytes after transfer decoding (equal to length for binary parts). */
  decodedLength: number;
  isRoot: boolean;
}

export interface MimeSummary {
  boundary: string;
  boundarySource: MultipartMessage['boundarySource'];
  headerBoundary?: string;
  params: MultipartMessage['params'];
  closed: boolean;
  leadingWhitespace: boolean;
  preambleLength: number;
  epilogueLength: number;
  parts: MimePartSummary[];
}

export interface SamlSummary {
  id?: string;
  issueInstant?: string;
  issuer?: string;
  /** An enveloped ds:Signature is present (not verified here). */
  signed: boolean;
  /** What the VIHF decoder given in the options returned, when one was given. */
  vihf?: unknown;
}

export interface DecodedMessage {
  format: MessageFormat;
  byteLength: number;
  lineEndings: 'LF' | 'CRLF' | 'mixed' | 'none';
  http?: HttpHead;
  mime?: MimeSummary;
  /** Every xop:Include met, resolved or not. */
  xop?: XopReference[];
  /** `{namespace}localName` of the XML root (the Envelope, or a bare body element). */
  rootElement?: string;
  /** Prefixes declared anywhere in the XML, sorted (informative). */
  namespacePrefixes?: string[];
  soap?: {
    version: SoapVersion;
    /** `{namespace}localName` of each header block. */
    headerBlocks: string[];
    addressing: WsAddressing;
    security?: { present: true; assertion?: SamlSummary };
  };
  payload: {
    family: PayloadFamily;
    /** Local name of the message element (`ProvideAndRegisterDocumentSetRequest`, `PRPA_IN201308UV02`, `Fault`…). */
    name?: string;
    element?: string;
    /** Best guess of the transaction (`ITI-41`, `ITI-57`, `TD0.2`…). */
    transaction?: string;
  };
  xds?: DecodedXds;
  hl7v3?: DecodedPatientQueryRequest | DecodedPatientQueryResponse | { kind: string; interactionId?: string };
  dmp?: DecodedDmpService;
  fault?: SoapFault;
  fhir?: FhirSummary;
  /** A standalone SAML assertion / wsse:Security document. */
  security?: SamlSummary;
  issues: DecodeIssue[];
  /**
   * The safe reader's tree of the XML part, when it was read in its declared encoding (no Latin-1 fallback), so
   * that a VIHF verification of the same message need not read it again. Not enumerable: never in JSON output.
   */
  readonly xml?: ReadXml;
}

export interface DecodeMessageOptions {
  /** Largest message accepted (default 64 MiB). */
  maxBytes?: number;
  /**
   * Decodes the VIHF assertion element (given by the VIHF module); its result goes to `soap.security.assertion.vihf`.
   * The element keeps its source text (`standaloneXml()`): the bytes as sent, not a re-serialisation.
   */
  decodeAssertion?: (assertion: XmlElement) => unknown;
}

const DEFAULT_MAX = 64 * 1024 * 1024;

function lineEndingsOf(bytes: Uint8Array): DecodedMessage['lineEndings'] {
  let lf = 0;
  let crlf = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
    lf++;
    if (i > 0 && bytes[i - 1] === 0x0d) crlf++;
  }
  if (!lf) return 'none';
  return crlf === lf ? 'CRLF' : crlf === 0 ? 'LF' : 'mixed';
}

function firstSignificant(bytes: Uint8Array): number | undefined {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i];
}

/** Decodes a saved message: raw SOAP, MTOM with or without HTTP headers, bare XDS body, FHIR JSON. */
export function decodeMessage(input: Uint8Array | string, contentType?: string, options: DecodeMessageOptions = {}): DecodedMessage {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf-8') : input;
  const log = new IssueLog();
  const out: DecodedMessage = { format: 'unknown', byteLength: bytes.byteLength, lineEndings: lineEndingsOf(bytes), payload: { family: 'unknown' }, issues: log.issues };
  const max = options.maxBytes ?? DEFAULT_MAX;
  if (bytes.byteLength > max) {
    log.error('MESSAGE_TOO_LARGE', `the message is ${bytes.byteLength} bytes, over the ${max}-byte limit`);
    return out;
  }
  const { head, body } = splitHttpMessage(bytes, log);
  let type = contentType;
  if (head) {
    out.http = head;
    type ??= headerValue(head.headers, 'content-type');
  }
  const prefix = head ? 'http+' : '';
  const first = firstSignificant(body);
  const media = type ? parseContentType(type).mediaType : undefined;

  if (first === 0x7b /* { */ || media?.includes('json')) {
    out.format = `${prefix}json` as MessageFormat;
    decodeJson(body, out, log);
    return out;
  }
  let xmlBytes: Uint8Array = body;
  let multipart: MultipartMessage | undefined;
  if (first === 0x2d /* - */ || media?.startsWith('multipart/')) {
    out.format = `${prefix}mime-multipart` as MessageFormat;
    multipart = parseMultipart(body, { maxBytes: max, ...(type ? { contentType: type } : {}) }, log);
    if (!multipart) return out;
    out.mime = summarizeMime(multipart);
    const root = multipart.parts[multipart.rootIndex];
    if (!root) {
      log.error('MIME_NO_ROOT', 'the multipart message has no part');
      return out;
    }
    const rootType = root.contentType ? parseContentType(root.contentType) : undefined;
    if (rootType && rootType.mediaType !== 'application/xop+xml' && !rootType.mediaType.includes('xml')) {
      log.warn('MIME_ROOT_TYPE', `the root part is ${rootType.mediaType}, not application/xop+xml`);
    }
    xmlBytes = root.body;
  } else if (first === 0x3c /* < */) {
    out.format = `${prefix}xml` as MessageFormat;
  } else {
    log.error('MESSAGE_UNKNOWN_FORMAT', 'the content is neither XML, MIME multipart nor JSON');
    return out;
  }
  const xop = createXopResolver(multipart, log);
  const before = log.issues.length;
  const doc = parseSafely(xmlBytes, max, log);
  if (!doc) return out;
  if (log.issues.length === before) Object.defineProperty(out, 'xml', { value: doc, enumerable: false });
  decodeXmlMessage(doc, out, xop.resolve, log, options);
  resolveRemainingIncludes(doc, xop, log);
  if (multipart) {
    out.xop = xop.references;
    const referenced = new Set(xop.references.map((r) => r.partIndex));
    multipart.parts.forEach((p, i) => {
      if (i !== multipart!.rootIndex && !referenced.has(i)) log.info('MIME_UNREFERENCED_PART', `part ${p.contentId ?? `#${i + 1}`} (${p.body.byteLength} bytes) is referenced by no xop:Include`);
    });
  } else if (xop.references.length) {
    out.xop = xop.references;
  }
  return out;
}

function summarizeMime(m: MultipartMessage): MimeSummary {
  const s: MimeSummary = {
    boundary: m.boundary,
    boundarySource: m.boundarySource,
    params: m.params,
    closed: m.closed,
    leadingWhitespace: m.leadingWhitespace,
    preambleLength: m.preambleLength,
    epilogueLength: m.epilogueLength,
    parts: m.parts.map((p, i) => {
      const part: MimePartSummary = { headerNames: p.headers.map((h) => h.name), length: p.rawLength, decodedLength: p.body.byteLength, isRoot: i === m.rootIndex };
      if (p.contentId !== undefined) part.contentId = p.contentId;
      if (p.contentType !== undefined) part.contentType = p.contentType;
      if (p.contentTransferEncoding !== undefined) part.contentTransferEncoding = p.contentTransferEncoding;
      return part;
    }),
  };
  if (m.headerBoundary !== undefined) s.headerBoundary = m.headerBoundary;
  return s;
}

/**
 * Safe parse; bytes that are not valid in their declared encoding are read as ISO-8859-1 and reported,
 * so that a token mixing UTF-8 and Latin-1 (official DMP samples do) can still be inspected.
 */
function parseSafely(bytes: Uint8Array, maxBytes: number, log: IssueLog): ReadXml | undefined {
  const options = { maxBytes, collect: [SOAP_NS.xop] };
  try {
    return readXml(bytes, options);
  } catch (e) {
    if (!(e instanceof XmlParseError)) throw e;
    const where = { ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) };
    if (e.code !== 'XML_ENCODING') {
      log.issues.push({ code: e.code, severity: 'error', message: e.message, ...where });
      return undefined;
    }
    log.issues.push({ code: 'XML_ENCODING_FALLBACK', severity: 'warning', message: `${e.message}; read as ISO-8859-1 instead (values with non-ASCII characters may be wrong)`, ...where });
    try {
      // Latin-1 maps every byte to a character, so this decoding cannot fail.
      return readXml(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), options);
    } catch (e2) {
      if (!(e2 instanceof XmlParseError)) throw e2;
      log.issues.push({ code: e2.code, severity: 'error', message: e2.message, ...(e2.line ? { line: e2.line } : {}), ...(e2.column ? { column: e2.column } : {}) });
      return undefined;
    }
  }
}

const XDS_NAMESPACES = new Set<string>([...Object.values(XDS_NS), ...Object.values(EBXML_21_NS)]);
const DMP_NAMESPACES = new Set<string>(Object.values(DMP_SERVICE_NS));

function decodeXmlMessage(doc: ReadXml, out: DecodedMessage, resolve: ReturnType<typeof createXopResolver>['resolve'], log: IssueLog, options: DecodeMessageOptions): void {
  const root = doc.root;
  out.rootElement = qname(root);
  out.namespacePrefixes = doc.declaredPrefixes.sort();
  let payload: El | undefined = root;
  const env = readEnvelope(root, log);
  if (env) {
    out.soap = { version: env.version, headerBlocks: env.headerBlocks.map(qname), addressing: env.addressing };
    if (env.security) out.soap.security = { present: true, ...(env.security.assertion ? { assertion: samlSummary(env.security.assertion, options) } : {}) };
    payload = env.payload;
    if (!payload) {
      log.warn('SOAP_EMPTY_BODY', 'the SOAP Body is empty');
      return;
    }
  }
  const name = payload.localName;
  const ns = payload.namespaceURI ?? '';
  out.payload = { family: 'unknown', name, element: qname(payload) };
  if (ns === SOAP_NS.soap12 || ns === SOAP_NS.soap11) {
    if (name === 'Fault') {
      out.payload.family = 'fault';
      out.fault = readFault(payload, log);
    }
  } else if (XDS_NAMESPACES.has(ns) || (!ns && ['SubmitObjectsRequest', 'AdhocQueryRequest'].includes(name))) {
    if (!ns) log.warn('XDS_NO_NAMESPACE', `${name} has no namespace (template without namespaces); read as ebRIM 3.0`, payload);
    const xds = decodeXdsElement(payload, log, resolve);
    if (xds) {
      out.payload.family = 'xds';
      out.xds = xds;
      out.payload.transaction = xdsTransaction(xds, out.soap?.addressing.action);
    }
  } else if (ns === HL7V3_NS) {
    out.payload.family = 'hl7v3';
    if (name === 'PRPA_IN201307UV02') out.hl7v3 = decodePatientQueryRequest(payload, log);
    else if (name === 'PRPA_IN201308UV02') out.hl7v3 = decodePatientQueryResponse(payload, log);
    else {
      const interactionId = att(kid(payload, 'interactionId'), 'extension');
      out.hl7v3 = { kind: name, ...(interactionId !== undefined ? { interactionId } : {}) };
    }
    const reason = out.hl7v3 && 'reasonCode' in out.hl7v3 ? out.hl7v3.reasonCode : undefined;
    out.payload.transaction = reason === 'CNSLT_DATA' ? 'TD1.3a' : name.startsWith('PRPA_IN20130') ? 'TD0.2' : undefined;
    if (out.payload.transaction === undefined) delete out.payload.transaction;
  } else if (DMP_NAMESPACES.has(ns)) {
    const dmp = decodeDmpServiceElement(payload, log);
    if (dmp) {
      out.payload.family = 'dmp';
      out.dmp = dmp;
      out.payload.transaction = dmp.kind.startsWith('setAuthorization') ? 'TD0.3' : dmp.kind.startsWith('patientList') ? 'TD0.4' : 'TD1.6';
    }
  } else if (name === 'Assertion' && ns === SOAP_NS.saml2) {
    out.payload.family = 'security';
    out.security = samlSummary(payload, options);
  } else if (name === 'Security' && ns === SOAP_NS.wsse) {
    out.payload.family = 'security';
    const assertion = [...elementsOf(payload)].find((e) => e.localName === 'Assertion' && e.namespaceURI === SOAP_NS.saml2);
    if (assertion) out.security = samlSummary(assertion, options);
  }
  if (out.payload.family === 'unknown') log.warn('MESSAGE_UNKNOWN_PAYLOAD', `the message element ${qname(payload)} is not one this SDK decodes`, payload);
  const action = out.soap?.addressing.action;
  const expected = ACTIONS_BY_ELEMENT[name];
  if (action && expected && !expected.includes(action)) {
    log.info('WSA_ACTION_BODY_MISMATCH', `WS-Addressing Action "${action}" is not the usual one for a ${name} body; the body decides`, payload);
  }
}

function xdsTransaction(x: DecodedXds, action: string | undefined): string | undefined {
  const byAction = action ? iheTransactionOfAction(action) : undefined;
  if (byAction) return byAction;
  switch (x.kind) {
    case 'ProvideAndRegisterDocumentSetRequest':
      return 'ITI-41';
    case 'AdhocQueryRequest':
    case 'AdhocQueryResponse':
      return 'ITI-18';
    case 'RetrieveDocumentSetRequest':
    case 'RetrieveDocumentSetResponse':
      return 'ITI-43';
    case 'SubmitObjectsRequest': {
      const update = x.objects.associations.some((a) => a.type === ASSOCIATION_TYPE.UpdateAvailabilityStatus || a.previousVersion !== undefined);
      return update ? 'ITI-57' : 'ITI-42';
    }
    default:
      return undefined;
  }
}

function samlSummary(assertion: El, options: DecodeMessageOptions): SamlSummary {
  const s: SamlSummary = { signed: [...elementsOf(assertion)].some((e) => e.localName === 'Signature' && e.namespaceURI === 'http://www.w3.org/2000/09/xmldsig#') };
  const id = att(assertion, 'ID');
  const instant = att(assertion, 'IssueInstant');
  const issuer = kid(assertion, 'Issuer')?.textContent;
  if (id !== undefined) s.id = id;
  if (instant !== undefined) s.issueInstant = instant;
  if (issuer) s.issuer = issuer.trim();
  if (options.decodeAssertion) s.vihf = options.decodeAssertion(assertion);
  return s;
}

/** xop:Include elements outside the places the codecs look at (so every reference shows in the report). */
function resolveRemainingIncludes(doc: ReadXml, xop: ReturnType<typeof createXopResolver>, log: IssueLog): void {
  const seen = new Set(xop.references.map((r) => r.href));
  for (const el of doc.byNamespace.get(SOAP_NS.xop) ?? []) {
    if (el.localName !== 'Include') continue;
    const href = att(el, 'href') ?? '';
    if (seen.has(href)) continue;
    seen.add(href);
    if (!xop.resolve(href)) log.error('XOP_UNRESOLVED', `xop:Include href "${href}" matches no MIME part (attachment missing)`, el);
  }
}

function decodeJson(body: Uint8Array, out: DecodedMessage, log: IssueLog): void {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf-8'));
  } catch (e) {
    log.error('JSON_INVALID', `the JSON body does not parse: ${(e as Error).message}`);
    return;
  }
  const fhir = summarizeFhir(json, log);
  if (fhir) {
    out.fhir = fhir;
    out.payload = { family: 'fhir', name: fhir.resourceType };
  }
}
