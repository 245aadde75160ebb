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

/** The text an element tree was read from, with its line table (built on the first position asked). */
export class XmlSource extends LineIndex {}

/**
 * An element of the light tree. Its reading API is the subset of the DOM the decoders use (firstElementChild,
 * nextElementSibling, textContent, getAttribute, getAttributeNS, lookupNamespaceURI), with DOM results (null
 * when absent), so code written for a DOM element reads it unchanged.
 */
export class XmlElement {
  /** Children in document order: elements and text (references expanded, CRLF as LF; CDATA as text). */
  readonly children: Array<XmlElement | string> = [];
  firstElementChild: XmlElement | null = null;
  nextElementSibling: XmlElement | null = null;
  previousElementSibling: XmlElement | null = null;
  /** Offset just after the end tag (or `/>`) in the source text. */
  end = 0;

  constructor(
    readonly source: XmlSource,
    /** Offset of the `<` of the start tag in the source text. */
    readonly start: number,
    /** Qualified name as written. */
    readonly nodeName: string,
    readonly prefix: string | null,
    readonly localName: string,
    readonly namespaceURI: string | null,
    /** Attributes in document order, namespace declarations included (as parseXml's DOM has them). */
    readonly attributes: readonly XmlAttribute[],
    readonly scope: Scope,
    readonly parentNode: XmlElement | null,
  ) {}

  get nodeType(): 1 {
    return 1;
  }

  get parent(): XmlElement | null {
    return this.parentNode;
  }

  /** Concatenated text of every descendant, as the DOM's textContent. */
  get textContent(): string {
    const c = this.children;
    if (c.length === 1 && typeof c[0] === 'string') return c[0];
    let out = '';
    for (const k of c) out += typeof k === 'string' ? k : k.textContent;
    return out;
  }

  getAttribute(name: string): string | null {
    for (const a of this.attributes) if (a.name === name) return a.value;
    return null;
  }

