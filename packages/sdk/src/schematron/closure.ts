/**
 * Our own translation of the most common schematron test shapes into JavaScript closures over the DOM:
 * paths on the child, attribute, self, parent, descendant and ancestor axes with name tests and boolean
 * predicates, unions, `and`/`or`/`not()`, general comparisons with string and integer literals, `count()`,
 * `string-length()`, `normalize-space()`, `contains()`, `starts-with()`, `ends-with()`, `empty()`, `exists()`.
 * Parsing is a hand-written recursive descent (microseconds per test, where fontoxpath's parser costs
 * milliseconds), so nothing needs caching and a cold process pays almost nothing.
 *
 * Anything outside this subset (variables, other functions, arithmetic, positional predicates...) is
 * refused at compile time and stays with fontoxpath. At run time, whatever could raise an XPath dynamic
 * error (a cardinality or type error, an attribute that is not a number compared with a number) throws
 * {@link Bail}: the caller then evaluates the test with fontoxpath, which reports the error in its own words.
 * Node order never matters here: every construct of the subset is order-independent.
 */
import type * as slimdom from 'slimdom';
import { fontoxpath } from './fontoxpath.js';
import { compile as compileXsdPattern } from 'xspattern';
import { DMPKIT_FN_NS } from './rewrite.js';
import { nativeAtomic } from './atomic.js';
import { xsdRegExp } from './xsd-regex.js';
import { activeElementIndex, precomputedRecords, precomputedStrings, qnameString, resolveQNameString, valueSetDocument, valueSetNodes, xpathRegExp } from './functions.js';

type N = slimdom.Node;

/** Thrown when a closure meets a case it leaves to fontoxpath (see the module comment). */
export class Bail extends Error {}
const BAIL = new Bail('outside the closure subset');

export type Kind = 'nodes' | 'string' | 'number' | 'boolean' | 'strings';
/** A compiled subexpression: nodes → N[], string → string | null (null = empty), number → number | null. */
export type Compiled =
  /** stable: the same array on every call (a value-set lookup), so comparisons may index it once. */
  | {
      kind: 'nodes';
      fn: (n: N, e: Env) => N[];
      stable?: boolean;
      /** The string values of a stable sequence, when they are known without its nodes (a value set's, see {@link valueSetCall}). */
      strings?: () => ReadonlySet<string>;
      /** The attributes of a stable sequence of elements, when they are known without its nodes (a value set's). */
      records?: () => readonly Readonly<Record<string, string>>[] | undefined;
      /** Whether the sequence is non-empty, computed without its nodes (see {@link filterAndSteps}). */
      exists?: (n: N, e: Env) => boolean;
    }
  | { kind: 'string'; fn: (n: N, e: Env) => string | null }
  | { kind: 'number'; fn: (n: N, e: Env) => number | null }
  | { kind: 'boolean'; fn: (n: N, e: Env) => boolean }
  /** A sequence of strings: `('a', 'b')`, only compared with. */
  | { kind: 'strings'; fn: (n: N, e: Env) => string[] };

export type Value = N[] | string | string[] | number | boolean | null;

/** Variable values at run time (lets are computed on first use, see evaluate.ts). */
export interface Env {
  get(name: string): Value;
}

/** What is known of the variables in scope at compile time: their kind, or null for a let outside the subset. */
export type Scope = ReadonlyMap<string, Kind | null>;

export type BooleanClosure = (node: N, env: Env) => boolean;

const NO_VARIABLES: Env = {
  get(name) {
    throw new Error(`unbound variable $${name}`);
  },
};
export { NO_VARIABLES };

/** A construct outside the subset, found while compiling (not an Error: refusals are common, stacks costly). */
class Refuse {
  constructor(readonly reason: string) {}
}

const ELEMENT = 1;
const ATTRIBUTE = 2;
const TEXT = 3;
const DOCUMENT = 9;
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XSD = 'http://www.w3.org/2001/XMLSchema';

// ---- tokens ----

type Tok = { t: 'name' | 'str' | 'num' | 'op' | 'var'; v: string };

// Sticky: matched at the cursor without copying the rest of the expression (some tests are kilobytes long).
const NUMBER_AT = /[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|\.[0-9]+/y;
const ANY_PREFIX_AT = /\*:[\p{L}_][\p{L}\p{N}_.\-·]*/uy;
const VARIABLE_AT = /\$([\p{L}_][\p{L}\p{N}_.\-·]*)/uy;
const NAME_AT = /[\p{L}_][\p{L}\p{N}_.\-·]*(?::(?:[\p{L}_][\p{L}\p{N}_.\-·]*|\*))?(?:::)?/uy;

function matchAt(re: RegExp, src: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(src);
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        const q = src.indexOf(c, j);
        if (q < 0) throw new Refuse('unterminated string');
        s += src.slice(j, q);
        if (src[q + 1] === c) {
          s += c; // a doubled quote
          j = q + 2;
          continue;
        }
        j = q;
        break;
      }
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = matchAt(NUMBER_AT, src, i)!;
      if (m[0].includes('.') || /[eE]/.test(m[0])) throw new Refuse('decimal or double literal');
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['!=', '<=', '>=', '//', '::', '..'].includes(two)) {
      if (two === '::') throw new Refuse('axis outside a step');
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    const anyPrefix = c === '*' ? matchAt(ANY_PREFIX_AT, src, i) : null;
    if (anyPrefix) {
      out.push({ t: 'name', v: anyPrefix[0] });
      i += anyPrefix[0].length;
      continue;
    }
    if ('=<>/|()[]@,.*+-'.includes(c)) {
      if (c === '(' && src[i + 1] === ':') throw new Refuse('comment');
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (c === '$') {
      const v = matchAt(VARIABLE_AT, src, i);
      if (!v) throw new Refuse('bad variable');
      out.push({ t: 'var', v: v[1]! });
      i += v[0].length;
      continue;
    }
    const m = matchAt(NAME_AT, src, i);
    if (!m) throw new Refuse(`unexpected ${c}`);
    out.push({ t: 'name', v: m[0] });
    i += m[0].length;
  }
  return out;
}

// ---- node helpers (the semantics fontoxpath gives a slimdom tree) ----

function stringValue(n: N): string {
  const t = n.nodeType;
  if (t === ATTRIBUTE) return (n as unknown as slimdom.Attr).value;
  if (t === TEXT) return (n as slimdom.Text).data;
  if (t === ELEMENT || t === DOCUMENT) {
    // Concatenated text descendants; CDATA sections are left to fontoxpath (their XDM text-node merging).
    let s = '';
    const walk = (p: N) => {
      for (let c = p.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === TEXT) s += (c as slimdom.Text).data;
        else if (c.nodeType === ELEMENT) walk(c);
        else if (c.nodeType === 4) throw BAIL;
      }
    };
    walk(n);
    return s;
  }
  throw BAIL;
}

function parentOf(n: N): N | null {
  return n.nodeType === ATTRIBUTE ? ((n as unknown as slimdom.Attr).ownerElement as N | null) : n.parentNode;
}

interface Test {
  /** 'any' is node(); 'text' is text() */
  kind: 'element' | 'attribute' | 'any' | 'text';
  ns: string | null | '*';
  local: string;
}

function testMatches(n: N, test: Test): boolean {
  if (test.kind === 'any') return true;
  if (test.kind === 'text') {
    if (n.nodeType === 4) throw BAIL; // CDATA: fontoxpath's call
    return n.nodeType === TEXT;
  }
  if (test.kind === 'element') {
    if (n.nodeType !== ELEMENT) return false;
  } else if (n.nodeType !== ATTRIBUTE) return false;
  const e = n as unknown as { localName: string; namespaceURI: string | null };
  if (test.kind === 'attribute' && e.namespaceURI === XMLNS) return false;
  return (test.local === '*' || e.localName === test.local) && (test.ns === '*' || (e.namespaceURI ?? null) === test.ns);
}

