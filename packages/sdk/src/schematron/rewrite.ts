/**
 * Source-level rewrites that let an XPath 3.1 engine (fontoxpath) run XSLT 2 schematron expressions
 * with the reference's meaning:
 * - `doc('x')` / `document('x')` → `dmpkit:doc('<pack-relative path>')` (resolved at compile time, so the
 *   engine never opens a file the pack did not declare);
 * - the xs:QName functions → string-based twins (fontoxpath cannot return an xs:QName from JavaScript);
 * - the `^+?` regex that Java accepts and JavaScript rejects (corpus.md §6.5) → `^`, its Java meaning.
 * Only code is rewritten, never the inside of string literals (except the regex fix, which is inside one).
 */

export const DMPKIT_FN_NS = 'urn:dmpkit:schematron-functions';

interface Segment {
  literal: boolean;
  text: string;
}

/** Splits an expression into string literals and code. */
export function splitLiterals(xpath: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let start = 0;
  while (i < xpath.length) {
    const ch = xpath[i];
    if (ch === "'" || ch === '"') {
      if (i > start) out.push({ literal: false, text: xpath.slice(start, i) });
      let j = i + 1;
      for (;;) {
        if (j >= xpath.length) break;
        if (xpath[j] === ch) {
          if (xpath[j + 1] === ch) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out.push({ literal: true, text: xpath.slice(i, j + 1) });
      i = j + 1;
      start = i;
    } else i++;
  }
  if (start < xpath.length) out.push({ literal: false, text: xpath.slice(start) });
  return out;
}

const DOC_CALL = /(?<![\w:.\-])(doc|document)\(\s*$/;

/** Literal paths passed to doc()/document(); throws on a computed argument (we cannot resolve it ahead). */
export function collectDocumentRefs(xpath: string): string[] {
  const refs: string[] = [];
  const segs = splitLiterals(xpath);
  segs.forEach((s, k) => {
    if (s.literal) return;
    const re = /(?<![\w:.\-])(doc|document)\(/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s.text))) {
      const rest = s.text.slice(m.index + m[0].length);
      if (rest.trim() === '' && segs[k + 1]?.literal) {
        refs.push(unquote(segs[k + 1]!.text));
      } else {
        throw new Error(`${m[1]}() with a computed argument cannot be resolved ahead of time: ${xpath.replace(/\s+/g, " ").trim().slice(0, 400)}`);
      }
    }
  });
  return refs;
}

function unquote(lit: string): string {
  const q = lit[0]!;
  return lit.slice(1, -1).split(q + q).join(q);
}

const RENAMES: [RegExp, string][] = [
  [/(?<![\w:.\-])resolve-QName\(/g, 'dmpkit:resolve-QName('],
  [/(?<![\w:.\-])local-name-from-QName\(/g, 'dmpkit:local-name-from-QName('],
  [/(?<![\w:.\-])namespace-uri-from-QName\(/g, 'dmpkit:namespace-uri-from-QName('],
  [/(?<![\w:.\-])QName\(/g, 'dmpkit:QName('],
];

export function rewriteExpression(xpath: string, mapRef: (ref: string) => string): string {
  const segs = splitLiterals(xpath);
  const out: string[] = [];
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k]!;
    if (s.literal) {
      out.push(s.text.includes('^+?') ? s.text.split('^+?').join('^') : s.text);
      continue;
    }
    let text = s.text;
    for (const [re, to] of RENAMES) text = text.replace(re, to);
    const docCall = DOC_CALL.exec(text);
    if (docCall && segs[k + 1]?.literal) {
      text = text.slice(0, docCall.index) + 'dmpkit:doc(';
      out.push(text, `'${mapRef(unquote(segs[k + 1]!.text)).split("'").join("''")}'`);
      k++;
      continue;
    }
    out.push(text);
  }
  return out.join('');
}

/**
 * `dmpkit:doc('K')//valueSet[1]/conceptList/concept/@code` walks a whole value-set document each time a
 * rule fires, the same walk for every document validated. The longest context-free path after a
 * `dmpkit:doc(...)` (no variable, no context item) is hoisted into `dmpkit:nodes('K', 'path', 'ns')`,
 * which evaluates it once per process and returns the cached node sequence; the rest of the expression
 * (predicates with variables, `concat(...)` steps) applies to that sequence as before.
 */
export function hoistValueSetPaths(xpath: string, namespaces: Readonly<Record<string, string>>): string {
  const marker = "dmpkit:doc('";
  let out = '';
  let i = 0;
  for (;;) {
    const at = xpath.indexOf(marker, i);
    if (at < 0) return out + xpath.slice(i);
    const keyEnd = xpath.indexOf("')", at + marker.length);
    if (keyEnd < 0) return out + xpath.slice(i);
    const key = xpath.slice(at + marker.length, keyEnd);
    const pathStart = keyEnd + 2;
    const pathEnd = contextFreePathEnd(xpath, pathStart);
    out += xpath.slice(i, at);
    const path = xpath.slice(pathStart, pathEnd);
    if (path === '') {
      out += xpath.slice(at, pathStart);
    } else {
      const used = new Set([...path.matchAll(/([A-Za-z_][\w.-]*):(?![:/])/g)].map((m) => m[1]!));
      const ns = [...used].filter((p) => namespaces[p] !== undefined).map((p) => `${p}=${namespaces[p]}`).join(' ');
      out += `dmpkit:nodes('${key}', '${path.split("'").join("''")}', '${ns}')`;
    }
    i = pathEnd;
  }
}

/** End of the run of `/step[pred]` steps starting at `start` whose predicates use no variable. */
function contextFreePathEnd(s: string, start: number): number {
  let i = start;
  let end = start;
  while (s[i] === '/') {
    let j = i + (s[i + 1] === '/' ? 2 : 1);
    const name = /^(@?(?:\*|[A-Za-z_][\w.-]*)(?::(?:\*|[A-Za-z_][\w.-]*))?)/.exec(s.slice(j));
    if (!name || s[j + name[1]!.length] === '(') break; // a function step (concat(...)) ends the path
    j += name[1]!.length;
    let ok = true;
    const nameEnd = j;
    while (s[j] === '[') {
      const close = matchingBracket(s, j);
      if (close < 0) return end;
      const pred = s.slice(j + 1, close);
      if (/\$|current\(|\bposition\(\)|\blast\(\)/.test(pred.replace(/'[^']*'|"[^"]*"/g, ''))) {
        ok = false;
        // Up to the step itself when the rest filters by a boolean: `//svs:Concept[@code=$c]`.
        if (j === nameEnd && isBooleanPredicate(pred)) end = nameEnd;
        break;
      }
      j = close + 1;
    }
    if (!ok) break;
    end = j;
    i = j;
  }
  return end;
}

function matchingBracket(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let k = open; k < s.length; k++) {
    const ch = s[k]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return k;
  }
  return -1;
}

const KEYWORDS = new Set(['and', 'or', 'return', 'in', 'satisfies', 'then', 'else', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'div', 'mod', 'union', 'intersect', 'except', 'to', 'is', 'idiv']);

/**
 * `//hl7:X` at the start of a path visits every node of the document; ANS tests use it a lot
 * (`count(//hl7:ClinicalDocument/hl7:documentationOf[1]/...)`). It is rewritten to `dmpkit:all('uri','X')`,
 * the document's element index for that name (same nodes, same document order). Only when the first
 * step has no positional predicate: `//X[1]` means "first X child of its parent", not "first X".
 */
export function indexAbsoluteDescendants(xpath: string, namespaces: Readonly<Record<string, string>>): string {
  const inLiteral = literalMask(xpath);
  return xpath.replace(/\/\/(\*|[A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)/g, (match, prefix: string, local: string, offset: number) => {
    if (inLiteral[offset]) return match;
    const uri = prefix === '*' ? '*' : namespaces[prefix];
    if (uri === undefined) return match;
    const before = xpath.slice(0, offset).trimEnd();
    const last = before[before.length - 1];
    if (last !== undefined && !'(,[=<>!|+'.includes(last)) {
      const word = /([A-Za-z_][\w.-]*)$/.exec(before)?.[1];
      if (!word || !KEYWORDS.has(word)) return match; // a step precedes: relative `a//b`
    }
    const next = offset + match.length;
    if (xpath[next] === '(' || xpath[next] === ':') return match;
    for (let k = next; xpath[k] === '['; ) {
      const close = matchingBracket(xpath, k);
      if (close < 0 || !isBooleanPredicate(xpath.slice(k + 1, close))) return match;
      k = close + 1;
    }
    return `dmpkit:all('${uri}', '${local}')`;
  });
}

/** True at every index of `xpath` that lies inside a string literal. */
function literalMask(xpath: string): boolean[] {
  const mask: boolean[] = [];
  for (const seg of splitLiterals(xpath)) for (let i = 0; i < seg.text.length; i++) mask.push(seg.literal);
  return mask;
}

/**
 * A predicate whose value is surely boolean: then filtering a sequence by it equals filtering the step,
 * whereas a number (`[1]`, `[$i]`, `[count(x)]`) would select by position, which differs.
 */
function isBooleanPredicate(pred: string): boolean {
  const code = pred.replace(/'[^']*'|"[^"]*"/g, "''");
  if (/position\(|last\(/.test(code)) return false;
  const comparison = /[=<>]|\band\b|\bor\b|\bnot\(|\bexists\(|\bempty\(|\bcontains\(|\bstarts-with\(|\bmatches\(/.test(code);
  const plainPath = /^\s*@?[A-Za-z_][\w.-]*(:[\w.*-]+)?(\/@?[A-Za-z_*][\w.-]*(:[\w.*-]+)?)*\s*$/.test(code);
  return comparison || plainPath;
}