  getAttributeNS(namespace: string | null, localName: string): string | null {
    const ns = namespace || null;
    for (const a of this.attributes) if (a.localName === localName && a.namespaceURI === ns) return a.value;
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
   * The element's source text made a document of its own: the namespace bindings it inherits are declared
   * on its start tag (prefixes used in QName values such as xsi:type need them too). Nothing else changes,
   * so an enveloped signature over it can still be checked.
   */
  standaloneXml(): string {
    const own = new Set(this.attributes.filter((a) => a.namespaceURI === XMLNS_NAMESPACE).map((a) => (a.prefix ? a.localName : '')));
    let decls = '';
    for (const prefix in this.scope) {
      if (prefix === 'xml' || prefix === 'xmlns' || own.has(prefix)) continue;
      const uri = this.scope[prefix]!;
      if (prefix === '' && uri === '') continue;
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
  readonly source: XmlSource;
  readonly #declared = new Set<string>();
  readonly byNamespace = new Map<string, XmlElement[]>();
  readonly #text: string;
  readonly #maxDepth: number;
  /** Qualified name → [prefix, local name], so that each distinct name is split and allocated once. */
  readonly #names = new Map<string, readonly [string | null, string]>();
  readonly #stack: XmlElement[] = [];
  readonly #lastChild: Array<XmlElement | null> = [];
  readonly #attrNames: string[] = [];
  readonly #attrValues: string[] = [];
  readonly #attrOffsets: number[] = [];
  #root: XmlElement | undefined;

  get declared(): ReadonlySet<string> {
    return this.#declared;
  }

  constructor(text: string, options: ReadXmlOptions) {
    this.#text = text;
    this.source = new XmlSource(text);
    this.#maxDepth = options.maxDepth ?? DEFAULT_MAX_XML_DEPTH;
    for (const ns of options.collect ?? []) this.byNamespace.set(ns, []);
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
    const open = this.#stack[this.#stack.length - 1];
    if (open) {
      const at = open.position();
      this.fail(len, `unclosed tag: ${open.nodeName} (opened at line ${at.line}, column ${at.column})`);
    }
    if (!this.#root) this.fail(len, 'no root element');
    return this.#root;
  }

  /** Character data between markup. */
  #chars(start: number, end: number): void {
    const top = this.#stack[this.#stack.length - 1];
    if (!top) {
      for (let i = start; i < end; i++) {
        if (!isSpace(this.#text.charCodeAt(i))) this.fail(i, this.#root ? 'content after the root element' : 'text before the root element');
      }
      return;
    }
    top.children.push(this.#value(start, end, TEXT_SPECIAL, false));
  }

  /**
   * The value of a run of text or of an attribute: a slice when nothing needs doing (the common case, one
   * regex over the run), else references expanded and line ends / attribute whitespace normalised.
   */
  #value(start: number, end: number, special: RegExp, attribute: boolean): string {
    const run = this.#text.slice(start, end);
    special.lastIndex = 0;
    let m = special.exec(run);
    if (!m) return run;
    let out = '';
    let from = 0;
    while (m) {
      const i = m.index;
      out += run.slice(from, i);
      const c = run.charCodeAt(i);
      from = i + 1;
      if (c === 0x26 /* & */) {
        REFERENCE.lastIndex = start + i;
        const r = REFERENCE.exec(this.#text);
        if (!r) this.fail(start + i, "'&' must start a reference (&name; or &#number;); write &amp; for the character");
        out += this.#reference(start + i, r);
        from = REFERENCE.lastIndex - start;
      } else if (c === 0x0d) {
        out += attribute ? ' ' : '\n';
        if (run.charCodeAt(i + 1) === 0x0a) from++;
      } else if (c === 0x09 || c === 0x0a) {
        out += ' ';
      } else if (c === 0x5d /* ] */) {
        if (run.startsWith(']]>', i)) this.fail(start + i, "']]>' is not allowed in text");
        out += ']';
      } else if (c === 0x3c) {
        this.fail(start + i, "'<' is not allowed in an attribute value (write &lt;)");
      } else {
        this.fail(start + i, `disallowed character U+${(run.codePointAt(i) ?? c).toString(16).toUpperCase().padStart(4, '0')}`);
      }
      special.lastIndex = from;
      m = special.exec(run);
    }
    return out + run.slice(from);
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

  /** End of the name starting at p, or -1 when none starts there. */
  #nameEnd(p: number): number {
    const text = this.#text;
    const first = text.charCodeAt(p);
    if (first < 128) {
      if (ASCII_NAME[first] !== 1) return -1;
      let i = p + 1;
      for (;;) {
        const c = text.charCodeAt(i);
        if (c < 128 && ASCII_NAME[c]) i++;
        else if (c >= 128) break;
        else return i;
      }
    }
    NAME.lastIndex = p;
    return NAME.test(text) ? NAME.lastIndex : -1;
  }

  #split(qname: string, at: number): readonly [string | null, string] {
    let parts = this.#names.get(qname);
    if (parts) return parts;
    const colon = qname.indexOf(':');
    if (colon < 0) parts = [null, qname];
    else {
      const prefix = qname.slice(0, colon);
      const local = qname.slice(colon + 1);
      if (!prefix || !local || local.includes(':')) this.fail(at, `malformed name: ${qname}`);
      parts = [prefix, local];
    }
    this.#names.set(qname, parts);
    return parts;
  }

  #skipSpace(p: number): number {
    const text = this.#text;
    while (isSpace(text.charCodeAt(p))) p++;
    return p;
  }

  #startTag(lt: number): number {
    const text = this.#text;
    const nameEnd = this.#nameEnd(lt + 1);
    if (nameEnd < 0) this.fail(lt + 1, lt + 1 >= text.length ? 'unexpected end after "<"' : "disallowed character in tag name (write &lt; for a '<' in text)");
    const qname = text.slice(lt + 1, nameEnd);
    if (this.#root && !this.#stack.length) this.fail(lt, 'a document has one root element: content after it');
    if (this.#stack.length >= this.#maxDepth) this.fail(lt, `elements nested deeper than ${this.#maxDepth} levels (the reader's limit)`);
    // Reused from tag to tag: #element consumes them before the next tag is read.
    const names = this.#attrNames;
    const values = this.#attrValues;
    const offsets = this.#attrOffsets;
    names.length = values.length = offsets.length = 0;
    let p = nameEnd;
    let selfClosing = false;
    for (;;) {
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
      if (p >= text.length) this.fail(p, `unexpected end inside the start tag of ${qname}`);
      if (p === ws) this.fail(p, 'no whitespace between attributes');
      const end = this.#nameEnd(p);
      if (end < 0) this.fail(p, 'disallowed character in attribute name');
      names.push(text.slice(p, end));
      offsets.push(p);
      p = this.#skipSpace(end);
      if (text.charCodeAt(p) !== 0x3d /* = */) this.fail(p, 'attribute without value');
      p = this.#skipSpace(p + 1);
      const q = text.charCodeAt(p);
      if (q !== 0x22 && q !== 0x27) this.fail(p, 'unquoted attribute value');
      const close = text.indexOf(q === 0x22 ? '"' : "'", p + 1);
      if (close < 0) this.fail(p, 'unclosed attribute value');
      values.push(this.#value(p + 1, close, ATTR_SPECIAL, true));
      p = close + 1;
    }
    const el = this.#element(lt, qname, names, values, offsets);
    if (selfClosing) el.end = p;
    else {
      this.#stack.push(el);
      this.#lastChild.push(null);
    }
    return p;
  }

  /** Resolves namespaces, checks attributes, links the element into the tree. */
  #element(lt: number, qname: string, names: string[], values: string[], offsets: number[]): XmlElement {
    const parent = this.#stack[this.#stack.length - 1] ?? null;
    const parentScope = parent ? parent.scope : ROOT_SCOPE;
    let scope = parentScope;
    const n = names.length;
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      const prefix = name === 'xmlns' ? '' : name.slice(6);
      const uri = values[i]!.trim(); // as saxes: a namespace name is read trimmed
      this.#checkBinding(prefix, uri, offsets[i]!);
      if (scope === parentScope) scope = Object.assign(Object.create(null) as Record<string, string>, parentScope);
      (scope as Record<string, string>)[prefix] = uri;
      if (prefix) this.#declared.add(prefix);
    }
    const [prefix, localName] = this.#split(qname, lt + 1);
    if (prefix === 'xmlns') this.fail(lt + 1, 'an element name may not have the prefix xmlns');
    const uri = scope[prefix ?? ''];
    if (prefix !== null && !uri) this.fail(lt + 1, `unbound namespace prefix "${prefix}" on element ${qname}`);
    const attributes: XmlAttribute[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const name = names[i]!;
      const [ap, al] = this.#split(name, offsets[i]!);
      let ns: string | null = null;
      if (ap !== null) {
        const bound = scope[ap];
        if (!bound) this.fail(offsets[i]!, `unbound namespace prefix "${ap}" on attribute ${name}`);
        ns = bound;
      } else if (name === 'xmlns') ns = XMLNS_NAMESPACE;
      attributes[i] = { name, localName: al, prefix: ap, namespaceURI: ns, value: values[i]! };
    }
    if (n > 1) this.#checkDuplicates(attributes, offsets);
    const el = new XmlElement(this.source, lt, qname, prefix, localName, uri || null, attributes, scope, parent);
    if (parent) {
      parent.children.push(el);
      const depth = this.#lastChild.length - 1;
      const last = this.#lastChild[depth];
      if (last) {
        last.nextElementSibling = el;
        el.previousElementSibling = last;
      } else parent.firstElementChild = el;
      this.#lastChild[depth] = el;
    } else this.#root = el;
    if (uri && this.byNamespace.size) this.byNamespace.get(uri)?.push(el);
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

  /** Two attributes with the same name, or the same namespace and local name under two prefixes. */
  #checkDuplicates(attributes: XmlAttribute[], offsets: number[]): void {
    const key = (a: XmlAttribute) => (a.prefix === null ? a.name : `{${a.namespaceURI}}${a.localName}`);
    if (attributes.length <= 8) {
      for (let i = 1; i < attributes.length; i++) {
        const k = key(attributes[i]!);
        for (let j = 0; j < i; j++) if (key(attributes[j]!) === k) this.fail(offsets[i]!, `duplicate attribute: ${attributes[i]!.name}`);
      }
      return;
    }
    const seen = new Set<string>();
    attributes.forEach((a, i) => {
      const k = key(a);
      if (seen.has(k)) this.fail(offsets[i]!, `duplicate attribute: ${a.name}`);
      seen.add(k);
    });
  }

  #endTag(lt: number): number {
    const text = this.#text;
    const nameEnd = this.#nameEnd(lt + 2);
    if (nameEnd < 0) this.fail(lt + 2, 'disallowed character in closing tag');
    const p = this.#skipSpace(nameEnd);
    if (text.charCodeAt(p) !== 0x3e) this.fail(p, p >= text.length ? 'unexpected end inside a closing tag' : 'disallowed character in closing tag');
    const name = text.slice(lt + 2, nameEnd);
    const top = this.#stack.pop();
    if (!top) this.fail(lt, `closing tag </${name}> without a start tag`);
    if (top.nodeName !== name) {
      const at = top.position();
      this.fail(lt, `closing tag </${name}> does not match <${top.nodeName}> (line ${at.line}, column ${at.column})`);
    }
    this.#lastChild.pop();
    top.end = p + 1;
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
      const top = this.#stack[this.#stack.length - 1];
      if (!top) this.fail(lt, 'a CDATA section outside the root element');
      const close = text.indexOf(']]>', lt + 9);
      if (close < 0) this.fail(lt, 'unclosed CDATA section');
      top.children.push(this.#raw(lt + 9, close));
      return close + 3;
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      // As parseXml: in the prolog it is the DOCTYPE refusal; anywhere else it is not even well-formed.
      const { line, column } = this.source.position(lt);
      if (this.#root) this.fail(lt, 'a DOCTYPE declaration is only allowed before the root element (and never accepted here)');
      throw new XmlParseError('XML_DOCTYPE', 'a DOCTYPE declaration is not allowed (DTDs and entities are never processed: CDA documents have none)', line, column);
    }
    return this.fail(lt, "'<!' starts neither a comment, a CDATA section nor a DOCTYPE");
  }

  /** Content of a comment, PI or CDATA section: line ends normalised, characters checked. */
  #raw(start: number, end: number): string {
    const run = this.#text.slice(start, end);
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