type Axis =
  | 'child'
  | 'attribute'
  | 'self'
  | 'parent'
  | 'descendant'
  | 'descendant-or-self'
  | 'ancestor'
  | 'ancestor-or-self'
  | 'preceding-sibling'
  | 'following-sibling';
const AXES = new Set<string>(['child', 'attribute', 'self', 'parent', 'descendant', 'descendant-or-self', 'ancestor', 'ancestor-or-self', 'preceding-sibling', 'following-sibling']);

function axisNodes(n: N, axis: Axis, test: Test, out: N[]): void {
  switch (axis) {
    case 'child':
      if (n.nodeType === ELEMENT || n.nodeType === DOCUMENT) {
        for (let c = n.firstChild; c; c = c.nextSibling) {
          if (test.kind === 'any' && c.nodeType !== ELEMENT) throw BAIL; // text/comment/PI children: fontoxpath's call
          if (test.kind !== 'text' && c.nodeType === 4) continue;
          if (testMatches(c, test)) out.push(c);
        }
      }
      return;
    case 'attribute':
      if (n.nodeType === ELEMENT) for (const a of (n as slimdom.Element).attributes) if (testMatches(a as unknown as N, test)) out.push(a as unknown as N);
      return;
    case 'self':
      if (testMatches(n, test)) out.push(n);
      return;
    case 'parent': {
      const p = parentOf(n);
      if (p && (test.kind === 'any' || testMatches(p, test))) out.push(p);
      return;
    }
    case 'descendant':
    case 'descendant-or-self': {
      if (axis === 'descendant-or-self' && testMatches(n, test)) out.push(n);
      if (n.nodeType !== ELEMENT && n.nodeType !== DOCUMENT) return;
      const walk = (p: N) => {
        for (let c = p.firstChild; c; c = c.nextSibling) {
          if (c.nodeType !== ELEMENT) {
            if (test.kind === 'any') throw BAIL;
            continue;
          }
          if (testMatches(c, test)) out.push(c);
          walk(c);
        }
      };
      walk(n);
      return;
    }
    case 'ancestor':
    case 'ancestor-or-self':
      for (let a = axis === 'ancestor' ? parentOf(n) : n; a; a = parentOf(a)) if (test.kind === 'any' || testMatches(a, test)) out.push(a);
      return;
    case 'preceding-sibling':
    case 'following-sibling': {
      if (n.nodeType === ATTRIBUTE || test.kind !== 'element') {
        if (test.kind !== 'element') throw BAIL;
        return;
      }
      const next = axis === 'following-sibling' ? (x: N) => x.nextSibling : (x: N) => x.previousSibling;
      for (let c = next(n); c; c = next(c)) if (testMatches(c, test)) out.push(c);
      return;
    }
  }
}

// ---- parser → closures ----

const FUNCTIONS = new Set([
  'not', 'boolean', 'true', 'false', 'count', 'empty', 'exists', 'string-length', 'normalize-space', 'string', 'contains',
  'starts-with', 'ends-with', 'local-name', 'matches', 'dmpkit:resolve-QName', 'dmpkit:QName', 'dmpkit:all', 'string-join',
  'concat', 'substring-before', 'substring-after', 'number', 'substring', 'replace', 'tokenize', 'distinct-values', 'name',
  'iri-to-uri', 'dmpkit:nodes', 'dmpkit:doc',
]);
/** Forward axes whose nodes axisNodes yields in document order: where a positional predicate `[k]` is ours. */
const POSITIONAL_AXES = new Set<string>(['child', 'self', 'parent', 'descendant', 'descendant-or-self', 'following-sibling']);
/** The context item of a predicate over strings (`$values[not(. = …)]`): bound in the Env under a name no variable can have. */
const DOT = '.';
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const VALUE_COMPARISONS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

class Parser {
  private i = 0;
  /** Inside a predicate over strings: `.` is a string and no path may start from it. */
  private stringContext = false;
  constructor(
    private readonly toks: Tok[],
    private readonly ns: (prefix: string) => string | null,
    private scope: Scope,
  ) {}

