/**
 * One call to read an XDS message from bytes or text: safe parse with the fast reader (no DTD, bounded
 * size, xml/fast-parse.ts), then decode the
 * message element — the document root, or the first child of a SOAP Body when given a whole envelope.
 * Full SOAP/MTOM handling (headers, attachments) is soap/decode-message.ts.
 */
import { readXml } from '../xml/fast-parse.js';
import { XmlParseError } from '../xml/parse.js';
import { IssueLog, type DecodeIssue } from './issues.js';
import { decodeXdsElement, type DecodedXds, type XopResolver } from './ebrim-decode.js';
import { kid, type El } from './xml-read.js';

export interface DecodeXdsOptions {
  /** Resolves xop:Include hrefs (MTOM parts); without it every XOP reference is reported unresolved. */
  resolveXop?: XopResolver;
  /** Largest input accepted (default: the safe parser's 20 MiB). */
  maxBytes?: number;
}

export interface DecodeXdsResult {
  /** Undefined when the XML could not be parsed or holds no XDS message. */
  message?: DecodedXds;
  issues: DecodeIssue[];
}

export function decodeXds(input: string | Uint8Array, options: DecodeXdsOptions = {}): DecodeXdsResult {
  const log = new IssueLog();
  let root: El;
  try {
    root = readXml(input, options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}).root;
  } catch (e) {
    if (!(e instanceof XmlParseError)) throw e;
    log.issues.push({ code: e.code, severity: 'error', message: e.message, ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) });
    return { issues: log.issues };
  }
  let el: El | undefined = root;
  if (root.localName === 'Envelope') el = kid(root, 'Body')?.firstElementChild ?? undefined;
  const message = el ? decodeXdsElement(el, log, options.resolveXop) : undefined;
  if (!message) log.error('XDS_NOT_A_MESSAGE', `the XML holds no XDS message (root element ${root.localName})`, root);
  return message ? { message, issues: log.issues } : { issues: log.issues };
}
