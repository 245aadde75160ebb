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
