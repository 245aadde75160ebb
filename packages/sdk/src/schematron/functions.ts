/**
 * The functions the ANS rules need beyond fontoxpath's XPath 3.1 library, registered once per process:
 * value-set lookup (`dmpkit:doc`, what `document()` became at compile time), string twins of the
 * xs:QName functions, and the 3-argument `matches` with flags.
 */
import type * as Fontoxpath from 'fontoxpath';
import { fontoxpath, whenFontoxpathLoads } from './fontoxpath.js';
import type * as slimdom from 'slimdom';
import { DMPKIT_FN_NS } from './rewrite.js';

const FN_NS = 'http://www.w3.org/2005/xpath-functions';

/** Where `dmpkit:doc(key)` finds documents; set by the evaluator around each run (evaluation is synchronous). */
export interface DocumentSource {
  document(key: string): slimdom.Document;
  /** The string values of a value-set lookup ({@link valueSetId}) stored when the pack was compiled, if any. */
  lookupStrings?(id: string): readonly string[] | undefined;
  /** The attributes of the elements of a value-set lookup stored when the pack was compiled, if any. */
  lookupRecords?(id: string): readonly Readonly<Record<string, string>>[] | undefined;
}

/** The key of a value-set lookup `dmpkit:nodes(key, path, ns)`. */
export function valueSetId(key: string, path: string, ns: string): string {
  return `${key}\u0000${path}\u0000${ns}`;
}

let activeSource: DocumentSource | undefined;

/** The element index of the document being validated (for `dmpkit:all`), set by the evaluator around a run. */
export interface ElementIndex {
  elementsNamed(uri: string, local: string): readonly slimdom.Element[];
}
let activeIndex: ElementIndex | undefined;

/** The index of the document being validated (the closures' `dmpkit:all`). */
export function activeElementIndex(): ElementIndex {
  if (!activeIndex) throw new Error('dmpkit:all() outside a document run');
  return activeIndex;
}

export function withDocumentIndex<T>(index: ElementIndex, run: () => T): T {
  const previous = activeIndex;
  activeIndex = index;
  try {
    return run();
  } finally {
    activeIndex = previous;
  }
}

export function withDocumentSource<T>(source: DocumentSource, run: () => T): T {
  const previous = activeSource;
  activeSource = source;
  try {
    return run();
  } finally {
    activeSource = previous;
  }
}

/** `resolve-QName` as a comparable string (see {@link clark}); throws the XPath errors on a bad lexical form. */
export function resolveQNameString(lexical: string | null, el: slimdom.Element): string | null {
  if (lexical === null) return null;
  const value = lexical.trim();
  if (!/^([^\s:]+:)?[^\s:]+$/.test(value)) throw new Error(`FOCA0002: "${value}" is not a lexical QName`);
  const colon = value.indexOf(':');
  const prefix = colon < 0 ? null : value.slice(0, colon);
  const local = colon < 0 ? value : value.slice(colon + 1);
  const uri = el.lookupNamespaceURI(prefix);
  if (prefix !== null && uri === null) throw new Error(`FONS0004: no namespace is bound to prefix "${prefix}"`);
  return clark(uri, local);
}

/** `QName(uri, qname)` as a comparable string. */
export function qnameString(uri: string | null, qname: string): string {
  const colon = qname.indexOf(':');
  return clark(uri, colon < 0 ? qname : qname.slice(colon + 1));
}
const hoisted = new WeakMap<DocumentSource, Map<string, slimdom.Node[]>>();

/** Evaluates a context-free path on a value-set document; undefined when it cannot (fontoxpath then does). */
export type PathEvaluator = (path: string, resolver: (prefix: string) => string | null, document: slimdom.Document) => slimdom.Node[] | undefined;

/** The value-set document of `key` in the active source (`dmpkit:doc`). */
export function valueSetDocument(key: string): slimdom.Document {
  if (!activeSource) throw new Error('FODC0002: no value-set source is active');
  return activeSource.document(key);
}

/**
 * `dmpkit:nodes(key, path, ns)`: the nodes `path` selects in a value-set document, in document order, computed
 * once per document source and shared by fontoxpath and the closures (`evaluate`: the closures' own path
 * evaluation, which spares fontoxpath's parser; fontoxpath answers the paths it refuses).
 */
