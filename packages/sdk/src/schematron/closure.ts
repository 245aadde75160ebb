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

type N = slimdom.Node;

/** Thrown when a closure meets a case it leaves to fontoxpath (see the module comment). */
export class Bail extends Error {}
const BAIL = new Bail('outside the closure subset');

type Kind = 'nodes' | 'string' | 'number' | 'boolean';
/** A compiled subexpression: nodes → N[], string → string | null (null = empty), number → number | null. */
type Compiled =
  | { kind: 'nodes'; fn: (n: N) => N[] }
  | { kind: 'string'; fn: (n: N) => string | null }
  | { kind: 'number'; fn: (n: N) => number | null }
  | { kind: 'boolean'; fn: (n: N) => boolean };

export type BooleanClosure = (node: N) => boolean;

class Refuse extends Error {}

const ELEMENT = 1;
const ATTRIBUTE = 2;
const TEXT = 3;
const DOCUMENT = 9;
const XMLNS = 'http://www.w3.org/2000/xmlns/';

// ---- tokens ----

type Tok = { t: 'name' | 'str' | 'num' | 'op'; v: string };

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
        if (j >= src.length) throw new Refuse('unterminated string');
        if (src[j] === c) {
          if (src[j + 1] === c) {
            s += c;
            j += 2;
            continue;
          }
          break;
        }
        s += src[j++];
      }
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|^\.[0-9]+/.exec(src.slice(i))!;
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
    if ('=<>/|()[]@,.*'.includes(c)) {
      if (c === '(' && src[i + 1] === ':') throw new Refuse('comment');
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const m = /^[\p{L}_][\p{L}\p{N}_.\-·]*(?::(?:[\p{L}_][\p{L}\p{N}_.\-·]*|\*))?(?:::)?/u.exec(src.slice(i));
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
  /** 'element' | 'attribute' | 'any' (node()) */
  kind: 'element' | 'attribute' | 'any';
  ns: string | null | '*';
  local: string;
}

function testMatches(n: N, test: Test): boolean {
  if (test.kind === 'any') return true;
  if (test.kind === 'element') {
    if (n.nodeType !== ELEMENT) return false;
  } else if (n.nodeType !== ATTRIBUTE) return false;
  const e = n as unknown as { localName: string; namespaceURI: string | null };
  if (test.kind === 'attribute' && e.namespaceURI === XMLNS) return false;
  return (test.local === '*' || e.localName === test.local) && (test.ns === '*' || (e.namespaceURI ?? null) === test.ns);
}

type Axis = 'child' | 'attribute' | 'self' | 'parent' | 'descendant' | 'descendant-or-self' | 'ancestor' | 'ancestor-or-self';

