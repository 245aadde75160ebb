/**
 * Runs a {@link CompiledSchematron} over a document with ISO semantics: within each pattern, every
 * element and attribute (and the document node) is handled by the first rule whose context matches it;
 * asserts fail when their test is false, reports fire when it is true.
 *
 * This is the straightforward evaluator ("reference" engine): one XPath evaluation per rule context,
 * then per check. Lets become XPath 3.1 `let` clauses in front of each expression, which keeps their
 * sequence values intact (fontoxpath would turn a JavaScript array variable into an XPath array).
 */
import { fontoxpath } from './fontoxpath.js';
import type * as slimdom from 'slimdom';
import type { CompiledSchematron, SchCheck, SchLet, SchRule } from './model.js';
import { splitLiterals } from './rewrite.js';
import { withDocumentIndex, withDocumentSource, type DocumentSource } from './functions.js';
import { compileContext, NodeIndex, structurallyMatches, type CompiledContext, type Step } from './context-match.js';
import { loadJavaScript, schematronNamespaces, toJavaScript } from './jit.js';
import { Bail, compileClosure, compileValue, type BooleanClosure, type Compiled, type Env, type Kind, type Scope, type Value } from './closure.js';

export interface SchematronHit {
  check: SchCheck;
  node: slimdom.Node;
  /** The message with value-of/name filled in and white space normalised. */
  message: string;
}

export interface SchematronEvalError {
  /** The check, or the rule whose context failed. */
  check?: SchCheck;
  rule: SchRule;
  node?: slimdom.Node;
  error: string;
}

export interface SchematronResult {
  hits: SchematronHit[];
  errors: SchematronEvalError[];
}

const ELEMENT = 1;
const ATTRIBUTE = 2;
const DOCUMENT = 9;

export class SchematronEvaluator {
  private readonly resolver: (prefix: string) => string | null;
  private readonly contexts = new Map<SchRule, CompiledContext>();
  private readonly globals: ReadonlySet<string>;

  private readonly reference: boolean;

  constructor(
    readonly compiled: CompiledSchematron,
    private readonly documents: DocumentSource,
    /**
     * reference: tests as ANS wrote them (no rewrite), no grouping, no JavaScript — each check is one plain XPath
     * evaluation. Rule dispatch still uses the context index: without it every rule is a full traversal by the
     * XPath engine and one document takes many minutes (its equivalence is tested in context-match tests).
     */
    options: { reference?: boolean } = {},
  ) {
    this.reference = options.reference === true;
    const ns = schematronNamespaces(compiled);
    this.resolver = (prefix: string) => ns[prefix] ?? null;
    // Global variables in the reference XSLT: evaluated from the root.
    this.globals = new Set(compiled.lets.map((l) => l.name));
    for (const p of compiled.patterns) for (const r of p.rules) this.contexts.set(r, r.match ?? compileContext(r.context, (x) => ns[x]));
  }

  /** `index` may be shared by the schematrons that judge the same document. */
  run(document: slimdom.Document, index: NodeIndex = new NodeIndex(document)): SchematronResult {
    return withDocumentSource(this.documents, () => withDocumentIndex(index, () => this.runPatterns(document, index)));
  }

  /** Nodes the rule's context matches (a superset filtered by the caller for node kinds). */
  private match(rule: SchRule, document: slimdom.Document, index: NodeIndex): slimdom.Node[] {
    const compiled = this.contexts.get(rule);
    if (!compiled?.alternatives) {
      return fontoxpath().evaluateXPathToNodes(this.wrap([], `//(${rule.context})`), document, null, {}, {
        namespaceResolver: this.resolver,
      }) as slimdom.Node[];
    }
    const out: slimdom.Node[] = [];
    for (const alt of compiled.alternatives) {
      const last = alt.steps[alt.steps.length - 1]!;
      const parent = alt.steps[alt.steps.length - 2];
      // `…/X/*[…]` (hundreds of StrucMin contexts): the children of the X elements, not every element.
      const candidates =
        last.test.kind === 'element' && last.test.local === '*' && last.sep === '/' && parent && parent.test.local !== '*' && alt.templateIdRoot === undefined
          ? index.childrenOf(parent.test)
          : index.candidates(last.test, alt.templateIdRoot);
      const predicates = alt.verify !== null && alt.hasPredicates ? this.stepClosures(alt.steps) : undefined;
      for (const cand of candidates) {
        if (alt.verify !== null) {
          if (predicates) {
            let ok: boolean;
            try {
              ok = structurallyMatches(cand, alt.steps, predicates);
            } catch (e) {
              if (!(e instanceof Bail)) throw e;
              ok = structurallyMatches(cand, alt.steps) && this.verifier(alt.verify)(cand);
            }
            if (!ok) continue;
          } else {
            if (!structurallyMatches(cand, alt.steps)) continue;
            if (alt.hasPredicates && !this.verifier(alt.verify)(cand)) continue;
          }
        }
        out.push(cand as slimdom.Node);
      }
    }
    return out;
  }

