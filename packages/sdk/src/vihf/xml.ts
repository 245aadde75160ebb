/**
 * XML plumbing for the signature code. Text first goes through the SDK's fast safe reader (DOCTYPE refused,
 * size and depth bounded, well-formedness checked, the same contract as parseXml at ~7x its speed); only then
 * is it handed to @xmldom/xmldom, whose DOM the XML-DSig code works on, or (option `view`) its tree is given a
 * read-only DOM view (fast-dom.ts) and xmldom is not called at all. No DTD or entity is ever processed.
 */
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { readXml, type XmlElement } from '../xml/fast-parse.js';
import { ViewDocument } from './fast-dom.js';
import { XmlParseError, decodeXml } from '../xml/parse.js';
import { VihfProblemError, vihfProblem, type VihfProblem } from './problems.js';

export interface SafeXml {
  doc: Document;
  /** The decoded text that was parsed (what signature verification must see). */
  text: string;
  /** Non-fatal findings of decoding (invalid UTF-8 read as ISO-8859-1). */
  problems: VihfProblem[];
  /**
   * With `omitSoapBody`: the SOAP Body whose content was left out of `doc` (it is in `text`), as the safe reader
   * read it, for the checks that must still see the whole document.
   */
  omittedBody?: XmlElement;
}

export interface SafeXmlOptions {
  maxBytes?: number;
  /**
   * Read invalid UTF-8 bytes as ISO-8859-1 instead of failing: the official DIRECTE VIHF sample mixes
   * UTF-8 and a latin-1 "è". Each such byte is reported.
   */
  latin1Fallback?: boolean;
  /**
   * Leave the content of a SOAP envelope's Body out of the DOM (an ITI-41 Body is most of the request, and xmldom
   * the slowest step of a verification). The safe reader still reads all of it.
   */
  omitSoapBody?: boolean;
  /**
   * `doc` as a read-only view of the safe reader's tree (fast-dom.ts) instead of an xmldom parse, when the text has
   * no processing instruction, comment or CDATA section (the view merges or drops those where xmldom keeps nodes).
   */
  view?: boolean;
}