function axisNodes(n: N, axis: Axis, test: Test, out: N[]): void {
  switch (axis) {
    case 'child':
      if (n.nodeType === ELEMENT || n.nodeType === DOCUMENT) {
        for (let c = n.firstChild; c; c = c.nextSibling) {
          if (test.kind === 'any' && c.nodeType !== ELEMENT) throw BAIL; // text/comment/PI children: fontoxpath's call
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
  }
}

// ---- parser → closures ----

const FUNCTIONS = new Set(['not', 'boolean', 'true', 'false', 'count', 'empty', 'exists', 'string-length', 'normalize-space', 'string', 'contains', 'starts-with', 'ends-with']);
const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly ns: (prefix: string) => string | null,
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
    let left = this.and();
    while (this.isWord('or')) {
      this.i++;
      const a = ebv(left);
      const b = ebv(this.and());
      left = { kind: 'boolean', fn: (n) => a(n) || b(n) };
    }
    return left;
  }

  private and(): Compiled {
    let left = this.comparison();
    while (this.isWord('and')) {
      this.i++;
      const a = ebv(left);
      const b = ebv(this.comparison());
      left = { kind: 'boolean', fn: (n) => a(n) && b(n) };
    }
    return left;
  }

  private comparison(): Compiled {
    const left = this.union();
    const t = this.peek();
    if (t?.t === 'op' && COMPARISONS.has(t.v)) {
      this.i++;
      return compare(t.v, left, this.union());
    }
    if (t?.t === 'name' && /^(eq|ne|lt|le|gt|ge|is|to|div|mod|idiv|intersect|instance|treat|castable|cast)$/.test(t.v)) throw new Refuse(t.v);
    return left;
  }

  private union(): Compiled {
    let left = this.path();
    for (;;) {
      const except = this.isWord('except');
      if (!this.isOp('|') && !this.isWord('union') && !except) return left;
      this.i++;
      const right = this.path();
      if (left.kind !== 'nodes' || right.kind !== 'nodes') throw new Refuse('union of non-nodes');
      const a = left.fn;
      const b = right.fn;
      left = except
        ? { kind: 'nodes', fn: (n) => { const drop = new Set(b(n)); return a(n).filter((x) => !drop.has(x)); } }
        : { kind: 'nodes', fn: (n) => [...new Set([...a(n), ...b(n)])] };
    }
  }

  private path(): Compiled {
    if (this.isOp('/') || this.isOp('//')) {
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
    if (this.isOp('(')) {
      this.i++;
      const inner = this.expr();
      this.expect(')');
      if (this.isOp('[') || this.isOp('/') || this.isOp('//')) throw new Refuse('steps after a parenthesised expression');
      return inner;
    }
    if (t.t === 'name' && this.isOp('(', 1) && !/^(node|text|comment|processing-instruction|element|attribute|document-node|schema-element|schema-attribute)$/.test(t.v)) {
      const call = this.call();
      return this.noSteps(call);
    }
    return this.relative((n) => [n]);
  }

  private noSteps(c: Compiled): Compiled {
    if (this.isOp('[') || this.isOp('/') || this.isOp('//')) throw new Refuse('steps after a primary expression');
    return c;
  }

  /** Steps from the nodes `from` yields. */
  private relative(from: (n: N) => N[]): Compiled {
    let fn = this.step(from);
    while (this.isOp('/') || this.isOp('//')) {
      const deep = this.isOp('//');
      this.i++;
      fn = this.step(deep ? descendantsOrSelf(fn) : fn);
    }
    return { kind: 'nodes', fn };
  }

  private step(from: (n: N) => N[]): (n: N) => N[] {
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
          if (!['child', 'attribute', 'self', 'parent', 'descendant', 'descendant-or-self', 'ancestor', 'ancestor-or-self'].includes(name)) throw new Refuse(`axis ${name}`);
          axis = name as Axis;
          this.i++;
        }
      }
      test = this.nameTest(axis);
    }
    const preds: ((n: N) => boolean)[] = [];
    while (this.isOp('[')) {
      this.i++;
      const p = this.expr();
      this.expect(']');
      // A number would select by position; a string's EBV is fine but not worth the risk of a misread.
      if (p.kind === 'number' || p.kind === 'string') throw new Refuse('non-boolean predicate');
      preds.push(ebv(p));
    }
    const single = from;
    const needsDedupe = axis === 'parent' || axis.startsWith('ancestor') || axis.startsWith('descendant');
    return (n: N) => {
      const inputs = single(n);
      let out: N[] = [];
      for (const x of inputs) axisNodes(x, axis, test, out);
      if (needsDedupe && inputs.length > 1) out = [...new Set(out)];
      for (const p of preds) out = out.filter(p);
      return out;
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
    if (t.v === 'node' && this.isOp('(', 1) && this.isOp(')', 2)) {
      this.i += 3;
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
    const uri = this.ns(prefix);
    if (uri === null) throw new Refuse(`unknown prefix ${prefix}`);
    return { kind, ns: uri, local: t.v.slice(colon + 1) };
  }

  private call(): Compiled {
    const name = this.peek()!.v;
    if (!FUNCTIONS.has(name)) throw new Refuse(`function ${name}`);
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
    const dot: Compiled = { kind: 'nodes', fn: (n) => [n] };
    switch (name) {
      case 'not': {
        arity(1);
        const a = ebv(args[0]!);
        return { kind: 'boolean', fn: (n) => !a(n) };
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
        if (a.kind !== 'nodes') throw new Refuse('count of non-nodes');
        return { kind: 'number', fn: (n) => a.fn(n).length };
      }
      case 'empty':
      case 'exists': {
        arity(1);
        const a = args[0]!;
        const present: (n: N) => boolean =
          a.kind === 'nodes' ? (n) => a.fn(n).length > 0 : a.kind === 'boolean' ? () => true : (n) => (a.fn as (n: N) => unknown)(n) !== null;
        return name === 'exists' ? { kind: 'boolean', fn: present } : { kind: 'boolean', fn: (n) => !present(n) };
      }
      case 'string-length': {
        if (args.length > 1) throw new Refuse('string-length#2');
        const s = str(args[0] ?? dot);
        return { kind: 'number', fn: (n) => codepoints(s(n) ?? '') };
      }
      case 'normalize-space': {
        if (args.length > 1) throw new Refuse('normalize-space#2');
        const s = str(args[0] ?? dot);
        return { kind: 'string', fn: (n) => (s(n) ?? '').replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '') };
      }
      case 'string': {
        if (args.length > 1) throw new Refuse('string#2');
        const s = str(args[0] ?? dot);
        return { kind: 'string', fn: (n) => s(n) ?? '' };
      }
      default: {
        // contains, starts-with, ends-with (default collation: code points, as JavaScript compares).
        arity(2);
        const a = str(args[0]!);
        const b = str(args[1]!);
        const op =
          name === 'contains'
            ? (x: string, y: string) => x.includes(y)
            : name === 'starts-with'
              ? (x: string, y: string) => x.startsWith(y)
              : (x: string, y: string) => x.endsWith(y);
        return { kind: 'boolean', fn: (n) => op(a(n) ?? '', b(n) ?? '') };
      }
    }
  }
}