  private peek(k = 0): Tok | undefined {
    return this.toks[this.i + k];
  }
  private isOp(v: string, k = 0): boolean {
    const t = this.peek(k);
    return t?.t === 'op' && t.v === v;
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'name' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) throw new Refuse(`expected ${v}`);
    this.i++;
  }

  parseAll(): Compiled {
    const e = this.expr();
    if (this.i !== this.toks.length) throw new Refuse('trailing tokens');
    return e;
  }

  private expr(): Compiled {
    if ((this.isWord('every') || this.isWord('some')) && this.peek(1)?.t === 'var') return this.quantified();
    if (this.isWord('if') && this.isOp('(', 1)) return this.conditional();
    let left = this.and();
    while (this.isWord('or')) {
      this.i++;
      const a = ebv(left);
      const b = ebv(this.and());
      left = { kind: 'boolean', fn: (n, e) => a(n, e) || b(n, e) };
    }
    return left;
  }

  /** `every|some $v in E satisfies P`, one binding, E a node sequence. */
  private quantified(): Compiled {
    const every = this.peek()!.v === 'every';
    const name = this.peek(1)!.v;
    this.i += 2;
    if (!this.isWord('in')) throw new Refuse('in expected');
    this.i++;
    const domain = this.expr();
    if (domain.kind !== 'nodes') throw new Refuse('quantifier over non-nodes');
    if (!this.isWord('satisfies')) throw new Refuse('satisfies expected (one binding only)');
    this.i++;
    const outer = this.scope;
    this.scope = new Map([...outer, [name, 'nodes']]);
    const body = ebv(this.expr());
    this.scope = outer;
    return {
      kind: 'boolean',
      fn: (n, e) => {
        for (const x of domain.fn(n, e)) {
          const bound = [x];
          const inner: Env = { get: (v) => (v === name ? bound : e.get(v)) };
          if (body(n, inner) !== every) return !every;
        }
        return every;
      },
    };
  }

  /** `if (C) then A else B`: both branches of one kind (`()` is an empty string, see {@link path}). */
  private conditional(): Compiled {
    this.i++;
    this.expect('(');
    const cond = ebv(this.expr());
    this.expect(')');
    if (!this.isWord('then')) throw new Refuse('then expected');
    this.i++;
    const a = this.expr();
    if (!this.isWord('else')) throw new Refuse('else expected');
    this.i++;
    const b = this.expr();
    if (a.kind !== b.kind) throw new Refuse('if branches of different kinds');
    const fa = a.fn as (n: N, e: Env) => Value;
    const fb = b.fn as (n: N, e: Env) => Value;
    return { kind: a.kind, fn: (n: N, e: Env) => (cond(n, e) ? fa(n, e) : fb(n, e)) } as Compiled;
  }

  private and(): Compiled {
    let left = this.comparison();
    while (this.isWord('and')) {
      this.i++;
      const a = ebv(left);
      const b = ebv(this.comparison());
      left = { kind: 'boolean', fn: (n, e) => a(n, e) && b(n, e) };
    }
    return left;
  }

  private comparison(): Compiled {
    if (this.isWord('xs:dateTime') && this.isOp('(', 1)) return this.dateTimeComparison();
    const left = this.additive();
    const t = this.peek();
    if (t?.t === 'op' && COMPARISONS.has(t.v)) {
      this.i++;
      return compare(t.v, left, this.additive());
    }
    if (t?.t === 'name' && VALUE_COMPARISONS[t.v] !== undefined) {
      this.i++;
      return valueCompare(VALUE_COMPARISONS[t.v]!, left, this.additive());
    }
    if (t?.t === 'name' && /^(is|to|div|mod|idiv|intersect|instance|treat|castable|cast)$/.test(t.v)) throw new Refuse(t.v);
    return left;
  }

  /**
   * `xs:dateTime(A) op xs:dateTime(B)` (the IVL_TS low ≤ high check): A and B single strings; the cast and the
   * comparison (time zones included) are fontoxpath's own, memoized per pair of values; a failed cast is its error.
   */
  private dateTimeComparison(): Compiled {
    const xs = this.ns('xs');
    if (xs !== null && xs !== XSD) throw new Refuse('xs prefix rebound');
    const operand = () => {
      if (!this.isWord('xs:dateTime') || !this.isOp('(', 1)) throw new Refuse('xs:dateTime outside a comparison of two');
      this.i += 2;
      const a = str(this.expr());
      this.expect(')');
      return a;
    };
    const a = operand();
    const t = this.peek();
    let op: string;
    let general: boolean;
    if (t?.t === 'op' && COMPARISONS.has(t.v)) [op, general] = [t.v, true];
    else if (t?.t === 'name' && VALUE_COMPARISONS[t.v] !== undefined) [op, general] = [t.v, false];
    else throw new Refuse('xs:dateTime outside a comparison');
    this.i++;
    const b = operand();
    const xpath = `xs:dateTime($a0) ${op} xs:dateTime($a1)`;
    void general; // singletons: general and value comparisons agree, and both are false when a side is empty
    return {
      kind: 'boolean',
      fn: (n, e) => {
        const x = a(n, e);
        const y = b(n, e);
        if (x === null || y === null) return false;
        return atomicCall(xpath, 'boolean', x, y) as boolean;
      },
    };
  }

  /** `+` and `-` between numbers (counts, number(), integer literals): IEEE arithmetic, as fontoxpath's doubles and exact integers. */
  private additive(): Compiled {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.peek()!.v;
      this.i++;
      left = arithmetic(op, left, this.multiplicative());
    }
    return left;
  }

  /** `*` after an operand (a wildcard only starts one); `div`, `idiv` and `mod` stay with fontoxpath. */
  private multiplicative(): Compiled {
    let left = this.union();
    while (this.isOp('*')) {
      this.i++;
      left = arithmetic('*', left, this.union());
    }
    return left;
  }

  private union(): Compiled {
    let left = this.except();
    while (this.isOp('|') || this.isWord('union')) {
      this.i++;
      const right = this.except();
      if (left.kind !== 'nodes' || right.kind !== 'nodes') throw new Refuse('union of non-nodes');
      const a = left.fn;
      const b = right.fn;
      left = { kind: 'nodes', fn: (n, e) => [...new Set([...a(n, e), ...b(n, e)])] };
    }
    return left;
  }

  /** `except` binds tighter than `|` (XPath's IntersectExceptExpr). */
  private except(): Compiled {
    let left = this.castable();
    while (this.isWord('except')) {
      this.i++;
      const right = this.castable();
      if (left.kind !== 'nodes' || right.kind !== 'nodes') throw new Refuse('except of non-nodes');
      const a = left.fn;
      const b = right.fn;
      left = {
        kind: 'nodes',
        fn: (n, e) => {
          const drop = new Set(b(n, e));
          return a(n, e).filter((x) => !drop.has(x));
        },
      };
    }
    if (this.isWord('intersect')) throw new Refuse('intersect');
    return left;
  }

  /** `E castable as xs:T` (no `?`): E a single string or node; the answer is fontoxpath's own cast (see {@link castableAs}). */
  private castable(): Compiled {
    const operand = this.path();
    if (!this.isWord('castable')) return operand;
    this.i++;
    if (!this.isWord('as')) throw new Refuse('castable without as');
    this.i++;
    const t = this.peek();
    if (t?.t !== 'name' || !/^xs:(integer|dateTime|date|decimal|double|anyURI|boolean)$/.test(t.v)) throw new Refuse('castable target');
    const xs = this.ns('xs');
    if (xs !== null && xs !== XSD) throw new Refuse('xs prefix rebound');
    this.i++;
    if (operand.kind !== 'string' && operand.kind !== 'nodes') throw new Refuse('castable of another kind');
    const type = t.v;
    const f = operand.fn as (n: N, e: Env) => N[] | string | null;
    return {
      kind: 'boolean',
      fn: (n, e) => {
        const v = f(n, e);
        if (v === null) return false;
        if (typeof v === 'string') return castableAs(v, type);
        if (v.length !== 1) return false; // () or several items: not castable to a single xs:T
        if (v[0]!.nodeType !== ELEMENT && v[0]!.nodeType !== ATTRIBUTE && v[0]!.nodeType !== TEXT) throw BAIL;
        return castableAs(stringValue(v[0]!), type);
      },
    };
  }

  private path(): Compiled {
    if (this.stringContext && this.isOp('.')) {
      this.i++;
      return this.noSteps({ kind: 'string', fn: (_n, e) => e.get(DOT) as string });
    }
    if (this.isOp('/') || this.isOp('//')) {
      if (this.stringContext) throw new Refuse('a path from a string context item');
      const deep = this.isOp('//');
      this.i++;
      const root = (n: N): N[] => {
        let r: N | null = n;
        while (r && parentOf(r)) r = parentOf(r);
        if (!r || r.nodeType !== DOCUMENT) throw BAIL; // XPDY0050 in fontoxpath
        return [r];
      };
      const startsStep = this.peek() !== undefined && (this.peek()!.t === 'name' || this.isOp('@') || this.isOp('*') || this.isOp('.') || this.isOp('..'));
      if (!startsStep) {
        if (deep) throw new Refuse('lone //');
        return { kind: 'nodes', fn: root };
      }
      return this.relative(deep ? descendantsOrSelf(root) : root);
    }
    const t = this.peek();
    if (!t) throw new Refuse('end of input');
    if (t.t === 'str') {
      this.i++;
      const v = t.v;
      return this.noSteps({ kind: 'string', fn: () => v });
    }
    if (t.t === 'num') {
      this.i++;
      const v = Number(t.v);
      return this.noSteps({ kind: 'number', fn: () => v });
    }
    if (t.t === 'var') {
      this.i++;
      const kind = this.scope.get(t.v);
      if (!kind) throw new Refuse(`variable $${t.v} unknown or outside the subset`);
      const name = t.v;
      const v: Compiled = { kind, fn: (_n: N, e: Env) => e.get(name) } as Compiled;
      if (kind === 'nodes') return this.filterAndSteps(v as Compiled & { kind: 'nodes' });
      if (kind === 'strings' && this.isOp('[')) return this.filterStrings(v.fn as (n: N, e: Env) => string[]);
      return this.noSteps(v);
    }
    if (this.isOp('(') && this.isOp(')', 1)) {
      // The empty sequence, as an empty string (`if (…) then '-' else ()`); steps after it are refused.
      this.i += 2;
      return this.noSteps({ kind: 'string', fn: () => null });
    }
    if (this.isOp('(')) {
      this.i++;
      const inner = this.expr();
      if (this.isOp(',')) {
        // A sequence of strings, as in `@nullFlavor = ('OTH', 'NA')`.
        const items = [inner];
        while (this.isOp(',')) {
          this.i++;
          items.push(this.expr());
        }
        this.expect(')');
        if (items.every((x) => x.kind === 'nodes' && x.stable === true)) {
          // `(dmpkit:nodes(A), dmpkit:nodes(B))`: value-set lookups, concatenated once (the parts never change).
          const lookups = items as (Compiled & { kind: 'nodes' })[];
          const parts = lookups.map((x) => x.fn);
          let memo: { inputs: N[][]; out: N[] } | undefined;
          const stringParts = lookups.every((x) => x.strings) ? lookups.map((x) => x.strings!) : undefined;
          let stringMemo: { inputs: ReadonlySet<string>[]; out: ReadonlySet<string> } | undefined;
          return this.noSteps({
            kind: 'nodes',
            stable: true,
            fn: (n, e) => {
              const inputs = parts.map((f) => f(n, e));
              if (!memo || inputs.some((x, k) => x !== memo!.inputs[k])) memo = { inputs, out: inputs.flat() };
              return memo.out;
            },
            ...(stringParts && {
              strings: () => {
                const inputs = stringParts.map((f) => f());
                if (!stringMemo || inputs.some((x, k) => x !== stringMemo!.inputs[k])) stringMemo = { inputs, out: new Set(inputs.flatMap((x) => [...x])) };
                return stringMemo.out;
              },
            }),
          });
        }
        if (!items.every((x) => x.kind === 'string')) throw new Refuse('sequence of non-strings');
        const fns = items.map((x) => x.fn as (n: N, e: Env) => string | null);
        return this.noSteps({
          kind: 'strings',
          fn: (n, e) => {
            const out: string[] = [];
            for (const f of fns) {
              const v = f(n, e);
              if (v !== null) out.push(v);
            }
            return out;
          },
        });
      }
      this.expect(')');
      if (this.isOp('[') || this.isOp('/') || this.isOp('//')) throw new Refuse('steps after a parenthesised expression');
      return inner;
    }
    if (t.t === 'name' && this.isOp('(', 1) && !/^(node|text|comment|processing-instruction|element|attribute|document-node|schema-element|schema-attribute)$/.test(t.v)) {
      const call = this.call();
      if (call.kind === 'nodes') return this.filterAndSteps(call);
      if (call.kind === 'strings' && this.isOp('[')) return this.filterStrings(call.fn);
      return this.noSteps(call);
    }
    if (this.stringContext) throw new Refuse('a path from a string context item');
    return this.relative(CONTEXT);
  }

  /** `$strings[P]`: P evaluated with each string as the context item (boolean predicates only). */
  private filterStrings(from: (n: N, e: Env) => string[]): Compiled {
    const outer = this.stringContext;
    this.stringContext = true;
    const preds: ((n: N, e: Env) => boolean)[] = [];
    try {
      while (this.isOp('[')) {
        this.i++;
        const p = this.expr();
        this.expect(']');
        if (p.kind === 'number' || p.kind === 'string') throw new Refuse('non-boolean predicate');
        preds.push(ebv(p));
      }
    } finally {
      this.stringContext = outer;
    }
    return this.noSteps({
      kind: 'strings',
      fn: (n, e) =>
        from(n, e).filter((s) => {
          const inner: Env = { get: (v) => (v === DOT ? s : e.get(v)) };
          return preds.every((p) => p(n, inner));
        }),
    });
  }

  /** A node sequence from a variable or function, then predicates (boolean only) and steps. */
  private filterAndSteps(source: Compiled & { kind: 'nodes' }): Compiled {
    const from = source.fn;
    let fn = from;
    const predicatesAt = this.i;
    const preds = this.booleanPredicates();
    const lookup = source.records && this.isAttributeLookup(predicatesAt, this.i);
    if (preds.length) {
      const base = fn;
      fn = (n, e) => {
        let out = base(n, e);
        for (const p of preds) out = out.filter((x) => p(x, e));
        return out;
      };
    }
    if (this.isOp('/') || this.isOp('//')) {
      const deep = this.isOp('//');
      this.i++;
      const t = this.peek();
      if (!deep && t?.t === 'name' && this.isOp('(', 1) && FUNCTIONS.has(t.v)) return this.mapStep(fn);
      return this.relative(deep ? descendantsOrSelf(fn) : fn);
    }
    if (lookup) {
      // `dmpkit:nodes(K, '//svs:Concept', …)[@code = $c and @codeSystem = $s]` tested for existence (CI-SIS value-set
      // checks): answered from the attributes the pack's compilation stored, the value set's DOM left unbuilt.
      const records = source.records!;
      const filtered = fn;
      const exists = (n: N, e: Env): boolean => {
        const all = records();
        if (!all) return filtered(n, e).length > 0;
        const wanted = lookup.map(([attribute, value]) => [attribute, value(n, e)] as const);
        return all.some((r) => wanted.every(([attribute, values]) => Object.hasOwn(r, attribute) && values.includes(r[attribute]!)));
      };
      return { kind: 'nodes', fn, exists };
    }
    return fn === from ? source : { kind: 'nodes', fn };
  }

  /**
   * The predicates between tokens `from` and `to` when they are all `[@a = $v and @b = 'x' …]`: unprefixed
   * attributes of the filtered node, each compared with a variable or a literal (nothing read from the node
   * itself on the right), as [attribute, atomized right side]; undefined for any other shape.
   */
  private isAttributeLookup(from: number, to: number): [string, (n: N, e: Env) => string[]][] | undefined {
    const t = this.toks;
    if (from === to || t[from]?.v !== '[' || t[to - 1]?.v !== ']') return undefined;
    const out: [string, (n: N, e: Env) => string[]][] = [];
    let i = from + 1;
    for (;;) {
      const [at, name, eq, rhs] = [t[i], t[i + 1], t[i + 2], t[i + 3]];
      if (at?.t !== 'op' || at.v !== '@' || name?.t !== 'name' || name.v.includes(':') || eq?.t !== 'op' || eq.v !== '=' || !rhs) return undefined;
      if (rhs.t === 'str') {
        const v = [rhs.v];
        out.push([name.v, () => v]);
      } else if (rhs.t === 'var') {
        const kind = this.scope.get(rhs.v);
        if (kind !== 'nodes' && kind !== 'string' && kind !== 'strings') return undefined;
        const variable = rhs.v;
        out.push([name.v, (_n, e) => atomsOfValue(e.get(variable))]);
      } else return undefined;
      i += 4;
      const next = t[i];
      if (next?.t === 'name' && next.v === 'and') i++;
      else if (next?.t === 'op' && next.v === ']' && i === to - 1) return out;
      else return undefined;
    }
  }

  private noSteps(c: Compiled): Compiled {
    if (this.isOp('[') || this.isOp('/') || this.isOp('//')) throw new Refuse('steps after a primary expression');
    return c;
  }

  /** Steps from the nodes `from` yields. */
  private relative(from: (n: N, e: Env) => N[]): Compiled {
    let fn = this.step(from);
    while (this.isOp('/') || this.isOp('//')) {
      const deep = this.isOp('//');
      this.i++;
      const t = this.peek();
      if (!deep && t?.t === 'name' && this.isOp('(', 1) && FUNCTIONS.has(t.v)) return this.mapStep(fn);
      fn = this.step(deep ? descendantsOrSelf(fn) : fn);
    }
    return { kind: 'nodes', fn };
  }

  /** `path/f(…)` as the last step, f giving one string (or none) per node: strings, in document order of the nodes. */
  private mapStep(from: (n: N, e: Env) => N[]): Compiled {
    const c = this.noSteps(this.call());
    if (c.kind !== 'string') throw new Refuse('a last step that is not a string');
    const f = c.fn;
    return {
      kind: 'strings',
      fn: (n, e) => {
        const out: string[] = [];
        for (const x of inDocumentOrder(from(n, e))) {
          const v = f(x, e);
          if (v !== null) out.push(v);
        }
        return out;
      },
    };
  }

  /**
   * Boolean predicates; with `positional`, also `[k]` with k an integer literal (a position in the step's own
   * axis, see {@link step}). Predicates have a node as context item, even inside a predicate over strings.
   */
  private predicates(positional = false): (((n: N, e: Env) => boolean) | number)[] {
    const preds: (((n: N, e: Env) => boolean) | number)[] = [];
    const outer = this.stringContext;
    this.stringContext = false;
    try {
      while (this.isOp('[')) {
        this.i++;
        if (positional && this.peek()?.t === 'num' && this.isOp(']', 1)) {
          preds.push(Number(this.peek()!.v));
          this.i += 2;
          continue;
        }
        const p = this.expr();
        this.expect(']');
        // A number would select by position; a string's EBV is fine but not worth the risk of a misread.
        if (p.kind === 'number' || p.kind === 'string') throw new Refuse('non-boolean predicate');
        preds.push(ebv(p));
      }
    } finally {
      this.stringContext = outer;
    }
    return preds;
  }

  /** {@link predicates} without positions (a filter of a variable or function result: its order is not ours). */
  private booleanPredicates(): ((n: N, e: Env) => boolean)[] {
    return this.predicates() as ((n: N, e: Env) => boolean)[];
  }

  private step(from: (n: N, e: Env) => N[]): (n: N, e: Env) => N[] {
    let axis: Axis = 'child';
    let test: Test;
    if (this.isOp('..')) {
      this.i++;
      axis = 'parent';
      test = { kind: 'any', ns: '*', local: '*' };
    } else if (this.isOp('.')) {
      this.i++;
      axis = 'self';
      test = { kind: 'any', ns: '*', local: '*' };
    } else {
      if (this.isOp('@')) {
        this.i++;
        axis = 'attribute';
      } else {
        const t = this.peek();
        if (t?.t === 'name' && t.v.endsWith('::')) {
          const name = t.v.slice(0, -2);
          if (!AXES.has(name)) throw new Refuse(`axis ${name}`);
          axis = name as Axis;
          this.i++;
        }
      }
      test = this.nameTest(axis);
    }
    const all = this.predicates(POSITIONAL_AXES.has(axis));
    const needsDedupe = axis === 'parent' || axis.startsWith('ancestor') || axis.startsWith('descendant') || axis.endsWith('sibling');
    if (all.some((p) => typeof p === 'number')) {
      // `[k]` counts in each input node's own axis: the predicates run per input node, in their order.
      return (n, e) => {
        const inputs = from === CONTEXT ? [n] : from(n, e);
        const out: N[] = [];
        for (const x of inputs) {
          let xs: N[] = [];
          axisNodes(x, axis, test, xs);
          for (const p of all) xs = typeof p === 'number' ? (p >= 1 && p <= xs.length ? [xs[p - 1]!] : []) : xs.filter((y) => p(y, e));
          for (const y of xs) out.push(y);
        }
        return needsDedupe && inputs.length > 1 ? [...new Set(out)] : out;
      };
    }
    const preds = all as ((n: N, e: Env) => boolean)[];
    const keep = (out: N[], e: Env): N[] => {
      for (const p of preds) {
        let k = 0;
        for (const x of out) if (p(x, e)) out[k++] = x;
        out.length = k;
      }
      return out;
    };
    // The first step of a relative path reads the context node itself (no one-node array per call).
    if (from === CONTEXT) {
      return (n, e) => {
        const out: N[] = [];
        axisNodes(n, axis, test, out);
        return preds.length ? keep(out, e) : out;
      };
    }
    return (n, e) => {
      const inputs = from(n, e);
      let out: N[] = [];
      for (const x of inputs) axisNodes(x, axis, test, out);
      if (needsDedupe && inputs.length > 1) out = [...new Set(out)];
      return preds.length ? keep(out, e) : out;
    };
  }

  private nameTest(axis: Axis): Test {
    const kind: Test['kind'] = axis === 'attribute' ? 'attribute' : 'element';
    if (this.isOp('*')) {
      this.i++;
      return { kind, ns: '*', local: '*' };
    }
    const t = this.peek();
    if (t?.t !== 'name') throw new Refuse('name test expected');
    if ((t.v === 'node' || t.v === 'text') && this.isOp('(', 1) && this.isOp(')', 2)) {
      this.i += 3;
      if (t.v === 'text') {
        if (axis !== 'child') throw new Refuse('text() off the child axis');
        return { kind: 'text', ns: '*', local: '*' };
      }
      if (axis === 'attribute') return { kind: 'attribute', ns: '*', local: '*' };
      return { kind: 'any', ns: '*', local: '*' };
    }
    if (this.isOp('(', 1)) throw new Refuse(`kind test ${t.v}()`);
    this.i++;
    const colon = t.v.indexOf(':');
    if (colon < 0) {
      // Unprefixed: no namespace for attributes; for elements, what the resolver says about '' (none in the ANS pack).
      if (kind === 'element' && this.ns('') !== null) throw new Refuse('default element namespace');
      return { kind, ns: null, local: t.v };
    }
    const prefix = t.v.slice(0, colon);
    if (prefix === '*') return { kind, ns: '*', local: t.v.slice(colon + 1) };
    const uri = this.ns(prefix);
    if (uri === null) throw new Refuse(`unknown prefix ${prefix}`);
    return { kind, ns: uri, local: t.v.slice(colon + 1) };
  }

  /**
   * `dmpkit:doc('K')` and `dmpkit:nodes('K', 'path', 'ns')` (value-set lookups, see rewrite.ts), literal arguments
   * only: the same nodes for every document of the run, computed once (functions.ts) with our own path evaluation.
   */
  private valueSetCall(name: string): Compiled {
    this.i += 2;
    const literals: string[] = [];
    while (this.peek()?.t === 'str') {
      literals.push(this.peek()!.v);
      this.i++;
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.expect(')');
    if (name === 'dmpkit:doc') {
      if (literals.length !== 1) throw new Refuse('dmpkit:doc of a non-literal');
      const [key] = literals as [string];
      return { kind: 'nodes', stable: false, fn: () => [valueSetDocument(key) as unknown as N] };
    }
    if (literals.length !== 3) throw new Refuse('dmpkit:nodes of non-literals');
    const [key, path, ns] = literals as [string, string, string];
    const nodes = () => valueSetNodes(key, path, ns, evaluateValueSetPath) as N[];
    // A comparison reads the strings the pack's compilation stored, and never builds the value set's DOM.
    return {
      kind: 'nodes',
      stable: true,
      fn: nodes,
      strings: () => precomputedStrings(key, path, ns) ?? stringSet(nodes()),
      records: () => precomputedRecords(key, path, ns),
    };
  }

  private call(): Compiled {
    const name = this.peek()!.v;
    if (!FUNCTIONS.has(name)) throw new Refuse(`function ${name}`);
    if (name.startsWith('dmpkit:') && this.ns('dmpkit') !== DMPKIT_FN_NS) throw new Refuse('dmpkit prefix rebound');
    if (name === 'dmpkit:nodes' || name === 'dmpkit:doc') return this.valueSetCall(name);
    this.i += 2;
    const args: Compiled[] = [];
    if (!this.isOp(')')) {
      args.push(this.expr());
      while (this.isOp(',')) {
        this.i++;
        args.push(this.expr());
      }
    }
    this.expect(')');
    const arity = (k: number) => {
      if (args.length !== k) throw new Refuse(`${name}#${args.length}`);
    };
    const dot: Compiled = this.stringContext ? { kind: 'string', fn: (_n, e) => e.get(DOT) as string } : { kind: 'nodes', fn: (n) => [n] };
    /** Both arguments of a two-string function. */
    const pair = () => {
      arity(2);
      return [str(args[0]!), str(args[1]!)] as const;
    };
    switch (name) {
      case 'not': {
        arity(1);
        const a = ebv(args[0]!);
        return { kind: 'boolean', fn: (n, e) => !a(n, e) };
      }
      case 'boolean':
        arity(1);
        return { kind: 'boolean', fn: ebv(args[0]!) };
      case 'true':
      case 'false': {
        arity(0);
        const v = name === 'true';
        return { kind: 'boolean', fn: () => v };
      }
      case 'count': {
        arity(1);
        const a = args[0]!;
        if (a.kind === 'boolean') return { kind: 'number', fn: () => 1 }; // `count(@root = "…")` (sic, in IHE.sch): one boolean
        if (a.kind !== 'nodes' && a.kind !== 'strings') throw new Refuse('count of non-nodes');
        const f = a.fn as (n: N, e: Env) => unknown[];
        return { kind: 'number', fn: (n, e) => f(n, e).length };
      }
      case 'empty':
      case 'exists': {
        arity(1);
        const a = args[0]!;
        const present: (n: N, e: Env) => boolean =
          a.kind === 'nodes' && a.exists ? a.exists : a.kind === 'nodes' || a.kind === 'strings' ? (n, e) => a.fn(n, e).length > 0 : a.kind === 'boolean' ? () => true : (n, e) => (a.fn as (n: N, e: Env) => unknown)(n, e) !== null;
        return name === 'exists' ? { kind: 'boolean', fn: present } : { kind: 'boolean', fn: (n, e) => !present(n, e) };
      }
      case 'string-length': {
        if (args.length > 1) throw new Refuse('string-length#2');
        const s = str(args[0] ?? dot);
        return { kind: 'number', fn: (n, e) => codepoints(s(n, e) ?? '') };
      }
      case 'normalize-space': {
        if (args.length > 1) throw new Refuse('normalize-space#2');
        const s = str(args[0] ?? dot);
        return { kind: 'string', fn: (n, e) => (s(n, e) ?? '').replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '') };
      }
      case 'string': {
        if (args.length > 1) throw new Refuse('string#2');
        const arg = args[0];
        if (arg?.kind === 'boolean') {
          // `string(@value castable as xs:anyURI)` (sic, in StrucMin): 'true' or 'false', both true as a test.
          const b = arg.fn;
          return { kind: 'string', fn: (n, e) => (b(n, e) ? 'true' : 'false') };
        }
        const s = str(args[0] ?? dot);
        return { kind: 'string', fn: (n, e) => s(n, e) ?? '' };
      }
      case 'local-name':
      case 'name': {
        // local-name: the local part; name: the qualified name as written (prefix:local).
        if (args.length > 1) throw new Refuse(`${name}#2`);
        const a = args[0] ?? dot;
        if (a.kind !== 'nodes') throw new Refuse(`${name} of non-nodes`);
        const prop = name === 'name' ? 'nodeName' : 'localName';
        return {
          kind: 'string',
          fn: (n, e) => {
            const xs = a.fn(n, e);
            if (xs.length > 1) throw BAIL;
            const x = xs[0];
            if (!x) return '';
            if (x.nodeType === ELEMENT || x.nodeType === ATTRIBUTE) return (x as unknown as Record<string, string>)[prop]!;
            if (x.nodeType === DOCUMENT || x.nodeType === TEXT) return '';
            throw BAIL;
          },
        };
      }
      case 'matches': {
        if (args.length !== 2 && args.length !== 3) throw new Refuse(`matches#${args.length}`);
        const input = str(args[0]!);
        const pattern = str(args[1]!);
        const flags = args[2] ? str(args[2]) : undefined;
        return {
          kind: 'boolean',
          fn: (n, e) => {
            const p = pattern(n, e);
            if (p === null) throw BAIL;
            const s = input(n, e) ?? '';
            if (!flags) return xsdPattern(p)(s);
            // The 3-argument form is ours (functions.ts): the same JavaScript regex.
            const f = flags(n, e);
            if (f === null) throw BAIL;
            return xpathRegExp(p, f).test(s);
          },
        };
      }
      case 'dmpkit:resolve-QName': {
        arity(2);
        const lexical = str(args[0]!);
        const el = args[1]!;
        if (el.kind !== 'nodes') throw new Refuse('resolve-QName element');
        return {
          kind: 'string',
          fn: (n, e) => {
            const xs = el.fn(n, e);
            if (xs.length !== 1 || xs[0]!.nodeType !== ELEMENT) throw BAIL;
            const v = lexical(n, e);
            try {
              return resolveQNameString(v, xs[0] as slimdom.Element);
            } catch {
              throw BAIL; // fontoxpath reports the error
            }
          },
        };
      }
      case 'dmpkit:QName': {
        const [uri, qname] = pair();
        return {
          kind: 'string',
          fn: (n, e) => {
            const q = qname(n, e);
            if (q === null) throw BAIL;
            return qnameString(uri(n, e), q);
          },
        };
      }
      case 'string-join': {
        if (args.length !== 1 && args.length !== 2) throw new Refuse(`string-join#${args.length}`);
        const items = args[0]!;
        const sep = args[1] ? str(args[1]) : () => '';
        if (items.kind !== 'nodes' && items.kind !== 'strings' && items.kind !== 'string') throw new Refuse('string-join of other items');
        return {
          kind: 'string',
          fn: (n, e) => {
            const sp = sep(n, e);
            if (sp === null) throw BAIL;
            if (items.kind === 'nodes') return inDocumentOrder(items.fn(n, e)).map(stringValue).join(sp);
            if (items.kind === 'strings') return items.fn(n, e).join(sp);
            return items.fn(n, e) ?? '';
          },
        };
      }
      case 'concat': {
        if (args.length < 2) throw new Refuse('concat#1');
        const parts = args.map(str);
        return { kind: 'string', fn: (n, e) => parts.map((f) => f(n, e) ?? '').join('') };
      }
      case 'substring-before':
      case 'substring-after': {
        const [a, b] = pair();
        const after = name === 'substring-after';
        return {
          kind: 'string',
          fn: (n, e) => {
            const x = a(n, e) ?? '';
            const y = b(n, e) ?? '';
            const at = x.indexOf(y);
            if (at < 0) return '';
            return after ? x.slice(at + y.length) : x.slice(0, at);
          },
        };
      }
      case 'number': {
        if (args.length > 1) throw new Refuse('number#2');
        const a = args[0] ?? dot;
        if (a.kind === 'number') return a;
        const s = str(a);
        return {
          kind: 'number',
          fn: (n, e) => {
            const v = s(n, e);
            if (v === null) return NaN;
            if (DOUBLE.test(v)) return Number(v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
            if (/INF|NaN/.test(v)) throw BAIL; // the special values: fontoxpath's reading
            return NaN;
          },
        };
      }
      case 'dmpkit:all': {
        const [uri, local] = pair();
        return {
          kind: 'nodes',
          fn: (n, e) => {
            const u = uri(n, e);
            const l = local(n, e);
            if (u === null || l === null) throw BAIL;
            return [...activeElementIndex().elementsNamed(u, l)];
          },
        };
      }
      case 'substring': {
        if (args.length !== 2 && args.length !== 3) throw new Refuse(`substring#${args.length}`);
        const s = str(args[0]!);
        const nums = args.slice(1).map((a) => {
          if (a.kind !== 'number') throw new Refuse('substring position of another kind');
          return a.fn;
        });
        const [start, len] = nums;
        return {
          kind: 'string',
          fn: (n, e) => {
            const a = start!(n, e);
            const l = len ? len(n, e) : Infinity;
            if (a === null || l === null) throw BAIL; // xs:double expected: fontoxpath's type error
            return substring(s(n, e) ?? '', a, l);
          },
        };
      }
      case 'replace': {
        arity(3);
        const [s, p, r] = args.map(str);
        return {
          kind: 'string',
          fn: (n, e) => {
            const pv = p!(n, e);
            const rv = r!(n, e);
            if (pv === null || rv === null) throw BAIL;
            return atomicCall('replace', 'string', s!(n, e) ?? '', pv, rv) as string;
          },
        };
      }
      case 'iri-to-uri': {
        arity(1);
        const s = str(args[0]!);
        return { kind: 'string', fn: (n, e) => atomicCall('iri-to-uri', 'string', s(n, e) ?? '') as string };
      }
      case 'tokenize': {
        arity(2);
        const [s, p] = pair();
        return {
          kind: 'strings',
          fn: (n, e) => {
            const pv = p(n, e);
            if (pv === null) throw BAIL;
            return atomicCall('tokenize', 'strings', s(n, e) ?? '', pv) as string[];
          },
        };
      }
      case 'distinct-values': {
        arity(1);
        const a = args[0]!;
        if (a.kind === 'nodes') return { kind: 'strings', fn: (n, e) => [...new Set(inDocumentOrder(a.fn(n, e)).map(stringValue))] };
        if (a.kind === 'strings') return { kind: 'strings', fn: (n, e) => [...new Set(a.fn(n, e))] };
        if (a.kind === 'string') {
          return {
            kind: 'strings',
            fn: (n, e) => {
              const v = a.fn(n, e);
              return v === null ? [] : [v];
            },
          };
        }
        throw new Refuse('distinct-values of another kind');
      }
      default: {
        // contains, starts-with, ends-with (default collation: code points, as JavaScript compares).
        const [a, b] = pair();
        const op =
          name === 'contains'
            ? (x: string, y: string) => x.includes(y)
            : name === 'starts-with'
              ? (x: string, y: string) => x.startsWith(y)
              : (x: string, y: string) => x.endsWith(y);
        return { kind: 'boolean', fn: (n, e) => op(a(n, e) ?? '', b(n, e) ?? '') };
      }
    }
  }
}

