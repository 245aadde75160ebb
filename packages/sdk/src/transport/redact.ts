/**
 * Health data out of recorded exchanges (the default; `redact: false` turns it off explicitly). What goes:
 * - INS numbers (NIR/NIA shape) anywhere, the id of every CX patient identifier (resource-id, patientId,
 *   sourcePatientId, stored-query parameters), HL7v3 ids under an INS/DMP patient root;
 * - person names: the SAML subject-id value, HL7v3 name parts (given, family, prefix, suffix), and the PID fields
 *   of sourcePatientInfo (PID-5 name, PID-7 birth date, PID-11 address, PID-13/14 phones), birthTime, telecom and
 *   address parts of HL7v3 persons;
 * - documents: inline base64 payloads and every non-root MIME part, replaced by their length and SHA-1/SHA-256
 *   (SHA-1 is what the XDS `hash` slot holds, so support can still compare);
 * - document titles, comments and display names (ebRIM LocalizedString), and eventCodeList codes (diagnoses).
 * What stays: the structure of the message (elements, attributes, codes, OIDs, MIME headers and Content-IDs), so a
 * redacted recording still parses and `dmp inspect` / `dmp explain` still work. XML-DSig values and certificates
 * stay too: they are not health data and support needs the certificate subject.
 * Secrets (Authorization, Cookie headers) are removed whatever `redact` says.
 * Text is handled as latin1 so that bytes outside the redacted spans are kept exactly, valid UTF-8 or not.
 */
import { createHash } from 'node:crypto';
import { CX_ID_PATTERN, INS_PATTERN } from '../errors/sanitize.js';
import { contentTypeParams, multipartRanges } from './multipart.js';

/** Replaces redacted values: ASCII, valid in XML text and attributes and in CX/HL7 components. */
export const REDACTED = 'REDACTED';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Local names whose base64 content is a signature or a certificate, not a document. */
const KEEP_BASE64 = new Set(['SignatureValue', 'DigestValue', 'X509Certificate', 'BinarySecurityToken', 'X509SKI', 'CertDigest']);

const EVENT_CODE_SCHEME = 'urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4';

function digest(bytes: Buffer): string {
  return `sha1=${createHash('sha1').update(bytes).digest('hex')}, sha256=${createHash('sha256').update(bytes).digest('hex')}`;
}

export function binaryPlaceholder(what: string, bytes: Buffer): string {
  return `[dmpkit redacted ${what}: ${bytes.length} bytes, ${digest(bytes)}]`;
}

/** Headers with secrets removed, and (when redacting) INS values masked. */
export function redactHeaders(headers: Record<string, string>, redact: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(name.toLowerCase())) out[name] = REDACTED;
    else out[name] = redact ? value.replace(INS_PATTERN, REDACTED).replace(CX_ID_PATTERN, `${REDACTED}$2`) : value;
  }
  return out;
}

/** Redacts a message body according to its Content-Type (multipart, XML, other text, binary). */
export function redactBody(body: Buffer, contentType: string | undefined): Buffer {
  if (body.length === 0) return body;
  const { type, params } = contentTypeParams(contentType ?? '');
  if (type.startsWith('multipart/') && params.boundary) return redactMultipart(body, params.boundary, params.start);
  if (isTextual(type) || (!type && looksTextual(body))) return Buffer.from(redactXmlText(body.toString('latin1')), 'latin1');
  return Buffer.from(binaryPlaceholder('body', body), 'latin1');
}

function isTextual(type: string): boolean {
  return type.includes('xml') || type.startsWith('text/') || type.includes('json');
}

