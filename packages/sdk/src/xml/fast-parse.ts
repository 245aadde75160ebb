/**
 * A fast safe XML reader for the SOAP/XDS decode path: a hand-written tokenizer over the decoded text that
 * builds a light, namespace-resolved element tree (no DOM). parseXml (saxes + slimdom) stays the reader of
 * the CDA/schematron path, which needs a real DOM; this one exists because a 6 MB FindDocuments response
 * took seconds there (per-character checks, one DOM node per text and attribute).
 *
 * Same safety contract as parseXml, checked by the differential tests (test/xml/fast-parse*.test.ts):
 * size bounded before decoding (XML_TOO_LARGE), strict decoding (XML_ENCODING), XML_EMPTY, a DOCTYPE
 * refused (XML_DOCTYPE: no DTD is read, no entity other than the five predefined ones and character
 * references is ever expanded), every well-formedness and namespace error XML_NOT_WELL_FORMED with a
 * 1-based line and column. Character validity is checked once per run of text (one regex), not per
 * character. Positions are computed only when asked for, from the offset each element keeps.
 *
 * Elements nest at most `maxDepth` levels (default 1,000: SOAP/XDS messages use about 20), so that the
 * recursive readers of the tree (textContent, callers) cannot overflow the stack on a hostile message.
 */
import { LineIndex, XmlParseError, xmlTextOf, type SourcePosition } from './parse.js';

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export const DEFAULT_MAX_XML_DEPTH = 1000;

export interface XmlAttribute {
  /** Qualified name as written (`xsi:type`, `xmlns:rim`). */
  readonly name: string;
  readonly localName: string;
  readonly prefix: string | null;
  /** Null for an unprefixed attribute (the default namespace does not apply), the xmlns namespace for declarations. */
  readonly namespaceURI: string | null;
  /** The normalised value (references expanded, tab/CR/LF as spaces). */
  readonly value: string;
}

/** In-scope namespace bindings: prefix (`''` for the default namespace) → URI (`''` once undeclared). */
type Scope = Readonly<Record<string, string>>;

const ROOT_SCOPE: Scope = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, { xml: XML_NAMESPACE, xmlns: XMLNS_NAMESPACE }));

/**
 * Columns of the element table (XmlSource.nodes): one row of Col.Stride integers per element, in document order.
 * Element children are linked by index (-1: none); an element's text is offsets into the text while it is one
 * run written as is (most text: no string is made until it is read).
 */
const enum Col {
  /** Offset of the `<` of the start tag. */
  Start,
  /** Offset just after the end tag (or `/>`). */
  End,
  /** Index of the name in the source's `names`. */
  Name,
  Parent,
  First,
  Next,
  Prev,
  /** Where the attributes start in the source's attribute table, and how many (namespace declarations included). */
  AttrSlot,
  AttrCount,
  /** Index of the in-scope bindings in the source's `scopes`. */
  Scope,
  /** With TextEnd ≥ 0, the start offset of the text; else the index in `decoded` (Text.Decoded) or `mixed` (Text.Mixed). */
  Text,
  /** The end offset of the text, or one of the Text markers. */
  TextEnd,
  Stride,
}

/** Col.TextEnd markers: no text at all; a string kept in `decoded` (references expanded, or runs merged); mixed content. */
const enum Text {
  None = -1,
  Decoded = -2,
  Mixed = -3,
}

/**
 * The text an element tree was read from, with its line table (built on the first position asked), its elements
 * and the attributes of every element. Elements are rows of integers in `nodes` (see Col): a 6 MB FindDocuments
 * response holds 100,000 elements, which as objects were most of what the scavenger copied while the tree was
 * built. An element object ({@link XmlElement}) is made the first time it is asked for, and kept, so that each
 * element has one. Attributes: three slots each in `attributes` — the name's index in `names`, then the value's
 * start and end offsets in the text when it is written as is, or the value's index in `decoded` and -1 when it
 * had references or whitespace to normalise. Typed arrays: the scavenger neither scans nor copies them, and they
 * grow without boxing.
 */
export class XmlSource extends LineIndex {
  attributes = new Int32Array(3 * 256);
  nodes = new Int32Array(Col.Stride * 256);
  /** Elements in `nodes`. */
  count = 0;
  readonly names: QName[] = [];
  readonly decoded: string[] = [];
  /** In-scope namespace bindings, shared by every element that declares none (0: the predeclared xml and xmlns). */
  readonly scopes: Scope[] = [ROOT_SCOPE];
  /** Mixed content (text after an element child): element indices and strings, in order. */
  readonly mixed: Array<Array<number | string>> = [];
  #elements: Array<XmlElement | undefined> = [];

  /** The value of the attribute whose name is in slot k. */
  valueAt(k: number): string {
    const table = this.attributes;
    const end = table[k + 2]!;
    return end < 0 ? this.decoded[table[k + 1]!]! : this.text.slice(table[k + 1]!, end);
  }

  nameAt(k: number): QName {
    return this.names[this.attributes[k]!]!;
  }

  /** The element object of row i, made on first use. */
  element(i: number): XmlElement {
    return this.#elements[i] ?? this.#make(i);
  }