  private readonly stepClosureCache = new Map<readonly Step[], ((n: slimdom.Node) => boolean)[][] | null>();
  /**
   * Predicate results of the run in progress, per predicate text and node: hundreds of contexts share their
   * ancestor steps (`//hl7:ClinicalDocument[hl7:typeId[…]]/hl7:recordTarget[not(@nullFlavor)]/…`).
   */
  private predicateMemo = new Map<string, Map<slimdom.Node, boolean>>();

  /** The predicates of every step as (memoized) closures, or undefined when one of them is outside the subset. */
  private stepClosures(steps: readonly Step[]): ((n: slimdom.Node) => boolean)[][] | undefined {
    if (this.reference) return undefined;
    let c = this.stepClosureCache.get(steps);
    if (c === undefined) {
      const all = steps.map((st) => st.predicates.map((p) => [p, this.closure(p)] as const));
      c = all.every((ps) => ps.every(([, fn]) => fn !== undefined))
        ? all.map((ps) =>
            ps.map(([text, fn]) => (n: slimdom.Node) => {
              let memo = this.predicateMemo.get(text);
              if (!memo) this.predicateMemo.set(text, (memo = new Map()));
              let v = memo.get(n);
              if (v === undefined) {
                v = fn!(n, this.globalEnv);
                memo.set(n, v);
              }
              return v;
            }),
          )
        : null;
      this.stepClosureCache.set(steps, c);
    }
    return c ?? undefined;
  }

  private readonly closures = new Map<string, BooleanClosure | null>();
  private readonly ruleClosures = new Map<SchRule, Map<string, BooleanClosure | null>>();

  /**
   * A test as a closure (closure.ts), or undefined outside the subset. Tests without variables are shared by
   * every rule with the same text; the others are compiled against the rule's lets (and the global ones).
   */
  private closure(xpath: string, rule?: SchRule): BooleanClosure | undefined {
    if (this.reference) return undefined;
    const cache = rule && xpath.includes('$') ? (this.ruleClosures.get(rule) ?? this.ruleClosures.set(rule, new Map()).get(rule)!) : this.closures;
    let c = cache.get(xpath);
    if (c === undefined) {
      const scope = rule ? this.letsOf(rule).scope : this.globalLets().scope;
      const key = scopedKey(xpath, scope);
      c = this.sharedClosures.get(key);
      if (c === undefined) {
        c = compileClosure(xpath, this.resolver, scope) ?? null;
        this.sharedClosures.set(key, c);
      }
      cache.set(xpath, c);
    }
    return c ?? undefined;
  }

  /**
   * Closures and let values by text and the kinds of the variables they read, across rules: a closure
   * depends on nothing else (variables are read from the run's environment by name), and the rules made from
   * one abstract rule or datatype template repeat the same tests and lets (one cold document compiled 2,192
   * expressions for 752 distinct texts).
   */
  private readonly sharedClosures = new Map<string, BooleanClosure | null>();
  private readonly sharedValues = new Map<string, Compiled | null>();

  private compileShared = (xpath: string, scope: Scope): Compiled | undefined => {
    const key = scopedKey(xpath, scope);
    let c = this.sharedValues.get(key);
    if (c === undefined) {
      c = compileValue(xpath, this.resolver, scope) ?? null;
      this.sharedValues.set(key, c);
    }
    return c ?? undefined;
  };

  private globalCompiled?: CompiledLets;
  private readonly ruleLets = new Map<SchRule, CompiledLets>();

  /** The global lets as closures (those outside the subset are in the scope as null: tests reading them are refused). */
  private globalLets(): CompiledLets {
    return (this.globalCompiled ??= compileLets(this.compiled.lets, new Map(), this.compileShared));
  }

  private letsOf(rule: SchRule): CompiledLets {
    let c = this.ruleLets.get(rule);
    if (!c) {
      c = compileLets(rule.lets, this.globalLets().scope, this.compileShared);
      this.ruleLets.set(rule, c);
    }
    return c;
  }

  /** The global variables of the run in progress, computed from the root on first use. */
  private globalEnv: Env = { get: () => { throw new Error('no run in progress'); } };

  /**
   * `let` clauses for the variables `body` needs (directly or through other lets): global ones evaluated
   * from the root, then the rule's. Only what is referenced is bound, so most expressions stay short.
   */
  private wrap(lets: readonly SchLet[], body: string): string {
    const local = neededLets(lets, body);
    const globals = neededLets(this.compiled.lets, [body, ...local.map((l) => l.value)].join(' '));
    const clauses = [
      ...globals.map((l) => `$${l.name} := root(.) ! (${l.value})`),
      ...local.map((l) => `$${l.name} := (${l.value})`),
    ];
    return clauses.length ? `let ${clauses.join(', ')} return (${body})` : body;
  }