const xsdPatterns = new Map<string, (s: string) => boolean>();

/**
 * `matches#2` as fontoxpath runs it, compiled once per pattern: a JavaScript RegExp where the pattern means the
 * same there (xsd-regex.ts), else the XSD/XPath regex engine fontoxpath uses (xspattern).
 */
function xsdPattern(p: string): (s: string) => boolean {
  const hit = xsdPatterns.get(p);
  if (hit) return hit;
  let m: (s: string) => boolean;
  const re = xsdRegExp(p);
  if (re) m = (s) => re.test(s);
  else {
    try {
      m = compileXsdPattern(p, { language: 'xpath' });
    } catch {
      throw BAIL; // FORX0002, fontoxpath's message
    }
  }
  xsdPatterns.set(p, m);
  return m;
}

/** fn:substring on code points (F&O 3.1: positions p with round(start) ≤ p < round(start) + round(length)). */
function substring(s: string, start: number, length: number): string {
  const a = Math.round(start); // round half towards positive infinity, as fn:round
  const b = length === Infinity ? Infinity : a + Math.round(length);
  const cps = /[\ud800-\udfff]/.test(s) ? [...s] : null;
  const size = cps ? cps.length : s.length;
  const from = Math.max(a, 1);
  const to = Math.min(b, size + 1);
  if (!(from < to)) return ''; // NaN included
  return cps ? cps.slice(from - 1, to - 1).join('') : s.slice(from - 1, to - 1);
}