  #make(i: number): XmlElement {
    const list = this.#elements;
    // Filled up to i, so that the array stays packed (a sparse one turns into a dictionary).
    while (list.length < i) list.push(undefined);
    return (list[i] = new XmlElement(this, i));
  }

  // Reading by row, for decoders that go through many elements without keeping them.

  /** First element child of row i, or -1. */
  firstChild(i: number): number {
    return this.nodes[i * Col.Stride + Col.First]!;
  }

  /** Next element sibling of row i, or -1. */
  nextSibling(i: number): number {
    return this.nodes[i * Col.Stride + Col.Next]!;
  }

  qnameOf(i: number): QName {
    return this.names[this.nodes[i * Col.Stride + Col.Name]!]!;
  }

  localNameOf(i: number): string {
    return this.qnameOf(i).local;
  }

  /** An attribute of row i by qualified name, as getAttribute. */
  attributeOf(i: number, name: string): string | null {
    const row = i * Col.Stride;
    const nodes = this.nodes;
    for (let k = nodes[row + Col.AttrSlot]!, n = nodes[row + Col.AttrCount]!; n > 0; n--, k += 3) if (this.nameAt(k).qname === name) return this.valueAt(k);
    return null;
  }

  /** The text of row i and its descendants, as the DOM's textContent. */
  textOf(i: number): string {
    const nodes = this.nodes;
    const row = i * Col.Stride;
    const end = nodes[row + Col.TextEnd]!;
    const at = nodes[row + Col.Text]!;
    if (end === Text.Mixed) {
      let out = '';
      for (const k of this.mixed[at]!) out += typeof k === 'string' ? k : this.textOf(k);
      return out;
    }
    let out = end >= 0 ? this.text.slice(at, end) : end === Text.Decoded ? this.decoded[at]! : '';
    for (let c = nodes[row + Col.First]!; c >= 0; c = nodes[c * Col.Stride + Col.Next]!) out += this.textOf(c);
    return out;
  }

  /** The text of row i written before any element child (null when there is none), as one string. */
  leadingText(i: number): string | null {
    const row = i * Col.Stride;
    const end = this.nodes[row + Col.TextEnd]!;
    const at = this.nodes[row + Col.Text]!;
    if (end === Text.Mixed) {
      const first = this.mixed[at]![0];
      return typeof first === 'string' ? first : null;
    }
    return end >= 0 ? this.text.slice(at, end) : end === Text.Decoded ? this.decoded[at]! : null;
  }

  /** Children of row i in document order: element indices and text (mixed content, or text then elements). */
  childrenOf(i: number): Array<number | string> {
    const row = i * Col.Stride;
    if (this.nodes[row + Col.TextEnd] === Text.Mixed) return this.mixed[this.nodes[row + Col.Text]!]!;
    const lead = this.leadingText(i);
    const out: Array<number | string> = lead === null ? [] : [lead];
    for (let c = this.nodes[row + Col.First]!; c >= 0; c = this.nodes[c * Col.Stride + Col.Next]!) out.push(c);
    return out;
  }
}

/** One qualified name as read, split once per document (elements and attributes share them). */
interface QName {
  readonly qname: string;
  readonly prefix: string | null;
  readonly local: string;
  /**
   * The name's UTF-16 units, for comparing it in place in the text: a name string sliced from the text is a
   * sliced or two-byte string, and charCodeAt on it in the compare loop was a quarter of the reading time.
   */
  readonly codes: readonly number[];
  /** Index in the source's `names`. */
  readonly id: number;
  /** `</name>` (spaces allowed before `>`), built on its first end tag: one native match per end tag. */
  endTag?: RegExp;
  /** Attribute lists seen on this element, as regexes (see AttributeTemplate). */
  templates?: AttributeTemplate[];
  /** `<name` followed by what may end a name in a start tag, built when the name is first guessed. */
  startTag?: RegExp;
  /**
   * The name of the start tag that came next the last time, after a start tag of this name and after an
   * end tag of it: a guess checked by one native match, which spares scanning and looking the name up.
   */
  afterStart?: QName;
  afterEnd?: QName;
}

/**
 * The attribute names of a start tag as one sticky regex over the rest of the tag in its common written form
 * (` a="v" b="v">`: one space before each, double quotes, values needing no decoding), so that a message
 * repeating the same tags reads each one's attributes with one native match instead of scanning names and
 * values character by character. A tag the regex does not match is read the general way.
 */
interface AttributeTemplate {
  readonly re: RegExp;
  readonly names: readonly QName[];
  /** No two names can be the same attribute whatever the bindings (the duplicate check can be skipped). */
  readonly distinct: boolean;
}

/** Templates per element name, and in all (each is a compiled regex: bounded against hostile inputs). */
const MAX_TEMPLATES_PER_NAME = 4;
const MAX_TEMPLATES = 256;
/** A value taken as written (#plainValue's condition), up to its closing double quote. */
const PLAIN_VALUE = '[^"<&\\x00-\\x1F\\uD800-\\uFFFF]*';
const escapeName = (name: string): string => name.replace(/[.\-]/g, '\\$&');

/**
 * An element of the light tree: a view of one row of its source's element table (XmlSource.element makes one per
 * element, the first time it is asked for). Its reading API is the subset of the DOM the decoders use
 * (firstElementChild, nextElementSibling, textContent, getAttribute, getAttributeNS, lookupNamespaceURI), with
 * DOM results (null when absent), so code written for a DOM element reads it unchanged.
 */
export class XmlElement {
  readonly name: QName;
  readonly namespaceURI: string | null;
  readonly #row: number;