function descendantsOrSelf(from: (n: N) => N[]): (n: N) => N[] {
  // `a//b` is `a/descendant-or-self::node()/b`; only elements (and the document) have children or attributes.
  const any: Test = { kind: 'element', ns: '*', local: '*' };
  return (n) => {
    const out: N[] = [];
    const inputs = from(n);
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

function ebv(c: Compiled): (n: N) => boolean {
  switch (c.kind) {
    case 'boolean':
      return c.fn;
    case 'nodes':
      return (n) => c.fn(n).length > 0;
    case 'string':
      return (n) => {
        const s = c.fn(n);
        return s !== null && s.length > 0;
      };
    case 'number':
      return (n) => {
        const v = c.fn(n);
        return v !== null && v !== 0 && !Number.isNaN(v);
      };
  }
}

/** A single string (or empty) from an argument: more than one node is fontoxpath's type error. */
function str(c: Compiled): (n: N) => string | null {
  switch (c.kind) {
    case 'string':
      return c.fn;
    case 'nodes':
      return (n) => {
        const xs = c.fn(n);
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

/** XPath general comparison (existential), for the operand kinds of the subset. */
function compare(op: string, left: Compiled, right: Compiled): Compiled {
  if (left.kind === 'boolean' || right.kind === 'boolean') throw new Refuse('boolean comparison');
  const numeric = left.kind === 'number' || right.kind === 'number';
  if (numeric && (left.kind === 'string' || right.kind === 'string')) throw new Refuse('string compared with number');
  // Atomized operands: strings (untyped or xs:string) or numbers.
  const atoms = (c: Compiled): ((n: N) => (string | number)[]) => {
    if (c.kind === 'nodes') return (n) => c.fn(n).map(stringValue);
    const f = c.fn as (n: N) => string | number | null;
    return (n) => {
      const v = f(n);
      return v === null ? [] : [v];
    };
  };
  const a = atoms(left);
  const b = atoms(right);
  if (numeric) {
    const num = (v: string | number) => (typeof v === 'number' ? v : toDouble(v));
    return {
      kind: 'boolean',
      fn: (n) => {
        const xs = a(n).map(num);
        if (xs.length === 0) return false;
        const ys = b(n).map(num);
        for (const x of xs) for (const y of ys) if (numCmp(op, x, y)) return true;
        return false;
      },
    };
  }
  const eqOnly = op === '=' || op === '!=';
  return {
    kind: 'boolean',
    fn: (n) => {
      const xs = a(n) as string[];
      if (xs.length === 0) return false;
      const ys = b(n) as string[];
      for (const x of xs) for (const y of ys) if (eqOnly ? (x === y) === (op === '=') : holds(op, compareStrings(x, y))) return true;
      return false;
    },
  };
}

/**
 * The test as a boolean closure (its effective boolean value, as `xsl:if`/`xsl:when` take it), or undefined
 * when it lies outside the subset.
 */
export function compileClosure(xpath: string, ns: (prefix: string) => string | null): BooleanClosure | undefined {
  if (xpath.includes('$')) return undefined;
  try {
    return ebv(new Parser(tokenize(xpath), ns).parseAll());
  } catch (e) {
    if (e instanceof Refuse) return undefined;
    throw e;
  }
}