const atomicMemo = new Map<string, string | string[] | boolean | typeof BAIL>();

/**
 * A function of strings whose semantics we do not re-implement (XSD regexes in `replace` and `tokenize`,
 * the lexical spaces of `castable as`): fontoxpath's own answer on these strings, memoized (dates, codes and
 * qualifiers repeat within and across documents). An error is fontoxpath's to report in context: {@link Bail}.
 */
function atomicCall(fn: string, returns: 'string' | 'strings' | 'boolean', ...values: string[]): string | string[] | boolean {
  const key = `${fn}\u0000${values.join('\u0000')}`;
  let v = atomicMemo.get(key);
  if (v === undefined) v = nativeAtomic(fn, values);
  if (v === undefined) {
    const vars: Record<string, string> = {};
    values.forEach((x, i) => (vars[`a${i}`] = x));
    const xpath = fn.includes('$a0') ? fn : fn.startsWith('castable ') ? `$a0 ${fn}` : `${fn}(${values.map((_, i) => `$a${i}`).join(', ')})`;
    try {
      v =
        returns === 'string'
          ? fontoxpath().evaluateXPathToString(xpath, null, null, vars)
          : returns === 'strings'
            ? fontoxpath().evaluateXPathToStrings(xpath, null, null, vars)
            : fontoxpath().evaluateXPathToBoolean(xpath, null, null, vars);
    } catch {
      v = BAIL;
    }
    if (atomicMemo.size > 50_000) atomicMemo.clear();
    atomicMemo.set(key, v);
  }
  if (v === BAIL) throw BAIL;
  return v as string | string[] | boolean;
}

