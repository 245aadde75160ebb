/**
 * The compiled form of one ISO schematron: includes resolved, abstract rules and patterns expanded,
 * the phase applied. Plain JSON, so that it can be cached on disk keyed by the pack's content hash.
 */

export interface SchLet {
  name: string;
  /** XPath of the value (the `value` attribute). */
  value: string;
  /** The abstract rule this let comes from (through `extends`), if any. */
  origin?: string;
}

/** A piece of an assert/report message: literal text, `<value-of select>` or `<name path>`. */
export type MessagePart = string | { select: string } | { name: string | null };

export interface SchCheck {
  kind: 'assert' | 'report';
  test: string;
  /** `@role` as written (error, warning, info, fatal...) or undefined. */
  role?: string;
  id?: string;
  message: MessagePart[];
  /** Pack-relative file and line where the check is written (after include resolution). */
  file: string;
  line: number;
  /** Stable id built from the message tag and the check's text (see rule-id.ts). */
  ruleId: string;
  /** The abstract rule this check comes from (through `extends`), if any. */
  origin?: string;
  /**
   * The test compiled to JavaScript by fontoxpath, when it can be (no variables, supported functions):
   * cached with the compiled pack so that evaluation skips XPath parsing (see jit.ts).
   */
  js?: string;
}

export interface SchRule {
  context: string;
  /**
   * The context parsed for indexed dispatch (context-match.ts), stored with the compiled pack so that a cold
   * process does not parse thousands of match patterns again.
   */
  match?: import('./context-match.js').CompiledContext;
  lets: SchLet[];
  checks: SchCheck[];
  file: string;
  line: number;
}

export interface SchPattern {
  id?: string;
  rules: SchRule[];
}

export interface CompiledSchematron {
  /** Pack-relative path of the main .sch file (the name the reports use). */
  file: string;
  title?: string;
  /** Prefix → namespace URI from `<ns>` elements. */
  namespaces: Record<string, string>;
  /** Global variables: schema, phase and pattern lets, in order (evaluated against the document root). */
  lets: SchLet[];
  patterns: SchPattern[];
  /** Phase used, `#ALL` when none. */
  phase: string;
  /**
   * Value-set documents the rules read through `doc()`/`document()`, by the key the rewritten
   * expressions use → pack-relative path (or null when the pack lacks the file: a known defect).
   */
  documents: Record<string, string | null>;
  /**
   * The string values of each context-free value-set lookup (`dmpkit:nodes`, by `valueSetId` in functions.ts), in document
   * order, computed when the pack is compiled: comparing a code with a value set then needs no DOM of the value
   * set (a cold document would build ~200 KB of them).
   */
  valueSetStrings?: Record<string, string[]>;
  /**
   * For the lookups that select elements (`//svs:Concept`), each element's unprefixed attributes: a check that such
   * a lookup filtered by attribute equalities is not empty then needs no DOM either (closure.ts, filterAndSteps).
   */
  valueSetRecords?: Record<string, Record<string, string>[]>;
  /** What the compiler worked around or noticed (case-insensitive includes, known missing files...). */
  notes: string[];
}

export class SchematronCompileError extends Error {
  override readonly name = 'SchematronCompileError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`);
  }
}
