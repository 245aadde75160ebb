/**
 * ISO schematron → {@link CompiledSchematron}: what the reference's three XSLT passes
 * (iso_dsdl_include, iso_abstract_expand, iso_svrl_for_xslt2) do, in one step and with loud failures:
 * an include or value-set file that cannot be found fails the compile unless the pack's known
 * defects list it (the reference silently drops the pattern; we say so in `notes`).
 */
import * as path from 'node:path';
import type { CompiledSchematron, MessagePart, SchCheck, SchLet, SchPattern, SchRule } from './model.js';
import { SchematronCompileError } from './model.js';
import { cloneTree, elementChildren, readSchFile, type SchNode } from './tree.js';
import { resolvePackFile } from './resolve.js';
import { rewriteExpression, collectDocumentRefs, hoistValueSetPaths, indexAbsoluteDescendants } from './rewrite.js';
import { ruleIdFor } from './rule-id.js';

export interface KnownDefects {
  /** Pack-relative paths of included files known to be missing from the pack. */
  missingIncludes: ReadonlySet<string>;
  /** Pack-relative paths of value-set files known to be missing. */
  missingDocuments: ReadonlySet<string>;
  /** Pack-relative paths of missing value-set files that the document source builds in memory. */
  synthesizedDocuments?: ReadonlySet<string>;
}

export interface CompileOptions {
  /** Absolute root of the rule pack; reports name files relative to it. */
  packRoot: string;
  defects?: KnownDefects;
  /** Phase to run; default: the schema's defaultPhase, else all patterns. */
  phase?: string;
  /**
   * Rewrite tests for speed (value-set paths hoisted, absolute //name paths answered from the element index).
   * Default true; false keeps every test as ANS wrote it (the reference engine).
   */
  optimize?: boolean;
}

const NO_DEFECTS: KnownDefects = { missingIncludes: new Set(), missingDocuments: new Set() };