/** A value-set path with our closures, in document order; undefined outside the subset (fontoxpath then evaluates it). */
function evaluateValueSetPath(path: string, resolver: (prefix: string) => string | null, document: slimdom.Document): N[] | undefined {
  const c = compileValue(path, resolver);
  if (!c || c.kind !== 'nodes') return undefined;
  try {
    return documentOrder(c.fn(document as unknown as N, NO_VARIABLES), document as unknown as N);
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

/** The values of a variable as atomized strings (nodes: their string values). */
function atomsOfValue(v: Value): string[] {
  if (v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : stringValue(x)));
  throw BAIL; // a number or a boolean: not compared as a string
}

/**
 * The unprefixed attributes of each node of a value-set lookup when they are all elements, as the pack's
 * compilation stores them for {@link filterAndSteps}; undefined otherwise.
 */
export function valueSetRecords(key: string, path: string, ns: string): Record<string, string>[] | undefined {
  const nodes = valueSetNodes(key, path, ns, evaluateValueSetPath);
  if (!nodes.every((x) => x.nodeType === ELEMENT)) return undefined;
  return nodes.map((x) => {
    const r: Record<string, string> = {};
    for (const a of (x as slimdom.Element).attributes) if (a.namespaceURI === null) r[a.localName] = a.value;
    return r;
  });
}

/**
 * The string values of a value-set lookup (`dmpkit:nodes`) in the active document source, in document order, as
 * the pack's compilation stores them; undefined when a node's string value is fontoxpath's call (CDATA).
 */
export function valueSetStrings(key: string, path: string, ns: string): string[] | undefined {
  try {
    return valueSetNodes(key, path, ns, evaluateValueSetPath).map((x) => stringValue(x as N));
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

/** Sorts nodes of one tree into document order with one walk of it (value sets hold thousands of concepts). */
function documentOrder(nodes: N[], root: N): N[] {
  if (nodes.length < 2) return nodes;
  const rank = new Map<N, number>();
  let k = 0;
  const walk = (p: N) => {
    rank.set(p, k++);
    if (p.nodeType === ELEMENT) for (const a of (p as slimdom.Element).attributes) rank.set(a as unknown as N, k++);
    for (let c = p.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(root);
  return [...new Set(nodes)].sort((a, b) => rank.get(a)! - rank.get(b)!);
}

function castableAs(value: string, type: string): boolean {
  return atomicCall(`castable as ${type}`, 'boolean', value) as boolean;
}

/** Document order (attributes after their element, before its children), as string-join sees its input. */
function inDocumentOrder(nodes: N[]): N[] {
  if (nodes.length < 2) return nodes;
  const key = (x: N): number[] => {
    const path: number[] = [];
    let cur: N | null = x;
    while (cur) {
      const parent = parentOf(cur);
      if (!parent) break;
      if (cur.nodeType === ATTRIBUTE) {
        path.push([...(parent as slimdom.Element).attributes].indexOf(cur as unknown as slimdom.Attr), 0);
      } else {
        let i = 0;
        for (let c = parent.firstChild; c && c !== cur; c = c.nextSibling) i++;
        path.push(i, 1);
      }
      cur = parent;
    }
    return path.reverse();
  };
  const keyed = nodes.map((x) => ({ x, k: key(x) }));
  keyed.sort((a, b) => {
    // from the root: [kind, index, kind, index...], kind 0 for attributes, which precede children
    for (let i = 0; i < Math.min(a.k.length, b.k.length); i++) if (a.k[i] !== b.k[i]) return a.k[i]! - b.k[i]!;
    return a.k.length - b.k.length;
  });
  return keyed.map((p) => p.x);
}

/** The context node as a sequence: the start of a relative path (recognized by `step`). */
const CONTEXT = (n: N): N[] => [n];

function descendantsOrSelf(from: (n: N, e: Env) => N[]): (n: N, e: Env) => N[] {
  // `a//b` is `a/descendant-or-self::node()/b`; only elements (and the document) have children or attributes.
  const any: Test = { kind: 'element', ns: '*', local: '*' };
  return (n, e) => {
    const out: N[] = [];
    const inputs = from(n, e);
    for (const x of inputs) {
      if (x.nodeType === DOCUMENT) out.push(x);
      axisNodes(x, x.nodeType === DOCUMENT ? 'descendant' : 'descendant-or-self', any, out);
    }
    return inputs.length > 1 ? [...new Set(out)] : out;
  };
}

function codepoints(s: string): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) k++;
  }
  return k;
}

function ebv(c: Compiled): (n: N, e: Env) => boolean {
  switch (c.kind) {
    case 'strings':
      throw new Refuse('effective boolean value of a sequence of strings');
    case 'boolean':
      return c.fn;
    case 'nodes':
      return c.exists ?? ((n, e) => c.fn(n, e).length > 0);
    case 'string':
      return (n, e) => {
        const s = c.fn(n, e);
        return s !== null && s.length > 0;
      };
    case 'number':
      return (n, e) => {
        const v = c.fn(n, e);
        return v !== null && v !== 0 && !Number.isNaN(v);
      };
  }
}

/** A single string (or empty) from an argument: more than one node is fontoxpath's type error. */
function str(c: Compiled): (n: N, e: Env) => string | null {
  switch (c.kind) {
    case 'string':
      return c.fn;
    case 'nodes':
      return (n, e) => {
        const xs = c.fn(n, e);
        if (xs.length > 1) throw BAIL;
        return xs.length ? stringValue(xs[0]!) : null;
      };
    default:
      throw new Refuse('string argument of another type');
  }
}

const DOUBLE = /^[ \t\r\n]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\r\n]*$/;

/** Untyped (node) value compared with a number: cast to xs:double; anything else is left to fontoxpath. */
function toDouble(s: string): number {
  if (!DOUBLE.test(s)) throw BAIL;
  return Number(s.trim());
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Code point order (JavaScript's < compares UTF-16 units, which differs above the BMP).
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]!.codePointAt(0)! < y[i]!.codePointAt(0)! ? -1 : 1;
  }
  return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
}