export function valueSetNodes(key: string, path: string, ns: string, evaluate?: PathEvaluator): slimdom.Node[] {
  if (!activeSource) throw new Error('FODC0002: no value-set source is active');
  let cache = hoisted.get(activeSource);
  if (!cache) hoisted.set(activeSource, (cache = new Map()));
  const id = valueSetId(key, path, ns);
  let nodes = cache.get(id);
  if (!nodes) {
    const map = Object.fromEntries(ns.split(' ').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    const resolver = (prefix: string) => map[prefix] ?? null;
    const document = activeSource.document(key);
    nodes =
      evaluate?.(path, resolver, document) ??
      (fontoxpath().evaluateXPathToNodes(path, document, null, {}, { namespaceResolver: resolver }) as slimdom.Node[]);
    cache.set(id, nodes);
  }
  return nodes;
}

const stringSets = new WeakMap<DocumentSource, Map<string, ReadonlySet<string>>>();

/** The stored string values of a value-set lookup in the active source, as a set (one per source and lookup). */
export function precomputedStrings(key: string, path: string, ns: string): ReadonlySet<string> | undefined {
  if (!activeSource?.lookupStrings) return undefined;
  let cache = stringSets.get(activeSource);
  if (!cache) stringSets.set(activeSource, (cache = new Map()));
  const id = valueSetId(key, path, ns);
  let set = cache.get(id);
  if (!set) {
    const strings = activeSource.lookupStrings(id);
    if (!strings) return undefined;
    cache.set(id, (set = new Set(strings)));
  }
  return set;
}

/** The stored attribute records of a value-set lookup of elements in the active source. */
export function precomputedRecords(key: string, path: string, ns: string): readonly Readonly<Record<string, string>>[] | undefined {
  return activeSource?.lookupRecords?.(valueSetId(key, path, ns));
}

/** A QName as a comparable string: `Q{uri}local`. */
function clark(ns: string | null | undefined, local: string): string {
  return `Q{${ns ?? ''}}${local}`;
}

function splitClark(q: string): [string, string] {
  const m = /^Q\{([^}]*)\}(.*)$/.exec(q);
  return m ? [m[1]!, m[2]!] : ['', q];
}

// Our functions are registered in fontoxpath when it is loaded (see fontoxpath.ts), if ever.
whenFontoxpathLoads(register);

/** Loads fontoxpath now, with our functions (for callers that evaluate with fontoxpath directly, as tests do). */
export function registerSchematronFunctions(): void {
  fontoxpath();
}

function register({ registerCustomXPathFunction }: typeof Fontoxpath): void {
  const dm = (localName: string) => ({ namespaceURI: DMPKIT_FN_NS, localName });

  registerCustomXPathFunction(dm('doc'), ['xs:string'], 'document-node()', (_ctx: unknown, key: string) => {
    if (!activeSource) throw new Error('FODC0002: no value-set source is active');
    return activeSource.document(key);
  });

  // A context-free path into a value-set document, evaluated once per document source (see rewrite.ts).
  registerCustomXPathFunction(dm('nodes'), ['xs:string', 'xs:string', 'xs:string'], 'node()*', (_ctx: unknown, key: string, path: string, ns: string) =>
    valueSetNodes(key, path, ns),
  );

  registerCustomXPathFunction(dm('all'), ['xs:string', 'xs:string'], 'element()*', (_ctx: unknown, uri: string, local: string) => {
    if (!activeIndex) throw new Error('dmpkit:all() outside a document run');
    return activeIndex.elementsNamed(uri, local);
  });

  registerCustomXPathFunction(dm('resolve-QName'), ['xs:string?', 'element()'], 'xs:string?', (_ctx: unknown, lexical: string | null, el: slimdom.Element) =>
    resolveQNameString(lexical, el),
  );

  registerCustomXPathFunction(dm('QName'), ['xs:string?', 'xs:string'], 'xs:string', (_ctx: unknown, uri: string | null, qname: string) => qnameString(uri, qname));

  registerCustomXPathFunction(dm('local-name-from-QName'), ['xs:string?'], 'xs:string?', (_ctx: unknown, q: string | null) =>
    q === null ? null : splitClark(q)[1],
  );

  registerCustomXPathFunction(dm('namespace-uri-from-QName'), ['xs:string?'], 'xs:string?', (_ctx: unknown, q: string | null) =>
    q === null ? null : splitClark(q)[0],
  );

  registerCustomXPathFunction({ namespaceURI: FN_NS, localName: 'matches' }, ['xs:string?', 'xs:string', 'xs:string'], 'xs:boolean',
    (_ctx: unknown, input: string | null, pattern: string, flags: string) => xpathRegExp(pattern, flags).test(input ?? ''),
  );
}

const regexCache = new Map<string, RegExp>();

/** XPath (XSD-flavoured) regex with flags → JavaScript RegExp. XPath matches anywhere unless anchored, as JS does. */
export function xpathRegExp(pattern: string, flags: string): RegExp {
  const key = `${flags}\u0000${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    let src = pattern;
    if (flags.includes('x')) src = src.replace(/\s+/g, '');
    if (flags.includes('q')) src = src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const jsFlags = (flags.includes('i') ? 'i' : '') + (flags.includes('m') ? 'm' : '') + (flags.includes('s') ? 's' : '');
    re = new RegExp(src, jsFlags);
    regexCache.set(key, re);
  }
  return re;
}