  constructor(
    readonly source: XmlSource,
    /** The element's row in the source's element table. */
    readonly index: number,
  ) {
    const row = (this.#row = index * Col.Stride);
    this.name = source.names[source.nodes[row + Col.Name]!]!;
    this.namespaceURI = source.scopes[source.nodes[row + Col.Scope]!]![this.name.prefix ?? ''] || null;
  }

  get nodeType(): 1 {
    return 1;
  }

  /** Qualified name as written. */
  get nodeName(): string {
    return this.name.qname;
  }

  get prefix(): string | null {
    return this.name.prefix;
  }

  get localName(): string {
    return this.name.local;
  }

  /** Offset of the `<` of the start tag in the source text. */
  get start(): number {
    return this.source.nodes[this.#row + Col.Start]!;
  }

  /** Offset just after the end tag (or `/>`) in the source text. */
  get end(): number {
    return this.source.nodes[this.#row + Col.End]!;
  }

  /** Where its attributes start in the source's table, and how many (namespace declarations included). */
  get attributeSlot(): number {
    return this.source.nodes[this.#row + Col.AttrSlot]!;
  }

  get attributeCount(): number {
    return this.source.nodes[this.#row + Col.AttrCount]!;
  }

  get scope(): Scope {
    return this.source.scopes[this.source.nodes[this.#row + Col.Scope]!]!;
  }

  #at(col: Col): XmlElement | null {
    const i = this.source.nodes[this.#row + col]!;
    return i < 0 ? null : this.source.element(i);
  }

  get parentNode(): XmlElement | null {
    return this.#at(Col.Parent);
  }

  get parent(): XmlElement | null {
    return this.#at(Col.Parent);
  }

  get firstElementChild(): XmlElement | null {
    return this.#at(Col.First);
  }

  get nextElementSibling(): XmlElement | null {
    return this.#at(Col.Next);
  }

  get previousElementSibling(): XmlElement | null {
    return this.#at(Col.Prev);
  }

  /**
   * Text (one string: adjacent runs, CDATA sections included, are merged), or the mixed children in order.
   * A string with element children is text that came before all of them.
   */
  get content(): string | Array<XmlElement | string> | null {
    if (this.source.nodes[this.#row + Col.TextEnd] === Text.Mixed) return this.children as Array<XmlElement | string>;
    return this.source.leadingText(this.index);
  }

  /** Children in document order: elements and text (references expanded, CRLF as LF, adjacent text merged). */
  get children(): ReadonlyArray<XmlElement | string> {
    return this.source.childrenOf(this.index).map((k) => (typeof k === 'string' ? k : this.source.element(k)));
  }

  /** Attributes in document order, namespace declarations included (as parseXml's DOM has them). */
  get attributes(): readonly XmlAttribute[] {
    const out: XmlAttribute[] = [];
    for (let k = this.attributeSlot, n = this.attributeCount; n > 0; n--, k += 3) {
      const q = this.source.nameAt(k);
      out.push({ name: q.qname, localName: q.local, prefix: q.prefix, namespaceURI: this.#namespaceOf(q), value: this.source.valueAt(k) });
    }
    return out;
  }

  /** An attribute's namespace: its prefix's binding; none when unprefixed (the default namespace does not apply). */
  #namespaceOf(q: QName): string | null {
    if (q.prefix !== null) return this.scope[q.prefix]!;
    return q.qname === 'xmlns' ? XMLNS_NAMESPACE : null;
  }

  /** Concatenated text of every descendant, as the DOM's textContent. */
  get textContent(): string {
    return this.source.textOf(this.index);
  }

  getAttribute(name: string): string | null {
    return this.source.attributeOf(this.index, name);
  }

  getAttributeNS(namespace: string | null, localName: string): string | null {
    const ns = namespace || null;
    for (let k = this.attributeSlot, n = this.attributeCount; n > 0; n--, k += 3) {
      const q = this.source.nameAt(k);
      if (q.local === localName && this.#namespaceOf(q) === ns) return this.source.valueAt(k);
    }
    return null;
  }

  /** The namespace a prefix (null: the default namespace) is bound to here, as the DOM method. */
  lookupNamespaceURI(prefix: string | null): string | null {
    return this.scope[prefix ?? ''] || null;
  }

  /** 1-based line and column of the start tag's `<`. */
  position(): SourcePosition {
    return this.source.position(this.start);
  }

  /** The element's text exactly as in the source (bytes as decoded, references unexpanded). */
  sourceText(): string {
    return this.source.text.slice(this.start, this.end);
  }

  /**
   * The element's source text made a document of its own: the inherited namespace bindings its subtree uses
   * (in element and attribute names, and in xsi:type values) are declared on its start tag. Nothing else
   * changes, so the exclusive canonical form, hence an enveloped signature over it, stays the same.
   */
  standaloneXml(): string {
    const own = new Set(this.attributes.filter((a) => a.namespaceURI === XMLNS_NAMESPACE).map((a) => (a.prefix ? a.localName : '')));
    const used = new Set<string>();
    for (const el of elementsOf(this)) {
      used.add(el.prefix ?? '');
      for (const a of el.attributes) {
        if (a.prefix && a.prefix !== 'xmlns') used.add(a.prefix);
        if (a.localName === 'type' && a.namespaceURI === XSI_NAMESPACE && a.value.includes(':')) used.add(a.value.slice(0, a.value.indexOf(':')).trim());
      }
    }
    let decls = '';
    for (const prefix of used) {
      const uri = this.scope[prefix];
      if (prefix === 'xml' || own.has(prefix) || !uri) continue;
      decls += ` ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${uri.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`;
    }
    const text = this.sourceText();
    if (!decls) return text;
    const at = 1 + this.nodeName.length;
    return text.slice(0, at) + decls + text.slice(at);
  }
}

export interface ReadXmlOptions {
  /** Largest input accepted, in bytes (default 20 MiB, as parseXml). */
  maxBytes?: number;
  /** Deepest element nesting accepted (default 1,000). */
  maxDepth?: number;
  /** Namespaces whose elements are listed in `byNamespace` as they are read (saves a walk of the tree). */
  collect?: readonly string[];
}

export interface ReadXml {
  root: XmlElement;
  /** Number of bytes of the source. */
  bytes: number;
  /** The decoded text (BOM removed). */
  text: string;
  /** Prefixes declared anywhere (`xmlns:p`), in order of first declaration. */
  declaredPrefixes: string[];
  /** Elements of the namespaces asked for in `collect`, in document order. */
  byNamespace: Map<string, XmlElement[]>;
}

// --- character classes ----------------------------------------------------------------------------------

const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
/** Characters XML 1.0 forbids (§2.2 Char), lone surrogates included. */
const INVALID = '[^\\t\\n\\r\\u0020-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]';
/** What a text run needs more than a slice for: references, CR (line ends), `]]>`, invalid characters. */
const TEXT_SPECIAL = new RegExp(`[&\\r\\]]|${INVALID}`, 'gu');
/** Same for attribute values: references, `<`, whitespace to normalise, invalid characters. */
const ATTR_SPECIAL = new RegExp(`[&<\\t\\n\\r]|${INVALID}`, 'gu');
/**
 * A text run's plain part from lastIndex, without the unicode flag (surrogates included): none of what
 * TEXT_SPECIAL looks for, nor '<' (so it stops at the run's end). Reaching the run's end: nothing to do. One
 * greedy match (an unanchored search starts a match at every position: slower over megabytes of base64).
 */
const TEXT_PLAIN = /[^<&\r\]\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]*/y;
/** Superset of RAW_SPECIAL without the unicode flag: no match, nothing to do. */
const RAW_MAYBE = /[\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Same for comments, PIs and CDATA sections: CR and invalid characters. */
const RAW_SPECIAL = new RegExp(`\\r|${INVALID}`, 'gu');
const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|([^\s&<;"']*));/y;
const XML_DECL = /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>/y;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** ASCII name characters: 1 may start a name, 2 may only continue one. */
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[:A-Z_a-z]/.test(ch)) ASCII_NAME[c] = 1;
  else if (/[-.0-9]/.test(ch)) ASCII_NAME[c] = 2;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
const isXmlChar = (n: number): boolean =>
  n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);

/**
 * Reads XML bytes (or decoded text) into a light element tree. Throws {@link XmlParseError} (same codes as
 * parseXml) with a 1-based line and column.
 */
export function readXml(input: Uint8Array | string, options: ReadXmlOptions = {}): ReadXml {
  const { text, bytes } = xmlTextOf(input, options.maxBytes);
  const reader = new Reader(text, options);
  const root = reader.run();
  return { root, bytes, text, declaredPrefixes: [...reader.declared], byNamespace: reader.byNamespace };
}

class Reader {
  /**
   * A reader kept for the life of the process, with the tree it read. V8 reaches the hidden classes of readers,
   * sources, elements and names by property transitions, and a full GC drops such a class once no object has
   * it, taking the reader's optimised code and type feedback along: a big message read after a full GC ran
   * mostly unoptimised (6.7 MB FindDocuments response, gc() before each read: decodeMessage ~1.7x slower).
   * A static field, so that it is reachable (an unused module-level constant may not be).
   */
  static readonly kept: Reader = Reader.#keep();

  static #keep(): Reader {
    // Mixed, decoded and plain text, a prefixed and an unprefixed name: every field of every class set once.
    const reader = new Reader('<a:b xmlns:a="urn:x" c="d">e<f g="h"/><f g="&amp;">&lt;</f>&amp;</a:b>', {});
    for (const el of elementsOf(reader.run())) void el.textContent;
    return reader;
  }

  readonly source: XmlSource;
  readonly #declared = new Set<string>();
  readonly byNamespace = new Map<string, XmlElement[]>();
  readonly #text: string;
  readonly #maxDepth: number;
  /**
   * Each distinct qualified name, split and allocated once (a big message repeats a few dozen names), found
   * by a hash of its characters then compared in place: no string is made for a known name. A bucket that
   * fills up (names made to collide) sends its names to a map by string, so lookups stay constant-time.
   */
  readonly #names = new Map<number, QName[]>();
  readonly #crowded = new Map<string, QName>();
  /** Whitespace runs between elements, one string each (indentation repeats throughout a message). */
  readonly #blanks = new Map<string, string>();
  /** Rows of the open elements, and of the last child of each (-1: none yet). */
  readonly #stack: number[] = [];
  readonly #lastChild: number[] = [];
  /** Rows of the elements of the namespaces asked for in `collect` (made elements once the tree is read). */
  readonly #collected = new Map<string, number[]>();
  // The attributes of the tag being read, reused from tag to tag (#element consumes them first).
  readonly #attrNames: QName[] = [];
  /** A decoded value, or the start offset of a value written as is (its end in #attrEnds, else -1). */
  readonly #attrValues: Array<string | number> = [];
  readonly #attrEnds: number[] = [];
  readonly #attrOffsets: number[] = [];
  #attrCount = 0;
  #root = -1;

  get declared(): ReadonlySet<string> {
    return this.#declared;
  }

  constructor(text: string, options: ReadXmlOptions) {
    this.#text = text;
    this.source = new XmlSource(text);
    this.#maxDepth = options.maxDepth ?? DEFAULT_MAX_XML_DEPTH;
    for (const ns of options.collect ?? []) this.#collected.set(ns, []);
  }

  fail(offset: number, message: string): never {
    const { line, column } = this.source.position(Math.min(offset, this.#text.length));
    throw new XmlParseError('XML_NOT_WELL_FORMED', message, line, column);
  }

  run(): XmlElement {
    const text = this.#text;
    const len = text.length;
    let pos = 0;
    if (text.startsWith('<?xml') && (isSpace(text.charCodeAt(5)) || text.charCodeAt(5) === 0x3f)) {
      XML_DECL.lastIndex = 0;
      if (!XML_DECL.test(text)) this.fail(0, 'malformed XML declaration (version, then encoding and standalone, quoted)');
      pos = XML_DECL.lastIndex;
    }
    while (pos < len) {
      const lt = text.indexOf('<', pos);
      const stop = lt < 0 ? len : lt;
      if (stop > pos) this.#chars(pos, stop);
      if (lt < 0) break;
      const c = text.charCodeAt(lt + 1);
      if (c === 0x2f /* / */) pos = this.#endTag(lt);
      else if (c === 0x21 /* ! */) pos = this.#bang(lt);
      else if (c === 0x3f /* ? */) pos = this.#pi(lt);
      else pos = this.#startTag(lt);
    }
    const source = this.source;
    const stack = this.#stack;
    if (stack.length) {
      const open = stack[stack.length - 1]!;
      const at = source.position(source.nodes[open * Col.Stride + Col.Start]!);
      this.fail(len, `unclosed tag: ${source.qnameOf(open).qname} (opened at line ${at.line}, column ${at.column})`);
    }
    if (this.#root < 0) this.fail(len, 'no root element');
    for (const [ns, rows] of this.#collected) this.byNamespace.set(ns, rows.map((i) => source.element(i)));
    return source.element(this.#root);
  }

  /** Character data between markup. */
  #chars(start: number, end: number): void {
    const stack = this.#stack;
    if (!stack.length) {
      for (let i = start; i < end; i++) {
        if (!isSpace(this.#text.charCodeAt(i))) this.fail(i, this.#root >= 0 ? 'content after the root element' : 'text before the root element');
      }
      return;
    }
    const top = stack[stack.length - 1]!;
    // A first look without the unicode flag (much faster over megabytes of base64); a surrogate, even in a valid
    // pair, sends the run on to the exact check.
    TEXT_PLAIN.lastIndex = start;
    TEXT_PLAIN.test(this.#text);
    const decoded = TEXT_PLAIN.lastIndex === end ? undefined : this.#value(start, end, TEXT_SPECIAL, false);
    if (decoded === undefined) this.#appendRun(top, start, end);
    else this.#appendText(top, decoded);
  }

  #blank(start: number, end: number): boolean {
    const text = this.#text;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x09) return false; // CR goes the normalising way
    }
    return true;
  }

  #internBlank(start: number, end: number): string {
    const run = this.#text.slice(start, end);
    const known = this.#blanks.get(run);
    if (known !== undefined) return known;
    this.#blanks.set(run, run);
    return run;
  }

  /** A run of text written as is: kept as offsets while it is an element's only text, else as a string. */
  #appendRun(parent: number, start: number, end: number): void {
    const nodes = this.source.nodes;
    const row = parent * Col.Stride;
    if (nodes[row + Col.TextEnd] === Text.None && nodes[row + Col.First]! < 0) {
      nodes[row + Col.Text] = start;
      nodes[row + Col.TextEnd] = end;
    } else this.#appendText(parent, end - start <= 64 && this.#blank(start, end) ? this.#internBlank(start, end) : this.#text.slice(start, end));
  }

  /** Text goes into the element's one string while it has no element child, else into its mixed content. */
  #appendText(parent: number, t: string): void {
    const source = this.source;
    const nodes = source.nodes;
    const row = parent * Col.Stride;
    const kind = nodes[row + Col.TextEnd]!;
    if (kind === Text.Mixed) {
      const mixed = source.mixed[nodes[row + Col.Text]!]!;
      const last = mixed.length - 1;
      if (typeof mixed[last] === 'string') mixed[last] += t;
      else mixed.push(t);
      return;
    }
    const before = source.leadingText(parent);
    if (nodes[row + Col.First]! < 0) {
      const merged = before === null ? t : before + t;
      if (kind === Text.Decoded) source.decoded[nodes[row + Col.Text]!] = merged;
      else nodes[row + Col.Text] = source.decoded.push(merged) - 1;
      nodes[row + Col.TextEnd] = Text.Decoded;
      return;
    }
    const mixed: Array<number | string> = before === null ? [] : [before];
    for (let c = nodes[row + Col.First]!; c >= 0; c = nodes[c * Col.Stride + Col.Next]!) mixed.push(c);
    mixed.push(t);
    nodes[row + Col.Text] = source.mixed.push(mixed) - 1;
    nodes[row + Col.TextEnd] = Text.Mixed;
  }

  /**
   * The value of a run of text or of an attribute: undefined when it is taken as written (one regex over the
   * run), else references expanded and line ends / attribute whitespace normalised.
   */
  #value(start: number, end: number, special: RegExp, attribute: boolean): string | undefined {
    const run = this.#text.slice(start, end);
    special.lastIndex = 0;
    let m = special.exec(run);
    if (!m) return undefined;
    // Pieces joined once: one flat string kept in the tree, not a rope of a dozen objects.
    const out: string[] = [];
    let from = 0;
    while (m) {
      const i = m.index;
      out.push(run.slice(from, i));
      const c = run.charCodeAt(i);
      from = i + 1;
      if (c === 0x26 /* & */) {
        REFERENCE.lastIndex = start + i;
        const r = REFERENCE.exec(this.#text);
        if (!r) this.fail(start + i, "'&' must start a reference (&name; or &#number;); write &amp; for the character");
        out.push(this.#reference(start + i, r));
        from = REFERENCE.lastIndex - start;
      } else if (c === 0x0d) {
        out.push(attribute ? ' ' : '\n');
        if (run.charCodeAt(i + 1) === 0x0a) from++;
      } else if (c === 0x09 || c === 0x0a) {
        out.push(' ');
      } else if (c === 0x5d /* ] */) {
        if (run.startsWith(']]>', i)) this.fail(start + i, "']]>' is not allowed in text");
        out.push(']');
      } else if (c === 0x3c) {
        this.fail(start + i, "'<' is not allowed in an attribute value (write &lt;)");
      } else {
        this.fail(start + i, `disallowed character U+${(run.codePointAt(i) ?? c).toString(16).toUpperCase().padStart(4, '0')}`);
      }
      special.lastIndex = from;
      m = special.exec(run);
    }
    out.push(run.slice(from));
    return out.join('');
  }

  #reference(at: number, r: RegExpExecArray): string {
    const [, hex, dec, name] = r;
    if (name !== undefined) {
      const v = PREDEFINED[name];
      if (v === undefined) this.fail(at, name ? `undefined entity &${name}; (no DTD is read: only &lt; &gt; &amp; &apos; &quot; and character references)` : 'empty entity reference');
      return v;
    }
    const n = hex !== undefined ? parseInt(hex, 16) : parseInt(dec!, 10);
    if (!isXmlChar(n)) this.fail(at, `character reference ${r[0]} is not an XML character`);
    return String.fromCodePoint(n);
  }

  /** Whether the name is written at offset p (a loop: startsWith with a position is slow on a big string). */
  #at(q: QName, p: number): boolean {
    const text = this.#text;
    const codes = q.codes;
    for (let i = 0; i < codes.length; i++) if (text.charCodeAt(p + i) !== codes[i]) return false;
    return true;
  }

  /** Whether the value between start and end can be taken as written (else #value checks and decodes it). */
  #plainValue(start: number, end: number): boolean {
    const text = this.#text;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c === 0x26 || c === 0x3c || c >= 0xd800) return false;
    }
    return true;
  }

  /** End of the name starting at p, or -1 when none starts there. */
  #nameEnd(p: number): number {
    const text = this.#text;
    const first = text.charCodeAt(p);
    if (first < 128) {
      if (ASCII_NAME[first] !== 1) return -1;
      // The hash #qname looks names up by, computed on the way (one pass over an ASCII name).
      let h = first;
      let i = p + 1;
      for (;;) {
        const c = text.charCodeAt(i);
        if (c < 128 && ASCII_NAME[c]) {
          h = (Math.imul(h, 31) + c) | 0;
          i++;
        } else if (c >= 128) break;
        else {
          this.#hash = h;
          return i;
        }
      }
    }
    NAME.lastIndex = p;
    if (!NAME.test(text)) return -1;
    let h = 0;
    for (let i = p; i < NAME.lastIndex; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
    this.#hash = h;
    return NAME.lastIndex;
  }

  /** Hash of the name #nameEnd last read. */
  #hash = 0;

  /** The name #nameEnd just read (between start and end), split at its colon (checked once per distinct name). */
  #qname(start: number, end: number): QName {
    const text = this.#text;
    const len = end - start;
    const key = this.#hash & 0x3fffffff;
    let known = this.#names.get(key);
    let qname: string | undefined;
    if (known) {
      for (const q of known) if (q.codes.length === len && this.#at(q, start)) return q;
      if (known.length >= 8) {
        qname = text.slice(start, end);
        const crowded = this.#crowded.get(qname);
        if (crowded) return crowded;
      }
    } else this.#names.set(key, (known = []));
    qname ??= text.slice(start, end);
    let name: QName;
    const codes: number[] = [];
    for (let i = start; i < end; i++) codes.push(text.charCodeAt(i));
    const colon = qname.indexOf(':');
    // Every field set here, so that all names share one shape (the lazily set ones read fast).
    const lazy = { id: this.source.names.length, endTag: undefined, templates: undefined, startTag: undefined, afterStart: undefined, afterEnd: undefined };
    if (colon < 0) name = { qname, prefix: null, local: qname, codes, ...lazy };
    else {
      const prefix = qname.slice(0, colon);
      const local = qname.slice(colon + 1);
      if (!prefix || !local || local.includes(':')) this.fail(start, `malformed name: ${qname}`);
      name = { qname, prefix, local, codes, ...lazy };
    }
    this.source.names.push(name);
    if (known.length < 8) known.push(name);
    else this.#crowded.set(qname, name);
    return name;
  }

  #skipSpace(p: number): number {
    const text = this.#text;
    while (isSpace(text.charCodeAt(p))) p++;
    return p;
  }

  #startTag(lt: number): number {
    const text = this.#text;
    const prev = this.#prev;
    const guess = prev && (this.#prevEnd ? prev.afterEnd : prev.afterStart);
    let qname: QName | undefined;
    let nameEnd = -1;
    if (guess) {
      const re = (guess.startTag ??= new RegExp(`<${escapeName(guess.qname)}(?=[ \\t\\n\\r/>])`, 'y'));
      re.lastIndex = lt;
      if (re.test(text)) {
        qname = guess;
        nameEnd = re.lastIndex;
      }
    }
    if (!qname) {
      nameEnd = this.#nameEnd(lt + 1);
      if (nameEnd < 0) this.fail(lt + 1, lt + 1 >= text.length ? 'unexpected end after "<"' : "disallowed character in tag name (write &lt; for a '<' in text)");
    }
    if (this.#root >= 0 && !this.#stack.length) this.fail(lt, 'a document has one root element: content after it');
    if (this.#stack.length >= this.#maxDepth) this.fail(lt, `elements nested deeper than ${this.#maxDepth} levels (the reader's limit)`);
    qname ??= this.#qname(lt + 1, nameEnd);
    if (prev) {
      if (this.#prevEnd) prev.afterEnd = qname;
      else prev.afterStart = qname;
    }
    const names = this.#attrNames;
    const values = this.#attrValues;
    const ends = this.#attrEnds;
    const offsets = this.#attrOffsets;
    let n = 0;
    let p = nameEnd;
    let selfClosing = false;
    const c0 = text.charCodeAt(p);
    const templates = c0 === 0x20 ? qname.templates : undefined;
    let template: AttributeTemplate | undefined;
    if (templates) {
      for (const t of templates) {
        t.re.lastIndex = p;
        if (t.re.test(text)) {
          template = t;
          break;
        }
      }
    }
    if (template) {
      // Matched: every value is plain and double-quoted, one space before each name.
      const tnames = template.names;
      for (; n < tnames.length; n++) {
        const name = tnames[n]!;
        names[n] = name;
        offsets[n] = p + 1;
        const start = p + name.codes.length + 3;
        const close = text.indexOf('"', start);
        values[n] = start;
        ends[n] = close;
        p = close + 1;
      }
      p = template.re.lastIndex;
      selfClosing = text.charCodeAt(p - 2) === 0x2f;
    } else for (;;) {
      const ws = p;
      p = this.#skipSpace(p);
      const c = text.charCodeAt(p);
      if (c === 0x3e /* > */) {
        p++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (text.charCodeAt(p + 1) !== 0x3e) this.fail(p, "'/' in a start tag not followed by '>'");
        p += 2;
        selfClosing = true;
        break;
      }
      if (p >= text.length) this.fail(p, `unexpected end inside the start tag of ${qname.qname}`);
      if (p === ws) this.fail(p, 'no whitespace between attributes');
      const end = this.#nameEnd(p);
      if (end < 0) this.fail(p, 'disallowed character in attribute name');
      names[n] = this.#qname(p, end);
      offsets[n] = p;
      p = this.#skipSpace(end);
      if (text.charCodeAt(p) !== 0x3d /* = */) this.fail(p, 'attribute without value');
      p = this.#skipSpace(p + 1);
      const q = text.charCodeAt(p);
      if (q !== 0x22 && q !== 0x27) this.fail(p, 'unquoted attribute value');
      const close = text.indexOf(q === 0x22 ? '"' : "'", p + 1);
      if (close < 0) this.fail(p, 'unclosed attribute value');
      // Most values need no work (no reference, control character, '<' or surrogate): kept as offsets.
      const decoded = this.#plainValue(p + 1, close) ? undefined : this.#value(p + 1, close, ATTR_SPECIAL, true);
      if (decoded === undefined) {
        values[n] = p + 1;
        ends[n++] = close;
      } else {
        values[n] = decoded;
        ends[n++] = -1;
      }
      p = close + 1;
    }
    this.#attrCount = n;
    if (!template && n > 0 && c0 === 0x20) this.#learn(qname, n);
    const el = this.#element(lt, qname, template === undefined || !template.distinct);
    this.#prev = qname;
    this.#prevEnd = selfClosing;
    if (selfClosing) this.source.nodes[el * Col.Stride + Col.End] = p;
    else {
      this.#stack.push(el);
      this.#lastChild.push(-1);
    }
    return p;
  }

  #templateCount = 0;
  /** Slots of the source's attribute table in use. */
  #tableLength = 0;
  /** The name of the last tag read, and whether that tag ended its element (see QName.afterStart). */
  #prev: QName | undefined;
  #prevEnd = false;

  /** Keeps the attribute names just read (by the general path) as a template of the element's tags. */
  #learn(qname: QName, n: number): void {
    const list = (qname.templates ??= []);
    if (list.length >= MAX_TEMPLATES_PER_NAME || this.#templateCount >= MAX_TEMPLATES) return;
    const names = this.#attrNames.slice(0, n);
    let source = '';
    for (const name of names) source += ` ${escapeName(name.qname)}="${PLAIN_VALUE}"`;
    const qnames = new Set(names.map((a) => a.qname));
    const prefixedLocals = names.filter((a) => a.prefix !== null).map((a) => a.local);
    const distinct = qnames.size === n && new Set(prefixedLocals).size === prefixedLocals.length;
    list.push({ re: new RegExp(`${source}[ \\t\\n\\r]*\\/?>`, 'y'), names, distinct });
    this.#templateCount++;
  }

  /** Resolves namespaces, checks attributes, adds the element's row to the tree; returns the row. */
  #element(lt: number, qname: QName, checkDuplicates = true): number {
    const names = this.#attrNames;
    const values = this.#attrValues;
    const ends = this.#attrEnds;
    const offsets = this.#attrOffsets;
    const n = this.#attrCount;
    const source = this.source;
    const stack = this.#stack;
    const parent = stack.length ? stack[stack.length - 1]! : -1;
    const parentScopeId = parent < 0 ? 0 : source.nodes[parent * Col.Stride + Col.Scope]!;
    const parentScope = source.scopes[parentScopeId]!;
    let scope = parentScope;
    let scopeId = parentScopeId;
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      if (name.prefix !== 'xmlns' && name.qname !== 'xmlns') continue;
      const prefix = name.prefix === 'xmlns' ? name.local : '';
      const v = values[i]!;
      const uri = (typeof v === 'string' ? v : this.#text.slice(v, ends[i])).trim(); // as saxes: a namespace name is read trimmed
      this.#checkBinding(prefix, uri, offsets[i]!);
      if (scope === parentScope) {
        scope = Object.assign(Object.create(null) as Record<string, string>, parentScope);
        scopeId = source.scopes.push(scope) - 1;
      }
      (scope as Record<string, string>)[prefix] = uri;
      if (prefix) this.#declared.add(prefix);
    }
    const prefix = qname.prefix;
    if (prefix === 'xmlns') this.fail(lt + 1, 'an element name may not have the prefix xmlns');
    const uri = scope[prefix ?? ''];
    if (prefix !== null && !uri) this.fail(lt + 1, `unbound namespace prefix "${prefix}" on element ${qname.qname}`);
    const slot = this.#tableLength;
    let table = source.attributes;
    if (slot + 3 * n > table.length) {
      const grown = new Int32Array(Math.max(2 * table.length, slot + 3 * n));
      grown.set(table);
      source.attributes = table = grown;
    }
    for (let i = 0, k = slot; i < n; i++) {
      const name = names[i]!;
      if (name.prefix !== null && !scope[name.prefix]) this.fail(offsets[i]!, `unbound namespace prefix "${name.prefix}" on attribute ${name.qname}`);
      table[k++] = name.id;
      const v = values[i]!;
      if (typeof v === 'string') {
        table[k++] = source.decoded.length;
        source.decoded.push(v);
        table[k++] = -1;
      } else {
        table[k++] = v;
        table[k++] = ends[i]!;
      }
    }
    this.#tableLength = slot + 3 * n;
    if (n > 1 && checkDuplicates) this.#checkDuplicates(n, scope);
    const el = source.count++;
    let nodes = source.nodes;
    if (source.count * Col.Stride > nodes.length) {
      const grown = new Int32Array(2 * nodes.length);
      grown.set(nodes);
      source.nodes = nodes = grown;
    }
    const row = el * Col.Stride;
    nodes[row + Col.Start] = lt;
    nodes[row + Col.End] = 0;
    nodes[row + Col.Name] = qname.id;
    nodes[row + Col.Parent] = parent;
    nodes[row + Col.First] = -1;
    nodes[row + Col.Next] = -1;
    nodes[row + Col.Prev] = -1;
    nodes[row + Col.AttrSlot] = slot;
    nodes[row + Col.AttrCount] = n;
    nodes[row + Col.Scope] = scopeId;
    nodes[row + Col.Text] = 0;
    nodes[row + Col.TextEnd] = Text.None;
    if (parent >= 0) {
      const up = parent * Col.Stride;
      if (nodes[up + Col.TextEnd] === Text.Mixed) source.mixed[nodes[up + Col.Text]!]!.push(el);
      const depth = this.#lastChild.length - 1;
      const last = this.#lastChild[depth]!;
      if (last >= 0) {
        nodes[last * Col.Stride + Col.Next] = el;
        nodes[row + Col.Prev] = last;
      } else nodes[up + Col.First] = el;
      this.#lastChild[depth] = el;
    } else this.#root = el;
    if (uri && this.#collected.size) this.#collected.get(uri)?.push(el);
    return el;
  }

  /** The reserved prefixes and namespaces of Namespaces in XML 1.0 (§3), as saxes checks them. */
  #checkBinding(prefix: string, uri: string, at: number): void {
    if (prefix === 'xml' && uri !== XML_NAMESPACE) this.fail(at, `the prefix xml must be bound to ${XML_NAMESPACE}`);
    if (prefix === 'xmlns') this.fail(at, 'the prefix xmlns may not be declared');
    if (uri === XMLNS_NAMESPACE) this.fail(at, `no prefix may be bound to ${XMLNS_NAMESPACE}`);
    if (uri === XML_NAMESPACE && prefix !== 'xml') this.fail(at, `only the prefix xml may be bound to ${XML_NAMESPACE}`);
    if (prefix && !uri) this.fail(at, `a prefix cannot be undeclared in XML 1.0 (xmlns:${prefix}="")`);
  }

  /** Two attributes of the tag with the same name, or the same namespace and local name under two prefixes. */
  #checkDuplicates(n: number, scope: Scope): void {
    const names = this.#attrNames;
    const same = (a: QName, b: QName) => (a.prefix === null ? b.prefix === null && a.qname === b.qname : b.prefix !== null && a.local === b.local && scope[a.prefix] === scope[b.prefix]);
    if (n <= 8) {
      for (let i = 1; i < n; i++) {
        for (let j = 0; j < i; j++) if (same(names[i]!, names[j]!)) this.fail(this.#attrOffsets[i]!, `duplicate attribute: ${names[i]!.qname}`);
      }
      return;
    }
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const a = names[i]!;
      const k = a.prefix === null ? a.qname : `{${scope[a.prefix]}}${a.local}`;
      if (seen.has(k)) this.fail(this.#attrOffsets[i]!, `duplicate attribute: ${a.qname}`);
      seen.add(k);
    }
  }

  #endTag(lt: number): number {
    const text = this.#text;
    const source = this.source;
    const stack = this.#stack;
    const open = stack.length ? stack[stack.length - 1]! : -1;
    const name = open >= 0 ? source.qnameOf(open) : undefined;
    if (name) {
      // The expected end tag, one native match: no scan, no string.
      const re = (name.endTag ??= new RegExp(`</${escapeName(name.qname)}[ \\t\\n\\r]*>`, 'y'));
      re.lastIndex = lt;
      if (re.test(text)) {
        stack.pop();
        this.#lastChild.pop();
        this.#prev = name;
        this.#prevEnd = true;
        return (source.nodes[open * Col.Stride + Col.End] = re.lastIndex);
      }
    }
    // The expected name compared in place first: no scan, no string for an end tag that matches.
    const expected = name ? lt + 2 + name.qname.length : -1;
    const after = text.charCodeAt(expected);
    const nameEnd = name && after < 128 && !ASCII_NAME[after] && this.#at(name, lt + 2) ? expected : this.#nameEnd(lt + 2);
    if (nameEnd < 0) this.fail(lt + 2, 'disallowed character in closing tag');
    const p = this.#skipSpace(nameEnd);
    if (text.charCodeAt(p) !== 0x3e) this.fail(p, p >= text.length ? 'unexpected end inside a closing tag' : 'disallowed character in closing tag');
    // Compared in place: no string is made for the name of an end tag that matches.
    if (!name || nameEnd - lt - 2 !== name.qname.length || !this.#at(name, lt + 2)) {
      const written = text.slice(lt + 2, nameEnd);
      if (!name) this.fail(lt, `closing tag </${written}> without a start tag`);
      const at = source.position(source.nodes[open * Col.Stride + Col.Start]!);
      this.fail(lt, `closing tag </${written}> does not match <${name.qname}> (line ${at.line}, column ${at.column})`);
    }
    stack.pop();
    this.#lastChild.pop();
    this.#prev = name;
    this.#prevEnd = true;
    source.nodes[open * Col.Stride + Col.End] = p + 1;
    return p + 1;
  }

  /** `<!--`, `<![CDATA[`, `<!DOCTYPE`. */
  #bang(lt: number): number {
    const text = this.#text;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('--', lt + 4);
      if (close < 0) this.fail(lt, 'unclosed comment');
      if (text.charCodeAt(close + 2) !== 0x3e) this.fail(close, "'--' is not allowed inside a comment (malformed comment)");
      this.#raw(lt + 4, close);
      return close + 3;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const stack = this.#stack;
      if (!stack.length) this.fail(lt, 'a CDATA section outside the root element');
      const close = text.indexOf(']]>', lt + 9);
      if (close < 0) this.fail(lt, 'unclosed CDATA section');
      this.#appendText(stack[stack.length - 1]!, this.#raw(lt + 9, close));
      return close + 3;
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      // As parseXml: in the prolog it is the DOCTYPE refusal; anywhere else it is not even well-formed.
      const { line, column } = this.source.position(lt);
      if (this.#root >= 0) this.fail(lt, 'a DOCTYPE declaration is only allowed before the root element (and never accepted here)');
      throw new XmlParseError('XML_DOCTYPE', 'a DOCTYPE declaration is not allowed (DTDs and entities are never processed: CDA documents have none)', line, column);
    }
    return this.fail(lt, "'<!' starts neither a comment, a CDATA section nor a DOCTYPE");
  }

  /** Content of a comment, PI or CDATA section: line ends normalised, characters checked. */
  #raw(start: number, end: number): string {
    const run = this.#text.slice(start, end);
    if (!RAW_MAYBE.test(run)) return run;
    RAW_SPECIAL.lastIndex = 0;
    const m = RAW_SPECIAL.exec(run);
    if (!m) return run;
    const bad = new RegExp(INVALID, 'u').exec(run);
    if (bad) this.fail(start + bad.index, `disallowed character U+${(run.codePointAt(bad.index) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
    return run.replace(/\r\n?/g, '\n');
  }

  #pi(lt: number): number {
    const text = this.#text;
    const nameEnd = this.#nameEnd(lt + 2);
    if (nameEnd < 0) this.fail(lt + 2, 'processing instruction without a target');
    const target = text.slice(lt + 2, nameEnd);
    if (target.toLowerCase() === 'xml') this.fail(lt, 'the XML declaration must be at the very start of the document');
    const close = text.indexOf('?>', nameEnd);
    if (close < 0) this.fail(lt, 'unclosed processing instruction');
    if (close > nameEnd && !isSpace(text.charCodeAt(nameEnd))) this.fail(nameEnd, 'disallowed character in processing instruction target');
    this.#raw(nameEnd, close);
    return close + 2;
  }
}

/** Every element below (and including) root, depth first, in document order. */
export function* elementsOf(root: XmlElement): Generator<XmlElement> {
  yield root;
  for (let c = root.firstElementChild; c; c = c.nextElementSibling) yield* elementsOf(c);
}