  private readonly verifiers = new Map<string, (node: unknown) => boolean>();

  /** The context check of a candidate node: compiled to JavaScript when fontoxpath can, XPath otherwise. */
  private verifier(verify: string): (node: unknown) => boolean {
    let fn = this.verifiers.get(verify);
    if (!fn) {
      const code = this.reference ? undefined : toJavaScript(verify, this.resolver);
      const expression = this.wrap([], verify);
      fn = code !== undefined
        ? loadJavaScript(code)
        : (node: unknown) => fontoxpath().evaluateXPathToBoolean(expression, node as slimdom.Node, null, {}, { namespaceResolver: this.resolver });
      this.verifiers.set(verify, fn);
    }
    return fn;
  }

  private runPatterns(document: slimdom.Document, index: NodeIndex): SchematronResult {
    this.globalEnv = new LetEnv(document, this.globalLets().values, undefined);
    this.predicateMemo = new Map();
    const hits: SchematronHit[] = [];
    const errors: SchematronEvalError[] = [];
    for (const pattern of this.compiled.patterns) {
      const claimed = new Set<slimdom.Node>();
      for (const rule of pattern.rules) {
        let nodes: slimdom.Node[];
        try {
          nodes = this.match(rule, document, index);
        } catch (e) {
          errors.push({ rule, error: `context "${rule.context}": ${(e as Error).message}` });
          continue;
        }
        for (const node of nodes) {
          const t = node.nodeType;
          if ((t !== ELEMENT && t !== ATTRIBUTE && t !== DOCUMENT) || claimed.has(node)) continue;
          claimed.add(node);
          this.fire(rule, node, hits, errors);
        }
      }
    }
    return { hits, errors };
  }

  /**
   * All checks of a rule on one node. Checks our closures cover (closure.ts) run first, then those fontoxpath
   * compiled to JavaScript. The others run in as few XPath evaluations as possible, each computing its lets
   * once: one per abstract rule the checks come from (the same text for every rule that extends it, so
   * fontoxpath parses it once per process), one for the rule's own checks. If an evaluation raises a dynamic
   * error, its checks are re-run one by one so that only the faulty one is reported.
   */
  private fire(rule: SchRule, node: slimdom.Node, hits: SchematronHit[], errors: SchematronEvalError[]): void {
    const values = new Map<SchCheck, boolean>();
    for (const group of this.reference ? [] : this.groups(rule)) {
      if (group.checks.length < 2) continue;
      try {
        const out = fontoxpath().evaluateXPath(group.expression, node, null, {}, fontoxpath().evaluateXPath.ALL_RESULTS_TYPE, {
          namespaceResolver: this.resolver,
        }) as boolean[];
        group.checks.forEach((c, k) => values.set(c, out[k]!));
      } catch {
        // re-run one by one below
      }
    }
    let env: Env | undefined;
    for (const check of rule.checks) {
      let value: boolean | undefined;
      try {
        const closure = this.closure(check.test, rule);
        if (closure) {
          try {
            value = closure(node, (env ??= new LetEnv(node, this.letsOf(rule).values, this.globalEnv)));
          } catch (e) {
            if (!(e instanceof Bail)) throw e; // a case the closure leaves to fontoxpath: evaluated below
          }
        }
        if (value !== undefined) {
          // decided by the closure
        } else if (check.js !== undefined && !this.reference) value = loadJavaScript(check.js)(node);
        else value = values.get(check) ?? fontoxpath().evaluateXPathToBoolean(this.checkExpression(rule, check), node, null, {}, { namespaceResolver: this.resolver });
      } catch (e) {
        errors.push({ check, rule, node, error: (e as Error).message });
        continue;
      }
      if (check.kind === 'assert' ? value : !value) continue;
      hits.push({ check, node, message: this.message(rule, check, node) });
    }
  }

  private readonly checkExpressions = new Map<SchCheck, string>();

  /** One check as a boolean XPath with the lets it needs (built once: `wrap` scans for variables). */
  private checkExpression(rule: SchRule, check: SchCheck): string {
    let e = this.checkExpressions.get(check);
    if (e === undefined) {
      e = this.wrap(rule.lets, `boolean(${check.test})`);
      this.checkExpressions.set(check, e);
    }
    return e;
  }

  private readonly groupCache = new Map<SchRule, { checks: SchCheck[]; expression: string }[]>();

