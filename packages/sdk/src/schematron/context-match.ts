/**
 * Rule-context matching without one whole-document XPath pass per rule.
 *
 * A rule context is an XSLT match pattern: a union of paths whose steps use the child or attribute axis
 * joined by `/` or `//`. We parse it into steps, take candidates for the last step from indexes built in
 * one walk of the document (by element name, and by `templateId/@root` since most ANS contexts are
 * `*[cda:templateId/@root='…']`), then confirm each candidate with the pattern turned inside out:
 * `A[p]/B[q]` matches node n iff n satisfies `self::B[q][parent::A[p]]`.
 * Anything we cannot read that way (positional predicates, function-rooted patterns...) falls back to
 * evaluating `//(context)`, which is always correct, only slower.
 */
import type * as slimdom from 'slimdom';
import { splitLiterals } from './rewrite.js';

export interface NameTest {
  kind: 'element' | 'attribute' | 'document' | 'other';
  /** Namespace URI; '*' any; null no namespace. */
  ns: string | null | '*';
  /** Local name or '*'. */
  local: string;
  /** The test as XPath, for the self::/parent:: forms. */
  source: string;
}

export interface Step {
  /** Separator before this step: '' (first step, relative), '/' or '//'. */
  sep: '' | '/' | '//';
  test: NameTest;
  predicates: string[];
}

export interface CompiledContext {
  /** One entry per `|` alternative; null when the context needs the fallback. */
  alternatives: { steps: Step[]; verify: string | null; templateIdRoot?: string; hasPredicates: boolean }[] | null;
}