/** Markup the tree view does not keep as xmldom does (the XML declaration at offset 0 aside). */
const NOT_IN_VIEW = /<\?|<!--|<!\[CDATA\[/g;

/** What the safe reader made of a text (decodeMessage's `xml`): given instead of the text, it is not read again. */
export type ReadSafeXml = ReturnType<typeof readXml>;

export function isReadSafeXml(input: unknown): input is ReadSafeXml {
  return typeof input === 'object' && input !== null && !ArrayBuffer.isView(input) && typeof (input as ReadSafeXml).text === 'string' && typeof (input as ReadSafeXml).root === 'object';
}

/** Parses untrusted XML safely into an xmldom Document. Throws VihfProblemError VIHF-XML-INVALID. */
export function parseSafeXml(input: string | Uint8Array | ReadSafeXml, options: SafeXmlOptions = {}): SafeXml {
  if (isReadSafeXml(input)) return fromTree(input, [], options);
  const problems: VihfProblem[] = [];
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = decodeXml(input);
    } catch (e) {
      if (!(e instanceof XmlParseError) || e.code !== 'XML_ENCODING' || !options.latin1Fallback) throw invalid(e);
      const decoded = decodeUtf8WithLatin1Fallback(input);
      text = decoded.text;
      problems.push(vihfProblem('VIHF-ENCODING', `${decoded.invalidOffsets.length} byte(s), first at byte offset ${decoded.invalidOffsets[0]}`, undefined, 'warning'));
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let light: ReturnType<typeof readXml>;
  try {
    light = readXml(text, options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {});
  } catch (e) {
    throw invalid(e);
  }
  return fromTree(light, problems, options);
}

/** The Document of a tree the safe reader made (view or xmldom), with the Body left out when asked. */
function fromTree(light: ReadSafeXml, problems: VihfProblem[], options: SafeXmlOptions): SafeXml {
  const text = light.text;
  const body = options.omitSoapBody ? soapBodyToOmit(light.root) : undefined;
  // Only what the view shows matters: the content of an omitted Body is not in it.
  NOT_IN_VIEW.lastIndex = 1;
  if (options.view && !NOT_IN_VIEW.test(body ? text.slice(0, body.start) : text)) {
    const doc = new ViewDocument(light.root, body) as unknown as Document;
    return { doc, text, problems, ...(body ? { omittedBody: body } : {}) };
  }
  const domText = body ? withoutContent(light.text, body) : text;
  // No locator: nothing reads xmldom's line numbers, and tracking them costs ~15% of the parse.
  const doc = new DOMParser({
    locator: false,
    onError: (level, message) => {
      if (level !== 'warning') throw new VihfProblemError('VIHF-XML-INVALID', `the XML cannot be parsed: ${message}`);
    },
  }).parseFromString(domText, 'text/xml');
  return { doc, text, problems, ...(body ? { omittedBody: body } : {}) };
}

const SOAP_ENVELOPE_NS = ['http://www.w3.org/2003/05/soap-envelope', 'http://schemas.xmlsoap.org/soap/envelope/'];

/**
 * The one Body of a SOAP envelope, when it has content and is the last element (as SOAP wants it): everything a
 * verification looks up by document order (the first SignedInfo) then comes before it.
 */
function soapBodyToOmit(root: XmlElement): XmlElement | undefined {
  if (root.localName !== 'Envelope' || !SOAP_ENVELOPE_NS.includes(root.namespaceURI ?? '')) return undefined;
  let body: XmlElement | undefined;
  let count = 0;
  let last: XmlElement | undefined;
  for (let c = root.firstElementChild; c; c = c.nextElementSibling) {
    last = c;
    if (c.localName === 'Body' && c.namespaceURI === root.namespaceURI) {
      body = c;
      count++;
    }
  }
  return body && count === 1 && last === body && (body.firstElementChild || body.textContent) ? body : undefined;
}

/** `text` with the content of `el` removed: its start tag as written, then its end tag. */
function withoutContent(text: string, el: XmlElement): string {
  let quote = 0;
  let p = el.start;
  for (; p < el.end; p++) {
    const c = text.charCodeAt(p);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e /* > */) break;
  }
  const endTag = text.lastIndexOf('</', el.end - 1);
  return text.slice(0, p + 1) + text.slice(endTag);
}

function invalid(e: unknown): VihfProblemError {
  if (e instanceof VihfProblemError) return e;
  const msg = e instanceof XmlParseError && e.line ? `${e.message} (line ${e.line}, column ${e.column})` : (e as Error).message;
  return new VihfProblemError('VIHF-XML-INVALID', `the XML cannot be parsed: ${msg}`, [vihfProblem('VIHF-XML-INVALID', msg)]);
}

/** Length of a valid UTF-8 sequence at `i`, or 0 (RFC 3629 table, no overlongs or surrogates). */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** UTF-8 where valid, each invalid byte read as ISO-8859-1. */
export function decodeUtf8WithLatin1Fallback(bytes: Uint8Array): { text: string; invalidOffsets: number[] } {
  const decoder = new TextDecoder('utf-8');
  const invalidOffsets: number[] = [];
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = utf8SequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += decoder.decode(bytes.subarray(runStart, i)) + String.fromCharCode(bytes[i]!);
    invalidOffsets.push(i);
    i++;
    runStart = i;
  }
  out += decoder.decode(bytes.subarray(runStart));
  return { text: out, invalidOffsets };
}

export function isElement(n: Node | null | undefined): n is Element {
  return !!n && n.nodeType === 1;
}

export function childElements(parent: Node, ns?: string, localName?: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (!isElement(c)) continue;
    if (ns !== undefined && c.namespaceURI !== ns) continue;
    if (localName !== undefined && c.localName !== localName) continue;
    out.push(c);
  }
  return out;
}

export function firstChildElement(parent: Node, ns: string, localName: string): Element | undefined {
  return childElements(parent, ns, localName)[0];
}

/** Attribute value or undefined (xmldom returns null for absent attributes). */
export function attribute(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? (el.getAttribute(name) ?? undefined) : undefined;
}

/** Every element of the document, in document order. */
export function allElements(root: Node): Element[] {
  const out: Element[] = [];
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (isElement(c)) {
        out.push(c);
        walk(c);
      }
    }
  };
  walk(root);
  return out;
}

export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

export function escapeXmlAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
