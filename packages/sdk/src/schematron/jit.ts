/**
 * Ahead-of-time translation of schematron tests to JavaScript with fontoxpath's compiler. Two thirds of
 * the ANS tests are simple paths and comparisons it accepts; their code is cached with the compiled pack,
 * so a cold process evaluates them without parsing any XPath. Tests it refuses (variables, custom
 * functions, constructs outside its subset) stay with the XPath evaluator: same results, only slower.
 */
import type * as Fontoxpath from 'fontoxpath';
import { fontoxpath } from './fontoxpath.js';
import type { CompiledSchematron } from './model.js';
import { compileClosure, valueSetRecords, valueSetStrings } from './closure.js';
import { compileContext } from './context-match.js';
import { DMPKIT_FN_NS } from './rewrite.js';
import { valueSetId, withDocumentSource, type DocumentSource } from './functions.js';

export type CompiledTest = (contextItem: unknown) => boolean;

/** The prefixes the evaluator binds for a schematron's expressions. */
export function schematronNamespaces(compiled: CompiledSchematron): Record<string, string> {
  return {
    xs: 'http://www.w3.org/2001/XMLSchema',
    fn: 'http://www.w3.org/2005/xpath-functions',
    xml: 'http://www.w3.org/XML/1998/namespace',
    ...compiled.namespaces,
    dmpkit: DMPKIT_FN_NS,
  };
}

/** Every rule's context parsed for dispatch, kept in the compiled form (both engines dispatch the same way). */
export function annotateContexts(compiled: CompiledSchematron): void {
  const ns = schematronNamespaces(compiled);
  for (const pattern of compiled.patterns) for (const rule of pattern.rules) rule.match = compileContext(rule.context, (p) => ns[p]);
}

/**
 * Tests our closures cover (closure.ts) get no fontoxpath code: the evaluator runs the closure, and the
 * cached pack stays small (fontoxpath's code is ~2 KB per test: 18 MB for StrucMin alone).
 */
export function annotateJavaScript(compiled: CompiledSchematron): { accepted: number; total: number } {
  const ns = schematronNamespaces(compiled);
  const resolver = (prefix: string) => ns[prefix] ?? null;
  let accepted = 0;
  let total = 0;
  for (const pattern of compiled.patterns) {
    for (const rule of pattern.rules) {
      for (const check of rule.checks) {
        total++;
        if (compileClosure(check.test, resolver)) continue;
        const code = toJavaScript(check.test, resolver);
        if (code !== undefined) {
          check.js = code;
          accepted++;
        }
      }
    }
  }
  return { accepted, total };
}

/** `dmpkit:nodes('key', 'path', 'ns')` as rewrite.ts writes it (quotes doubled inside the literals). */
const VALUE_SET_LOOKUP = /dmpkit:nodes\('((?:[^']|'')*)', '((?:[^']|'')*)', '((?:[^']|'')*)'\)/g;

/**
 * The string values of every value-set lookup the schematron's expressions make (tests, lets, contexts), and the
 * attributes of the elements a lookup selects, stored in its compiled form. A lookup that cannot be evaluated
 * here (a value set the pack lacks) is left out: at run time it then raises the same error as before, from its
 * nodes.
 */
export function annotateValueSets(compiled: CompiledSchematron, source: DocumentSource): void {
  const table: Record<string, string[]> = {};
  const records: Record<string, Record<string, string>[]> = {};
  const seen = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!v.includes('dmpkit:nodes(')) return;
      for (const m of v.matchAll(VALUE_SET_LOOKUP)) {
        const [key, path, ns] = [m[1]!, m[2]!, m[3]!].map((x) => x.split("''").join("'")) as [string, string, string];
        const id = valueSetId(key, path, ns);
        if (seen.has(id)) continue;
        seen.add(id);
        try {
          const strings = withDocumentSource(source, () => valueSetStrings(key, path, ns));
          if (strings) table[id] = strings;
          const elements = withDocumentSource(source, () => valueSetRecords(key, path, ns));
          if (elements) records[id] = elements;
        } catch {
          // evaluated (and reported) at run time
        }
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(compiled.patterns);
  visit(compiled.lets);
  if (Object.keys(table).length) compiled.valueSetStrings = table;
  if (Object.keys(records).length) compiled.valueSetRecords = records;
}

/** fontoxpath's JavaScript for a boolean XPath, or undefined when it stays with the XPath evaluator. */
export function toJavaScript(xpath: string, resolver: (prefix: string) => string | null): string | undefined {
  // Variables are bound by let clauses the compiler cannot see; custom functions are ours.
  if (xpath.includes('$') || xpath.includes('dmpkit:')) return undefined;
  try {
    // The BOOLEAN return type takes the effective boolean value, as xsl:if does (boolean() itself is not
    // on the compiler's allow list).
    const result = fontoxpath().compileXPathToJavaScript(xpath, fontoxpath().evaluateXPath.BOOLEAN_TYPE, {
      namespaceResolver: resolver,
    });
    return result.isAstAccepted ? result.code : undefined;
  } catch {
    return undefined;
  }
}

const functions = new Map<string, CompiledTest>();

/** A callable for cached code (one Function per distinct code string). */
export function loadJavaScript(code: string): CompiledTest {
  let fn = functions.get(code);
  if (!fn) {
    // The code is fontoxpath's own output, generated from the pack on this machine and cached by its hash.
    const compiledFn = new Function(code) as Parameters<typeof Fontoxpath.executeJavaScriptCompiledXPath>[0];
    fn = (contextItem: unknown) => fontoxpath().executeJavaScriptCompiledXPath(compiledFn, contextItem) as unknown as boolean;
    functions.set(code, fn);
  }
  return fn;
}