const SIMPLE_TEMPLATE_ID = /^\s*(?:\.\/)?([\w-]+:)?templateId(?:\/@root\s*=\s*(['"])([^'"]+)\2|\[\s*@root\s*=\s*(['"])([^'"]+)\4\s*\])\s*$/;
const POSITIONAL = /(^\s*\d+\s*$)|position\s*\(|last\s*\(/;

/** Splits at a top-level separator character (outside strings, brackets and parentheses). */
function splitTopLevel(text: string, at: (s: string, i: number) => number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let buf = '';
  for (const seg of splitLiterals(text)) {
    if (seg.literal) {
      buf += seg.text;
      continue;
    }
    for (let i = 0; i < seg.text.length; i++) {
      const ch = seg.text[i]!;
      if (ch === '[' || ch === '(') depth++;
      else if (ch === ']' || ch === ')') depth--;
      const len = depth === 0 ? at(seg.text, i) : 0;
      if (len > 0) {
        parts.push(buf);
        buf = '';
        i += len - 1;
        continue;
      }
      buf += ch;
    }
  }
  parts.push(buf);
  return parts;
}

function parseNameTest(raw: string, ns: (prefix: string) => string | null | undefined): NameTest | undefined {
  let s = raw.trim();
  let kind: NameTest['kind'] = 'element';
  if (s.startsWith('@')) {
    kind = 'attribute';
    s = s.slice(1);
  } else if (s.startsWith('attribute::')) {
    kind = 'attribute';
    s = s.slice(11);
  } else if (s.startsWith('child::')) s = s.slice(7);
  if (/^(node|text|comment|processing-instruction)\(\)$/.test(s)) return { kind: 'other', ns: '*', local: '*', source: s };
  const m = /^(?:(\*|[\w.-]+):)?(\*|[\w.-]+)$/.exec(s);
  if (!m) return undefined;
  const prefix = m[1];
  let uri: string | null | '*';
  if (prefix === undefined) uri = m[2] === '*' ? '*' : null;
  else if (prefix === '*') uri = '*';
  else {
    const u = ns(prefix);
    if (u === undefined || u === null) return undefined;
    uri = u;
  }
  const source = kind === 'attribute' ? (s === '*' ? 'attribute()' : `attribute(${s})`) : s;
  return { kind, ns: uri, local: m[2]!, source };
}

function parseStep(raw: string, sep: Step['sep'], ns: (p: string) => string | null | undefined): Step | undefined {
  let depth = 0;
  let head = '';
  const predicates: string[] = [];
  let current = '';
  for (const seg of splitLiterals(raw)) {
    if (seg.literal) {
      if (depth > 0) current += seg.text;
      else return undefined;
      continue;
    }
    for (const ch of seg.text) {
      if (ch === '[') {
        if (depth > 0) current += ch;
        depth++;
      } else if (ch === ']') {
        depth--;
        if (depth === 0) {
          predicates.push(current);
          current = '';
        } else current += ch;
      } else if (depth > 0) current += ch;
      else if (predicates.length === 0) head += ch;
      else if (ch.trim() !== '') return undefined; // text after a predicate: not a simple step
    }
  }
  if (depth !== 0) return undefined;
  const test = parseNameTest(head, ns);
  if (!test) return undefined;
  return { sep, test, predicates };
}

function parsePath(raw: string, ns: (p: string) => string | null | undefined): Step[] | undefined {
  const text = raw.trim();
  if (text === '/') return [{ sep: '/', test: { kind: 'document', ns: '*', local: '*', source: 'document-node()' }, predicates: [] }];
  const seps: Step['sep'][] = [];
  const pieces = splitTopLevel(text, (s, i) => {
    if (s[i] !== '/') return 0;
    const len = s[i + 1] === '/' ? 2 : 1;
    seps.push(len === 2 ? '//' : '/');
    return len;
  });
  const steps: Step[] = [];
  let first = 0;
  let lead: Step['sep'] = '';
  if (pieces[0]!.trim() === '') {
    lead = seps[0] ?? '';
    first = 1;
  }
  for (let p = first; p < pieces.length; p++) {
    const piece = pieces[p]!;
    if (piece.trim() === '') return undefined;
    const step = parseStep(piece, p === first ? lead : (seps[p - 1] ?? '/'), ns);
    if (!step) return undefined;
    if (step.predicates.some((q) => POSITIONAL.test(q))) return undefined;
    steps.push(step);
  }
  if (steps.length === 0) return undefined;
  // Only the last step may be an attribute or node-kind test.
  if (steps.slice(0, -1).some((s) => s.test.kind !== 'element')) return undefined;
  return steps;
}

function predicateText(step: Step): string {
  return step.predicates.map((p) => `[${p}]`).join('');
}

function inverse(steps: Step[]): string {
  // Built from the first step outwards: cond(k) = test_k preds_k [axis(k) :: cond(k-1)]
  let expr = '';
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k]!;
    const own = `${step.test.source}${predicateText(step)}`;
    if (k === 0) {
      expr = own + (step.sep === '/' ? '[parent::document-node()]' : '');
    } else {
      const axis = step.sep === '//' ? 'ancestor' : 'parent';
      expr = `${own}[${axis}::${expr}]`;
    }
  }
  return `self::${expr}`;
}

export function compileContext(context: string, ns: (prefix: string) => string | null | undefined): CompiledContext {
  const alternatives: NonNullable<CompiledContext['alternatives']> = [];
  for (const alt of splitTopLevel(context, (s, i) => (s[i] === '|' ? 1 : 0))) {
    const steps = parsePath(alt, ns);
    if (!steps) return { alternatives: null };
    const last = steps[steps.length - 1]!;
    if (last.test.kind === 'other') return { alternatives: null };
    let templateIdRoot: string | undefined;
    if (last.test.kind === 'element' && last.predicates.length >= 1) {
      const m = SIMPLE_TEMPLATE_ID.exec(last.predicates[0]!);
      const prefixUri = m?.[1] ? ns(m[1].slice(0, -1)) : undefined;
      if (m && (!m[1] || prefixUri === 'urn:hl7-org:v3')) templateIdRoot = m[3] ?? m[5];
    }
    // A single relative step whose only condition the index answers exactly needs no XPath check.
    const exact =
      steps.length === 1 &&
      last.sep === '' &&
      (last.predicates.length === 0 || (templateIdRoot !== undefined && last.predicates.length === 1));
    const hasPredicates = steps.some((st) => st.predicates.length > 0);
    alternatives.push({ steps, verify: exact ? null : inverse(steps), hasPredicates, ...(templateIdRoot ? { templateIdRoot } : {}) });
  }
  return { alternatives };
}

/** Indexes of one document, built in a single walk. */
export class NodeIndex {
  readonly byName = new Map<string, slimdom.Element[]>();
  readonly byLocal = new Map<string, slimdom.Element[]>();
  readonly byTemplateId = new Map<string, slimdom.Element[]>();
  readonly attributesByLocal = new Map<string, slimdom.Attr[]>();
  readonly elements: slimdom.Element[] = [];

  constructor(readonly document: slimdom.Document) {
    const walk = (el: slimdom.Element) => {
      this.elements.push(el);
      push(this.byName, `{${el.namespaceURI ?? ''}}${el.localName}`, el);
      push(this.byLocal, el.localName, el);
      for (const a of el.attributes) {
        if (a.namespaceURI !== 'http://www.w3.org/2000/xmlns/') push(this.attributesByLocal, a.localName, a);
      }
      for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
        if (c.localName === 'templateId' && c.namespaceURI === 'urn:hl7-org:v3') {
          const root = c.getAttribute('root');
          if (root !== null) {
            const list = this.byTemplateId.get(root);
            if (!list || list[list.length - 1] !== el) push(this.byTemplateId, root, el);
          }
        }
        walk(c);
      }
    };
    if (document.documentElement) walk(document.documentElement);
  }

  /** Element children of the elements that may match `parent` (a superset of the candidates for `parent/*`). */
  childrenOf(parent: NameTest): slimdom.Element[] {
    const out: slimdom.Element[] = [];
    for (const p of this.candidates(parent)) {
      for (let c = (p as slimdom.Element).firstElementChild; c; c = c.nextElementSibling) out.push(c);
    }
    return out;
  }

  /** Every element with this namespace and local name, in document order. */
  elementsNamed(uri: string, local: string): readonly slimdom.Element[] {
    if (uri === '*') return this.byLocal.get(local) ?? [];
    return this.byName.get(`{${uri}}${local}`) ?? [];
  }

  /** Nodes that may match the step's name test (a superset, in document order within one list). */
  candidates(test: NameTest, templateIdRoot?: string): (slimdom.Node | slimdom.Attr)[] {
    if (test.kind === 'document') return [this.document];
    if (test.kind === 'attribute') {
      const all = test.local === '*' ? [...this.attributesByLocal.values()].flat() : (this.attributesByLocal.get(test.local) ?? []);
      return test.ns === '*' ? all : all.filter((a) => (a.namespaceURI ?? null) === test.ns);
    }
    const base = templateIdRoot !== undefined ? (this.byTemplateId.get(templateIdRoot) ?? []) : undefined;
    if (base) return base.filter((e) => nameMatches(e, test));
    if (test.local === '*') return test.ns === '*' ? this.elements : this.elements.filter((e) => nameMatches(e, test));
    if (test.ns === '*') return this.byLocal.get(test.local) ?? [];
    return this.byName.get(`{${test.ns ?? ''}}${test.local}`) ?? [];
  }
}

/**
 * Names-only match of the whole path against the node's ancestry: a necessary condition, checked in
 * JavaScript so that only candidates with the right ancestry reach the XPath verification.
 */
export function structurallyMatches(
  node: slimdom.Node | slimdom.Attr,
  steps: readonly Step[],
  /** Per step, the closures of its predicates (see closure.ts): then the match is complete, not only by names. */
  predicates?: readonly (readonly ((n: slimdom.Node) => boolean)[])[],
): boolean {
  const at = (n: slimdom.Node | slimdom.Attr | null, k: number): boolean => {
    if (!n) return false;
    const step = steps[k]!;
    if (!testMatches(n, step.test)) return false;
    if (predicates) for (const p of predicates[k]!) if (!p(n as slimdom.Node)) return false;
    const parent = n.nodeType === 2 ? (n as slimdom.Attr).ownerElement : (n as slimdom.Node).parentNode;
    if (k === 0) return step.sep !== '/' || parent?.nodeType === 9;
    if (step.sep === '/') return at(parent, k - 1);
    for (let a = parent; a && a.nodeType === 1; a = a.parentNode) if (at(a, k - 1)) return true;
    return false;
  };
  return at(node, steps.length - 1);
}

function testMatches(n: slimdom.Node | slimdom.Attr, test: NameTest): boolean {
  if (test.kind === 'document') return n.nodeType === 9;
  if (test.kind === 'attribute') {
    if (n.nodeType !== 2) return false;
    const a = n as slimdom.Attr;
    return (test.local === '*' || a.localName === test.local) && (test.ns === '*' || (a.namespaceURI ?? null) === test.ns);
  }
  if (test.kind === 'element') return n.nodeType === 1 && nameMatches(n as slimdom.Element, test);
  return true;
}

function nameMatches(e: slimdom.Element, test: NameTest): boolean {
  return (test.local === '*' || e.localName === test.local) && (test.ns === '*' || (e.namespaceURI ?? null) === test.ns);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
