/**
 * Safe XML parsing into a DOM (slimdom) that keeps the line and column of every node.
 *
 * Safety rules, all enforced here so that no caller can forget them:
 * - a DOCTYPE is refused outright: no DTD is read, no entity (internal or external) is ever expanded;
 * - the input size is bounded before any byte is decoded;
 * - bytes are decoded strictly (invalid UTF-8 is an error, never replaced silently);
 * - a UTF-8/UTF-16 BOM and CRLF line ends are accepted.
 */
import { isAscii } from 'node:buffer';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import * as slimdom from 'slimdom';
import type { XmlElement } from './fast-parse.js';

export const DEFAULT_MAX_XML_BYTES = 20 * 1024 * 1024;

export type XmlErrorCode =
  | 'XML_EMPTY'
  | 'XML_TOO_LARGE'
  | 'XML_ENCODING'
  | 'XML_DOCTYPE'
  | 'XML_NOT_WELL_FORMED';

/** A parse failure: the code is stable, line/column are 1-based when known. */
export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
  constructor(
    readonly code: XmlErrorCode,
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

export interface ParseXmlOptions {
  /** Largest input accepted, in bytes (default 20 MiB). */
  maxBytes?: number;
}

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Positions live on the nodes under a private symbol rather than in a WeakMap: a document of 100,000 nodes
 * made the WeakMap's ephemeron table dominate garbage collection (several seconds on a 6 MB response).
 */
const POSITION = Symbol('dmpkit.sourcePosition');
type Positioned = { [POSITION]?: SourcePosition };
const positions = {
  set(node: object, p: SourcePosition): void {
    (node as Positioned)[POSITION] = p;
  },
};

/** Where a node started in its source (1-based line and column), if it came from {@link parseXml}. */
export function positionOf(node: slimdom.Node | slimdom.Attr): SourcePosition | undefined {
  return (node as unknown as Positioned)[POSITION];
}

/** Line and column of an offset in a text, from a table of line starts built on first use. */
export class LineIndex {
  #starts: number[] | undefined;
  constructor(readonly text: string) {}

  /** 1-based line and column (in UTF-16 code units) of the character at this offset. */
  position(offset: number): SourcePosition {
    if (!this.#starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.#starts = starts;
    }
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}

export interface ParsedXml {
  document: slimdom.Document;
  /** Number of bytes of the source. */
  bytes: number;
  /** The decoded text (BOM removed), kept for stages that need the exact characters. */
  text: string;
}

/** Decodes bytes as the XML declaration (or BOM) says, strictly. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return strictDecode(bytes.subarray(3), 'utf-8');
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return strictDecode(bytes.subarray(2), 'utf-16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return strictDecode(bytes.subarray(2), 'utf-16be');
  // The declaration is ASCII-compatible in every encoding we accept without a BOM.
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  return strictDecode(bytes, declared ?? 'utf-8');
}

/** Encodings in which pure-ASCII bytes mean the same characters as in ASCII. */
const ASCII_COMPATIBLE = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'iso-8859-1', 'iso-8859-15', 'latin1', 'windows-1252']);

