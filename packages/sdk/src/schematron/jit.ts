/**
 * Ahead-of-time translation of schematron tests to JavaScript with fontoxpath's compiler. Two thirds of
 * the ANS tests are simple paths and comparisons it accepts; their code is cached with the compiled pack,
 * so a cold process evaluates them without parsing any XPath. Tests it refuses (variables, custom
 * functions, constructs outside its subset) stay with the XPath evaluator: same results, only slower.
 */
import fontoxpath from 'fontoxpath';
import type { CompiledSchematron } from './model.js';

export type CompiledTest = (contextItem: unknown) => boolean;

export function annotateJavaScript(compiled: CompiledSchematron): { accepted: number; total: number } {
  const resolver = (prefix: string) => compiled.namespaces[prefix] ?? null;
  let accepted = 0;
  let total = 0;
  for (const pattern of compiled.patterns) {
    for (const rule of pattern.rules) {
      for (const check of rule.checks) {
        total++;
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

/** fontoxpath's JavaScript for a boolean XPath, or undefined when it stays with the XPath evaluator. */
export function toJavaScript(xpath: string, resolver: (prefix: string) => string | null): string | undefined {
  // Variables are bound by let clauses the compiler cannot see; custom functions are ours.
  if (xpath.includes('$') || xpath.includes('dmpkit:')) return undefined;
  try {
    // The BOOLEAN return type takes the effective boolean value, as xsl:if does (boolean() itself is not
    // on the compiler's allow list).
    const result = fontoxpath.compileXPathToJavaScript(xpath, fontoxpath.evaluateXPath.BOOLEAN_TYPE, {
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
    const compiledFn = new Function(code) as Parameters<typeof fontoxpath.executeJavaScriptCompiledXPath>[0];
    fn = (contextItem: unknown) => fontoxpath.executeJavaScriptCompiledXPath(compiledFn, contextItem) as unknown as boolean;
    functions.set(code, fn);
  }
  return fn;
}