function looksTextual(body: Buffer): boolean {
  const head = body.subarray(0, 512);
  return !head.includes(0) && /^\s*[<{[]/.test(head.toString('latin1'));
}

/** Root part (the `start` Content-ID, else the first): XML redaction; every other part: replaced by its digest. */
function redactMultipart(body: Buffer, boundary: string, start: string | undefined): Buffer {
  const { parts } = multipartRanges(body, boundary);
  if (parts.length === 0) return Buffer.from(redactXmlText(body.toString('latin1')), 'latin1');
  const startId = start?.replace(/^<|>$/g, '');
  let root = parts.findIndex((p) => startId !== undefined && p.headers['content-id']?.replace(/^<|>$/g, '') === startId);
  if (root < 0) root = 0;
  const chunks: Buffer[] = [];
  let cursor = 0;
  parts.forEach((p, i) => {
    chunks.push(body.subarray(cursor, p.bodyStart));
    const content = body.subarray(p.bodyStart, p.bodyEnd);
    chunks.push(i === root ? Buffer.from(redactXmlText(content.toString('latin1')), 'latin1') : Buffer.from(binaryPlaceholder('MIME part', content), 'latin1'));
    cursor = p.bodyEnd;
  });
  chunks.push(body.subarray(cursor));
  return Buffer.concat(chunks);
}

const mask = (value: string): string => (value.trim() ? REDACTED : value);

/** Redacts health data in XML (or other) text; see the module comment for the list. */
export function redactXmlText(xml: string): string {
  let out = xml;
  // Inline base64 payloads (ITI-41 inline Document, ITI-43 inline response), except signatures and certificates.
  out = out.replace(/(<(?:[\w.-]+:)?([\w.-]+)\b[^>]*>)([A-Za-z0-9+/=\s]{256,})(<\/)/g, (m, open: string, local: string, content: string, close: string) => {
    if (KEEP_BASE64.has(local)) return m;
    const compact = content.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return m;
    return `${open}${binaryPlaceholder('base64 content', Buffer.from(compact, 'base64'))}${close}`;
  });
  // SAML subject-id: the user's name.
  out = out.replace(
    /(<(?:[\w.-]+:)?Attribute\b[^>]*Name\s*=\s*["']urn:oasis:names:tc:xspa:1\.0:subject:subject-id["'][^>]*>)([\s\S]*?)(<\/(?:[\w.-]+:)?Attribute>)/g,
    (_m, open: string, inner: string, close: string) => open + inner.replace(/(<(?:[\w.-]+:)?AttributeValue\b[^>]*>)([^<]*)(<\/)/g, (_n, a: string, v: string, c: string) => a + mask(v) + c) + close,
  );
  // HL7v3 person: name parts, address parts.
  out = out.replace(
    /(<(?:[\w.-]+:)?(given|family|prefix|suffix|streetAddressLine|streetName|houseNumber|city|postalCode|additionalLocator)\b[^>]*>)([^<]*)(<\/(?:[\w.-]+:)?\2>)/g,
    (_m, open: string, _local: string, value: string, close: string) => open + mask(value) + close,
  );
  // HL7v3 birthTime and telecom values.
  out = out.replace(/(<(?:[\w.-]+:)?(?:birthTime|telecom)\b[^>]*?\bvalue\s*=\s*)(["'])([^"']*)\2/g, (_m, pre: string, q: string) => `${pre}${q}${REDACTED}${q}`);
  // HL7v3 ids under the INS and DMP patient roots (1.2.250.1.213.1.4.x): INS-C and internal ids are not NIR-shaped.
  out = out.replace(/<(?:[\w.-]+:)?id\b[^>]*>/g, (tag) =>
    /\broot\s*=\s*["']1\.2\.250\.1\.213\.1\.4\.\d+["']/.test(tag) ? tag.replace(/(\bextension\s*=\s*)(["'])[^"']*\2/, `$1$2${REDACTED}$2`) : tag,
  );
  // sourcePatientInfo: every PID field but PID-3 (identifiers, masked below as CX) and PID-8 (sex).
  out = out.replace(/(<(?:[\w.-]+:)?Slot\b[^>]*name\s*=\s*["']sourcePatientInfo["'][^>]*>)([\s\S]*?)(<\/(?:[\w.-]+:)?Slot>)/g, (_m, open: string, inner: string, close: string) =>
    open + inner.replace(/(>\s*PID-(\d+)\|)([^<]*)/g, (_n, pre: string, field: string, value: string) => (field === '3' || field === '8' ? pre + value : pre + mask(value))) + close,
  );
  // Titles, comments, display names.
  out = out.replace(/(<(?:[\w.-]+:)?LocalizedString\b[^>]*?\bvalue\s*=\s*)(["'])([^"']*)\2/g, (_m, pre: string, q: string, v: string) => `${pre}${q}${mask(v)}${q}`);
  // eventCodeList codes (diagnoses, acts).
  out = out.replace(/<(?:[\w.-]+:)?Classification\b[^>]*>/g, (tag) =>
    tag.includes(EVENT_CODE_SCHEME) ? tag.replace(/(\bnodeRepresentation\s*=\s*)(["'])[^"']*\2/, `$1$2${REDACTED}$2`) : tag,
  );
  // Patient identifiers anywhere else.
  out = out.replace(CX_ID_PATTERN, `${REDACTED}$2`).replace(INS_PATTERN, REDACTED);
  return out;
}