export function compileSchematron(mainFile: string, options: CompileOptions): CompiledSchematron {
  const packRoot = path.resolve(options.packRoot);
  const defects = options.defects ?? NO_DEFECTS;
  const rel = (abs: string) => path.relative(packRoot, abs).split(path.sep).join('/');
  const notes: string[] = [];
  const mainAbs = path.resolve(mainFile);

  // 1. Includes (recursively), replaced by the included document element.
  const expandIncludes = (node: SchNode, seen: string[]): SchNode => {
    const children: (SchNode | string)[] = [];
    for (const c of node.children) {
      if (typeof c === 'string') {
        children.push(c);
        continue;
      }
      if (c.name !== 'include') {
        children.push(expandIncludes(c, seen));
        continue;
      }
      const href = c.attrs['href'];
      if (!href) throw new SchematronCompileError('<include> without href', rel(c.file), c.line);
      const wanted = path.resolve(path.dirname(c.file), href);
      const found = resolvePackFile(wanted);
      if (!found) {
        if (defects.missingIncludes.has(rel(wanted))) {
          notes.push(`known defect: ${rel(c.file)} includes missing ${rel(wanted)}; its patterns are absent (as in the reference)`);
          continue;
        }
        throw new SchematronCompileError(`unresolved include "${href}" (no file ${rel(wanted)})`, rel(c.file), c.line);
      }
      if (found !== wanted) notes.push(`${rel(c.file)}: include "${href}" resolved case-insensitively to ${rel(found)}`);
      if (seen.includes(found)) throw new SchematronCompileError(`include cycle through ${rel(found)}`, rel(c.file), c.line);
      children.push(expandIncludes(readSchFile(found), [...seen, found]));
    }
    return { ...node, children };
  };
  const schema = expandIncludes(readSchFile(mainAbs), [mainAbs]);
  if (schema.name !== 'schema') {
    throw new SchematronCompileError(`root element is <${schema.name.replace('#foreign:', '')}>, not an ISO <schema>`, rel(mainAbs), schema.line);
  }

  // 2. Collect declarations anywhere in the expanded tree.
  const namespaces: Record<string, string> = {};
  const abstractRules = new Map<string, SchNode>();
  const abstractPatterns = new Map<string, SchNode>();
  const walk = (n: SchNode) => {
    for (const c of elementChildren(n)) {
      if (c.name === 'ns' && c.attrs['prefix'] !== undefined && c.attrs['uri'] !== undefined) namespaces[c.attrs['prefix']] = c.attrs['uri'];
      if (c.name === 'rule' && c.attrs['abstract'] === 'true' && c.attrs['id']) abstractRules.set(c.attrs['id'], c);
      if (c.name === 'pattern' && c.attrs['abstract'] === 'true' && c.attrs['id']) abstractPatterns.set(c.attrs['id'], c);
      walk(c);
    }
  };
  walk(schema);

  // Value-set paths are often global lets holding a literal (`<let name="jdv_x" value="'../jeuxDeValeurs/x.xml'"/>`)
  // passed to document() through an abstract pattern parameter: inline those so the path is known at compile time.
  const literalLets = new Map<string, string>();
  const globalLetNodes = [
    ...elementChildren(schema, 'let'),
    ...elementChildren(schema, 'phase').flatMap((ph) => elementChildren(ph, 'let')),
    ...elementChildren(schema, 'pattern')
      .filter((p) => p.attrs['abstract'] !== 'true')
      .flatMap((p) => elementChildren(p, 'let')),
  ];
  for (const l of globalLetNodes) {
    const v = l.attrs['value'];
    if (l.attrs['name'] && v !== undefined && /^\s*('[^']*'|"[^"]*")\s*$/.test(v)) literalLets.set(l.attrs['name'].trim(), v.trim());
  }
  const inlineDocVars = (xpath: string) =>
    xpath.replace(/(?<![\w:.\-])(doc|document)\(\s*\$([\p{L}\p{N}_.\-·]+)\s*\)/gu, (m, fn: string, name: string) =>
      literalLets.has(name) ? `${fn}(${literalLets.get(name)})` : m,
    );

  const documents: Record<string, string | null> = {};
  const baseDir = path.dirname(mainAbs);
  // The doc() path rewrites, which every expression and match pattern gets (a rule context stays a pattern:
  // context-match.ts reads its steps, so the speed rewrites below never apply to it).
  const expr = (source: string, at: SchNode): string => {
    const xpath = inlineDocVars(source);
    // Value-set paths resolve against the main schematron's folder: the reference compiles the .xsl next to it.
    let refs: string[];
    try {
      refs = collectDocumentRefs(xpath);
    } catch (e) {
      throw new SchematronCompileError((e as Error).message, rel(at.file), at.line);
    }
    for (const ref of refs) {
      const abs = path.resolve(baseDir, ref);
      const found = resolvePackFile(abs);
      const key = rel(found ?? abs);
      if (!found && defects.synthesizedDocuments?.has(key)) {
        notes.push(`value set ${key} is missing from the pack; built from the pack's own source (known defect)`);
        documents[key] = key;
        continue;
      }
      if (!found && !defects.missingDocuments.has(rel(abs))) {
        throw new SchematronCompileError(`value-set file "${ref}" not found (${rel(abs)})`, rel(at.file), at.line);
      }
      if (!found) notes.push(`known defect: value set ${rel(abs)} is missing; rules reading it report an evaluation error if they fire`);
      else if (found !== abs) notes.push(`value set "${ref}" resolved case-insensitively to ${key}`);
      documents[key] = found ? key : null;
    }
    return rewriteExpression(xpath, (ref) => rel(resolvePackFile(path.resolve(baseDir, ref)) ?? path.resolve(baseDir, ref)));
  };
  /** The speed rewrites of an expression (not of a match pattern), unless the reference engine asked for none. */
  const optimized = (xpath: string): string => (options.optimize === false ? xpath : indexAbsoluteDescendants(hoistValueSetPaths(xpath, namespaces), namespaces));

  const letOf = (l: SchNode): SchLet => {
    // XSLT trims QName-valued attributes: ANS writes `name="jdv_X "` at least once.
    const name = l.attrs['name']?.trim();
    const value = l.attrs['value'];
    if (!name || value === undefined) throw new SchematronCompileError('<let> needs name and value', rel(l.file), l.line);
    return { name, value: optimized(expr(value, l)) };
  };
  const lets = (n: SchNode): SchLet[] => elementChildren(n, 'let').map(letOf);

  // 3. Rules: inline `extends` of abstract rules, in place.
  // `origin` marks what an abstract rule brought in, so that the evaluator can share one XPath per
  // abstract rule across the hundreds of rules that extend it.
  const ruleBody = (n: SchNode, depth: number, out: { lets: SchLet[]; checks: SchCheck[] }, origin?: string) => {
    if (depth > 20) throw new SchematronCompileError('extends nested too deep (cycle?)', rel(n.file), n.line);
    const tag = <T extends object>(x: T): T => (origin === undefined ? x : { ...x, origin });
    for (const c of elementChildren(n)) {
      if (c.name === 'let') out.lets.push(tag(letOf(c)));
      else if (c.name === 'assert' || c.name === 'report') out.checks.push(tag(check(c)));
      else if (c.name === 'extends') {
        const target = c.attrs['rule'] ? abstractRules.get(c.attrs['rule']) : undefined;
        if (!target) throw new SchematronCompileError(`extends an unknown abstract rule "${c.attrs['rule'] ?? ''}"`, rel(c.file), c.line);
        ruleBody(target, depth + 1, out, origin ?? c.attrs['rule']);
      }
    }
  };

  const check = (c: SchNode): SchCheck => {
    const test = c.attrs['test'];
    if (test === undefined) throw new SchematronCompileError(`<${c.name}> without test`, rel(c.file), c.line);
    const message = messageParts(c, (x) => optimized(expr(x, c)));
    const file = rel(c.file);
    const written = expr(test, c);
    return {
      kind: c.name as 'assert' | 'report',
      test: optimized(written),
      ...(c.attrs['role'] !== undefined ? { role: c.attrs['role'] } : {}),
      ...(c.attrs['id'] !== undefined ? { id: c.attrs['id'] } : {}),
      message,
      file,
      line: c.line,
      // From the test as written (doc() paths made pack-relative), not the engine's rewrite: ids do not depend on the engine.
      ruleId: ruleIdFor(c.attrs['id'], message, file, written),
    };
  };

  const rule = (r: SchNode): SchRule => {
    const context = r.attrs['context'];
    if (!context) throw new SchematronCompileError('<rule> without context', rel(r.file), r.line);
    const body = { lets: [] as SchLet[], checks: [] as SchCheck[] };
    ruleBody(r, 0, body);
    return { context: expr(context, r), lets: body.lets, checks: body.checks, file: rel(r.file), line: r.line };
  };

  // 4. Patterns, with abstract ones instantiated through is-a + param (textual, as iso_abstract_expand).
  const pattern = (p: SchNode): SchPattern => {
    let source = p;
    if (p.attrs['is-a']) {
      const abs = abstractPatterns.get(p.attrs['is-a']);
      if (!abs) throw new SchematronCompileError(`is-a an unknown abstract pattern "${p.attrs['is-a']}"`, rel(p.file), p.line);
      const params = new Map<string, string>();
      for (const prm of elementChildren(p, 'param')) {
        if (prm.attrs['name'] !== undefined) params.set(prm.attrs['name'].trim(), prm.attrs['value'] ?? '');
      }
      source = cloneTree(abs, (v) => substituteParams(v, params));
    }
    const rules = elementChildren(source, 'rule').filter((r) => r.attrs['abstract'] !== 'true').map(rule);
    return { ...(p.attrs['id'] !== undefined ? { id: p.attrs['id'] } : {}), rules };
  };

  const allPatterns = elementChildren(schema, 'pattern').filter((p) => p.attrs['abstract'] !== 'true');

  // 5. Phase.
  const phaseName = options.phase ?? schema.attrs['defaultPhase'] ?? '#ALL';
  let active = allPatterns;
  // Schema, phase and pattern lets are all global variables in the reference XSLT, whatever the phase.
  const globalLets = globalLetNodes.map(letOf);
  if (phaseName !== '#ALL' && phaseName !== '#DEFAULT') {
    const phase = elementChildren(schema, 'phase').find((ph) => ph.attrs['id'] === phaseName);
    if (!phase) throw new SchematronCompileError(`phase "${phaseName}" is not defined`, rel(mainAbs), schema.line);
    const ids = elementChildren(phase, 'active').map((a) => a.attrs['pattern'] ?? '');
    const known = new Set(allPatterns.map((p) => p.attrs['id']));
    const absent = ids.filter((id) => !known.has(id));
    if (absent.length) notes.push(`phase ${phaseName}: active patterns not defined in the schema (ignored, as by the reference): ${absent.join(', ')}`);
    const wanted = new Set(ids);
    active = allPatterns.filter((p) => p.attrs['id'] !== undefined && wanted.has(p.attrs['id']));
  }

  const title = elementChildren(schema, 'title')[0];
  return {
    file: rel(mainAbs),
    ...(title ? { title: textContent(title).trim() } : {}),
    namespaces,
    lets: globalLets,
    patterns: active.map(pattern),
    phase: phaseName,
    documents,
    notes: [...new Set(notes)],
  };
}

/** `$name` → value, for every parameter, where `$name` is not the start of a longer name. */
export function substituteParams(text: string, params: ReadonlyMap<string, string>): string {
  if (params.size === 0 || !text.includes('$')) return text;
  const names = [...params.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const re = new RegExp(`\\$(${names.join('|')})(?![\\p{L}\\p{N}_.\\-·])`, 'gu');
  return text.replace(re, (_, name: string) => params.get(name) ?? '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); // no `-`: the pattern is a `u` regex, where `\-` is an error
}

function messageParts(c: SchNode, expr: (x: string) => string): MessagePart[] {
  const parts: MessagePart[] = [];
  const visit = (n: SchNode) => {
    for (const ch of n.children) {
      if (typeof ch === 'string') parts.push(ch);
      else if (ch.name === 'value-of') parts.push({ select: expr(ch.attrs['select'] ?? '.') });
      else if (ch.name === 'name') parts.push({ name: ch.attrs['path'] !== undefined ? expr(ch.attrs['path']) : null });
      else visit(ch); // emph, dir, span, foreign markup: keep their text
    }
  };
  visit(c);
  return parts;
}

function textContent(n: SchNode): string {
  return n.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}