function holds(op: string, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function numCmp(op: string, a: number, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** Atomized operands: strings (untyped or xs:string) or numbers. */
function atoms(c: Compiled): (n: N, e: Env) => (string | number)[] {
  if (c.kind === 'nodes') return (n, e) => c.fn(n, e).map(stringValue);
  if (c.kind === 'strings') return c.fn;
  const f = c.fn as (n: N, e: Env) => string | number | null;
  return (n, e) => {
    const v = f(n, e);
    return v === null ? [] : [v];
  };
}

/** Arithmetic on two numbers; an empty operand gives the empty sequence. Integers stay exact (far below 2^53 here). */
function arithmetic(op: string, left: Compiled, right: Compiled): Compiled {
  if (left.kind !== 'number' || right.kind !== 'number') throw new Refuse('arithmetic on non-numbers');
  const a = left.fn;
  const b = right.fn;
  const f = op === '+' ? (x: number, y: number) => x + y : op === '-' ? (x: number, y: number) => x - y : (x: number, y: number) => x * y;
  return {
    kind: 'number',
    fn: (n, e) => {
      const x = a(n, e);
      const y = b(n, e);
      return x === null || y === null ? null : f(x, y);
    },
  };
}

const stringSets = new WeakMap<N[], Set<string>>();

function stringSet(nodes: N[]): Set<string> {
  let set = stringSets.get(nodes);
  if (!set) stringSets.set(nodes, (set = new Set(nodes.map(stringValue))));
  return set;
}

/** XPath general comparison (existential), for the operand kinds of the subset. */
function compare(op: string, left: Compiled, right: Compiled): Compiled {
  if (left.kind === 'boolean' || right.kind === 'boolean') throw new Refuse('boolean comparison');
  const numeric = left.kind === 'number' || right.kind === 'number';
  const stringy = (k: Kind) => k === 'string' || k === 'strings';
  if (numeric && (stringy(left.kind) || stringy(right.kind))) throw new Refuse('string compared with number');
  const a = atoms(left);
  const b = atoms(right);
  if (numeric) {
    const num = (v: string | number) => (typeof v === 'number' ? v : toDouble(v));
    return {
      kind: 'boolean',
      fn: (n, e) => {
        const xs = a(n, e).map(num);
        if (xs.length === 0) return false;
        const ys = b(n, e).map(num);
        for (const x of xs) for (const y of ys) if (numCmp(op, x, y)) return true;
        return false;
      },
    };
  }
  const eqOnly = op === '=' || op === '!=';
  const stableLeft = left.kind === 'nodes' && left.stable === true;
  const stableRight = right.kind === 'nodes' && right.stable === true;
  if (op === '=' && stableLeft !== stableRight) {
    // A value-set lookup: its string values indexed once.
    const [lookup, other] = stableLeft ? [left as Compiled & { kind: 'nodes' }, b] : [right as Compiled & { kind: 'nodes' }, a];
    return {
      kind: 'boolean',
      fn: (n, e) => {
        const values = lookup.strings ? lookup.strings() : stringSet(lookup.fn(n, e));
        for (const x of other(n, e) as string[]) if (values.has(x)) return true;
        return false;
      },
    };
  }
  return {
    kind: 'boolean',
    fn: (n, e) => {
      const xs = a(n, e) as string[];
      if (xs.length === 0) return false;
      const ys = b(n, e) as string[];
      for (const x of xs) for (const y of ys) if (eqOnly ? (x === y) === (op === '=') : holds(op, compareStrings(x, y))) return true;
      return false;
    },
  };
}

/**
 * XPath value comparison (`gt`...) of singletons: empty gives the empty sequence (false as a test); numbers with
 * numbers, strings (a node's value is cast to xs:string) with strings; anything else is fontoxpath's type error.
 */
function valueCompare(op: string, left: Compiled, right: Compiled): Compiled {
  if (left.kind === 'boolean' || right.kind === 'boolean') throw new Refuse('boolean comparison');
  if (left.kind === 'strings' || right.kind === 'strings') throw new Refuse('value comparison of a sequence');
  const numeric = left.kind === 'number' || right.kind === 'number';
  if (numeric && left.kind !== right.kind) throw new Refuse('value comparison of mixed types');
  const a = atoms(left);
  const b = atoms(right);
  return {
    kind: 'boolean',
    fn: (n, e) => {
      const xs = a(n, e);
      const ys = b(n, e);
      if (xs.length > 1 || ys.length > 1) throw BAIL;
      if (xs.length === 0 || ys.length === 0) return false;
      const x = xs[0]!;
      const y = ys[0]!;
      return numeric ? numCmp(op, x as number, y as number) : holds(op, compareStrings(x as string, y as string));
    },
  };
}

/**
 * The test as a boolean closure (its effective boolean value, as `xsl:if`/`xsl:when` take it), or undefined
 * when it lies outside the subset. `scope`: the variables the test may read, with their kinds.
 */
export function compileClosure(xpath: string, ns: (prefix: string) => string | null, scope: Scope = new Map()): BooleanClosure | undefined {
  const c = compileValue(xpath, ns, scope);
  if (!c || c.kind === 'strings') return undefined; // the EBV of several strings is an error: fontoxpath's to report
  return ebv(c);
}

/** Why an expression lies outside the subset (undefined when it compiles): for diagnostics and tests. */
export function closureRefusal(xpath: string, ns: (prefix: string) => string | null, scope: Scope = new Map()): string | undefined {
  try {
    new Parser(tokenize(xpath), ns, scope).parseAll();
    return undefined;
  } catch (e) {
    if (e instanceof Refuse) return e.reason;
    throw e;
  }
}

/** A `let` value (or any expression) as a typed closure, or undefined outside the subset. */
export function compileValue(xpath: string, ns: (prefix: string) => string | null, scope: Scope = new Map()): Compiled | undefined {
  try {
    return new Parser(tokenize(xpath), ns, scope).parseAll();
  } catch (e) {
    if (e instanceof Refuse) return undefined;
    throw e;
  }
}