function strictDecode(bytes: Uint8Array, label: string): string {
  // Most messages and many documents are pure ASCII: checked by SIMD, read as Latin-1 (a one-byte string,
  // no decoding). TextDecoder took 20-30 ms on a 6.7 MB FindDocuments response.
  if (ASCII_COMPATIBLE.has(label)) {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (isAscii(view)) return view.toString('latin1');
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new XmlParseError('XML_ENCODING', `unsupported encoding "${label}" declared in the XML declaration`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new XmlParseError('XML_ENCODING', `the bytes are not valid ${label.toUpperCase()}`, ...firstInvalidUtf8(bytes, label));
  }
}

/** Line/column of the first invalid UTF-8 sequence, so the message points at it. */
function firstInvalidUtf8(bytes: Uint8Array, label: string): [number?, number?] {
  if (label !== 'utf-8' && label !== 'utf8') return [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search the shortest invalid prefix (a truncated multi-byte char at the cut also fails, so step back 3).
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      decoder.decode();
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  const prefix = Buffer.from(bytes.subarray(0, Math.max(0, lo - 3))).toString('utf-8');
  const lines = prefix.split('\n');
  return [lines.length, (lines[lines.length - 1]?.length ?? 0) + 1];
}

/**
 * The checks every safe reader makes before parsing: size bound (before decoding), strict decoding, BOM
 * removed, not empty. Shared by {@link parseXml} and the fast reader (fast-parse.ts).
 */
export function xmlTextOf(input: Uint8Array | string, maxBytes = DEFAULT_MAX_XML_BYTES): { text: string; bytes: number } {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf-8') : input.length;
  if (bytes > maxBytes) {
    throw new XmlParseError(
      'XML_TOO_LARGE',
      `the file is ${formatBytes(bytes)}, over the ${formatBytes(maxBytes)} limit (raise it with --max-size if this is expected)`,
    );
  }
  let text = typeof input === 'string' ? input : decodeXml(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new XmlParseError('XML_EMPTY', 'the file is empty', 1, 1);
  return { text, bytes };
}

/**
 * Parses XML bytes (or an already-decoded string) into a namespace-aware DOM.
 * Throws {@link XmlParseError} with a stable code and a position.
 */
export function parseXml(input: Uint8Array | string, options: ParseXmlOptions = {}): ParsedXml {
  const { text, bytes } = xmlTextOf(input, options.maxBytes);

  const doc = new slimdom.Document();
  const stack: slimdom.Node[] = [doc];
  const parser = new SaxesParser({ xmlns: true, position: true });
  let failure: XmlParseError | undefined;
  let tagStart: SourcePosition = { line: 1, column: 1 };

  const top = (): slimdom.Node => stack[stack.length - 1]!;
  const here = (): SourcePosition => ({ line: parser.line, column: parser.column + 1 });

  parser.on('error', (err) => {
    if (!failure) {
      const msg = err.message.replace(/^\d+:\d+: /, '');
      failure = new XmlParseError('XML_NOT_WELL_FORMED', msg, parser.line, parser.column + 1);
    }
    throw failure;
  });
  parser.on('doctype', () => {
    failure = new XmlParseError(
      'XML_DOCTYPE',
      'a DOCTYPE declaration is not allowed (DTDs and entities are never processed: CDA documents have none)',
      parser.line,
      parser.column + 1,
    );
    throw failure;
  });
  // saxes reports a tag start one character after "<name" (possibly past a newline): locate the "<" by
  // its offset in the text instead, through a table of line starts.
  const lines = new LineIndex(text);
  const at = (offset: number): SourcePosition => lines.position(offset);
  parser.on('opentagstart', (tag) => {
    tagStart = at(Math.max(0, parser.position - tag.name.length - 2));
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const el = doc.createElementNS(tag.uri || null, tag.name);
    positions.set(el, tagStart);
    for (const attr of Object.values(tag.attributes)) {
      // Namespace declarations are attributes in the XPath data model's sense too (namespace axis aside).
      const ns = attr.uri || (attr.prefix === 'xmlns' || attr.name === 'xmlns' ? 'http://www.w3.org/2000/xmlns/' : null);
      el.setAttributeNS(ns, attr.name, attr.value);
      const node = el.getAttributeNodeNS(ns, attr.local || attr.name);
      if (node) positions.set(node, tagStart);
    }
    top().appendChild(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (t) => {
    if (stack.length > 1) top().appendChild(doc.createTextNode(t));
  });
  parser.on('cdata', (t) => {
    top().appendChild(doc.createTextNode(t));
  });
  parser.on('comment', (c) => {
    const node = doc.createComment(c);
    positions.set(node, here());
    top().appendChild(node);
  });
  parser.on('processinginstruction', (pi) => {
    if (pi.target.toLowerCase() === 'xml') return;
    const node = doc.createProcessingInstruction(pi.target, pi.body);
    positions.set(node, here());
    top().appendChild(node);
  });

  try {
    parser.write(text).close();
  } catch (e) {
    if (failure) throw failure;
    throw new XmlParseError('XML_NOT_WELL_FORMED', (e as Error).message, parser.line, parser.column + 1);
  }
  if (!doc.documentElement) throw new XmlParseError('XML_NOT_WELL_FORMED', 'no root element', parser.line, 1);
  return { document: doc, bytes, text };
}

/**
 * A slimdom Document built from a tree of the fast reader (xml/fast-parse.ts), for DOM readers of a big
 * document that look at little of it — the header of a CDA N1 whose body is megabytes of base64, where
 * parseXml's per-character checks are the whole cost. Elements, attributes and text with their positions,
 * as parseXml gives them (the differential tests compare the two); comments and processing instructions,
 * which the fast tree does not keep, are absent.
 */
export function domOf(root: XmlElement, options: { positions?: boolean } = {}): slimdom.Document {
  const doc = new slimdom.Document();
  // Without positions (value-set documents, which no finding points into): half the work of a cold build.
  const located = options.positions !== false;
  const build = (from: XmlElement, parent: slimdom.Node): void => {
    const el = doc.createElementNS(from.namespaceURI, from.nodeName);
    const at = located ? from.position() : undefined;
    if (at) positions.set(el, at);
    for (const a of from.attributes) {
      el.setAttributeNS(a.namespaceURI, a.name, a.value);
      if (!at) continue;
      const node = el.getAttributeNodeNS(a.namespaceURI, a.localName);
      if (node) positions.set(node, at);
    }
    parent.appendChild(el);
    for (const c of from.children) {
      if (typeof c === 'string') el.appendChild(doc.createTextNode(c));
      else build(c, el);
    }
  };
  build(root, doc);
  return doc;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