  /** The checks left to the XPath evaluator, grouped by origin with the lets each group needs. */
  private groups(rule: SchRule): { checks: SchCheck[]; expression: string }[] {
    let groups = this.groupCache.get(rule);
    if (groups) return groups;
    const byOrigin = new Map<string, SchCheck[]>();
    const mixed: SchCheck[] = [];
    const letsOf = (origin: string) => rule.lets.filter((l) => (l.origin ?? '') === origin);
    for (const check of rule.checks) {
      if (check.js !== undefined || this.closure(check.test, rule)) continue;
      const origin = check.origin ?? '';
      // A check whose variables (or whose lets' variables) come from elsewhere keeps all the rule's lets.
      const own = new Set(letsOf(origin).map((l) => l.name));
      const needs = variablesOf([check.test, ...letsOf(origin).map((l) => l.value)].join(' '));
      if ([...needs].every((v) => own.has(v) || this.globals.has(v))) {
        const list = byOrigin.get(origin) ?? [];
        list.push(check);
        byOrigin.set(origin, list);
      } else mixed.push(check);
    }
    const build = (lets: readonly SchLet[], checks: SchCheck[]) => ({
      checks,
      expression: this.wrap(lets, checks.map((c) => `boolean(${c.test})`).join(',\n')),
    });
    groups = [...byOrigin.entries()].map(([origin, checks]) => build(letsOf(origin), checks));
    if (mixed.length) groups.push(build(rule.lets, mixed));
    this.groupCache.set(rule, groups);
    return groups;
  }

  private message(rule: SchRule, check: SchCheck, node: slimdom.Node): string {
    const out: string[] = [];
    for (const part of check.message) {
      if (typeof part === 'string') {
        out.push(part);
        continue;
      }
      const expr =
        'select' in part
          ? `string-join(for $v in (${part.select}) return string($v), ' ')`
          : part.name === null
            ? 'name(.)'
            : `name(${part.name})`;
      try {
        out.push(fontoxpath().evaluateXPathToString(this.wrap(rule.lets, expr), node, null, {}, { namespaceResolver: this.resolver }));
      } catch (e) {
        if (process.env['DMPKIT_DEBUG']) process.stderr.write(`value-of failed: ${expr}: ${(e as Error).message}\n`);
        out.push('?');
      }
    }
    return out.join('').replace(/\s+/g, ' ').trim();
  }
}

/** Names of the variables an expression references (`$name`), literals excluded. */
function variablesOf(xpath: string): Set<string> {
  const names = new Set<string>();
  for (const seg of splitLiterals(xpath)) {
    if (seg.literal) continue;
    // XPath names may hold any letter (ANS writes `$EntréeAbordVeineuxPeriph`).
    for (const m of seg.text.matchAll(/\$([\p{L}\p{N}_.\-·]+)/gu)) names.add(m[1]!);
  }
  return names;
}

/** A compiled expression's identity: its text and what it was told of each variable it may read. */
function scopedKey(xpath: string, scope: Scope): string {
  if (!xpath.includes('$')) return xpath;
  let key = xpath;
  for (const v of variablesOf(xpath)) key += `\u0000${v}=${scope.has(v) ? String(scope.get(v)) : '-'}`;
  return key;
}

/** The lets an expression needs, directly or through other lets, in their original order. */
function neededLets(lets: readonly SchLet[], xpath: string): SchLet[] {
  if (lets.length === 0) return [];
  const need = variablesOf(xpath);
  for (let i = lets.length - 1; i >= 0; i--) {
    const l = lets[i]!;
    if (need.has(l.name)) for (const v of variablesOf(l.value)) need.add(v);
  }
  return lets.filter((l) => need.has(l.name));
}

interface CompiledLets {
  /** Every variable in scope after these lets, with its kind (null: outside the closure subset). */
  scope: Scope;
  /** The lets compiled to closures. */
  values: ReadonlyMap<string, Compiled>;
}

function compileLets(lets: readonly SchLet[], outer: Scope, compile: (xpath: string, scope: Scope) => Compiled | undefined): CompiledLets {
  const scope = new Map<string, Kind | null>(outer);
  const values = new Map<string, Compiled>();
  for (const l of lets) {
    const c = compile(l.value, scope);
    scope.set(l.name, c ? c.kind : null);
    if (c) values.set(l.name, c);
    else values.delete(l.name);
  }
  return { scope, values };
}

/** Variables of one rule firing (or of the document, for global lets): each computed on first use, at `node`. */
class LetEnv implements Env {
  private readonly memo = new Map<string, Value>();
  constructor(
    private readonly node: slimdom.Node,
    private readonly values: ReadonlyMap<string, Compiled>,
    private readonly parent: Env | undefined,
  ) {}

  get(name: string): Value {
    if (this.memo.has(name)) return this.memo.get(name)!;
    const c = this.values.get(name);
    if (!c) {
      if (!this.parent) throw new Error(`unbound variable $${name}`);
      return this.parent.get(name);
    }
    const v = c.fn(this.node, this);
    this.memo.set(name, v);
    return v;
  }
}
