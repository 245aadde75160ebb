/**
 * XPath regular expressions (XSD's, plus anchors and non-capturing groups) as JavaScript ones, for the subset
 * whose meaning is the same in both once written out: fontoxpath runs `matches` with xspattern, an automaton
 * in JavaScript that a cold document paid ~60 ms for (~15% of StrucMin). A pattern outside the subset, or that
 * JavaScript rejects, gives undefined and stays with xspattern. Tested against fontoxpath's `matches` on the
 * patterns of the ANS pack and generated strings (test/schematron/xsd-regex.test.ts).
 *
 * Written out: `.` is any character but \n and \r; `\d` is \p{Nd}; `\s` is one of four characters; `\w` is any
 * character outside \p{P}, \p{Z} and \p{C}; every literal is written as its code point, with the `u` flag, so
 * that a character outside the BMP is one character, as in XSD.
 */

/** XSD's general categories (`\p{Lu}`...), which JavaScript's Unicode escapes also name. */
const CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|Z[slp]?|S[mcko]?|C[cfon]?)$/;
const META = '\\|.-^?*+{}()[]$';
const SPACE = ' \\t\\n\\r';
const NOT_WORD = '\\p{P}\\p{Z}\\p{C}';

const cache = new Map<string, RegExp | null>();

/** A JavaScript RegExp that `test`s as `matches($s, pattern)` does, or undefined outside the subset. */
export function xsdRegExp(pattern: string): RegExp | undefined {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = null;
    const source = translate(pattern);
    if (source !== undefined) {
      try {
        re = new RegExp(source, 'u');
      } catch {
        // rejected by JavaScript: xspattern says whether XSD takes it
      }
    }
    cache.set(pattern, re);
  }
  return re ?? undefined;
}

const lit = (cp: number) => `\\u{${cp.toString(16)}}`;

function translate(p: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      const e = escape(p, i, false);
      if (!e) return undefined;
      out += e.js;
      i = e.next;
    } else if (c === '[') {
      const k = charClass(p, i);
      if (!k) return undefined;
      out += k.js;
      i = k.next;
    } else if (c === '.') {
      out += '[^\\n\\r]';
      i++;
    } else if (c === '(') {
      if (p[i + 1] === '?') {
        if (p[i + 2] !== ':') return undefined;
        out += '(?:';
        i += 3;
      } else {
        out += '(';
        i++;
      }
    } else if (c === ')' || c === '|' || c === '^' || c === '$' || c === '?' || c === '*' || c === '+') {
      out += c;
      i++;
    } else if (c === '{') {
      const m = /^\{[0-9]+(?:,[0-9]*)?\}/.exec(p.slice(i));
      if (!m) return undefined;
      out += m[0];
      i += m[0].length;
    } else if (c === '}' || c === ']') {
      return undefined; // not a literal in XSD
    } else {
      const cp = p.codePointAt(i)!;
      out += lit(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return out;
}

/** The escape at p[i] (a backslash): its JavaScript form, inside a class or not. */
function escape(p: string, i: number, inClass: boolean): { js: string; next: number; single?: boolean } | undefined {
  const e = p[i + 1];
  if (e === undefined) return undefined;
  const next = i + 2;
  switch (e) {
    case 'n':
      return { js: '\\n', next, single: true };
    case 'r':
      return { js: '\\r', next, single: true };
    case 't':
      return { js: '\\t', next, single: true };
    case 'd':
      return { js: '\\p{Nd}', next };
    case 'D':
      return { js: '\\P{Nd}', next };
    case 's':
      return { js: inClass ? SPACE : `[${SPACE}]`, next };
    case 'S':
      return inClass ? undefined : { js: `[^${SPACE}]`, next };
    case 'w':
      return inClass ? undefined : { js: `[^${NOT_WORD}]`, next };
    case 'W':
      return { js: inClass ? NOT_WORD : `[${NOT_WORD}]`, next };
    case 'p':
    case 'P': {
      const m = /^\{([A-Za-z]+)\}/.exec(p.slice(next));
      if (!m || !CATEGORY.test(m[1]!)) return undefined; // blocks (IsBasicLatin...) are not JavaScript's
      return { js: `\\${e}{${m[1]}}`, next: next + m[0].length };
    }
    default:
      return META.includes(e) ? { js: lit(e.codePointAt(0)!), next, single: true } : undefined; // \i, \c, back-references...
  }
}

/** `[...]` or `[^...]` of characters, ranges and escapes; no subtraction, no nested class. */
function charClass(p: string, start: number): { js: string; next: number } | undefined {
  let i = start + 1;
  let out = '[';
  if (p[i] === '^') {
    out += '^';
    i++;
  }
  const first = i;
  /** One character (or single-character escape) at i: its code point and JavaScript form. */
  const single = (at: number): { js: string; next: number } | undefined => {
    const c = p[at];
    if (c === undefined || c === '[' || c === ']') return undefined;
    if (c === '\\') {
      const e = escape(p, at, true);
      return e?.single ? { js: e.js, next: e.next } : undefined;
    }
    const cp = p.codePointAt(at)!;
    return { js: lit(cp), next: at + (cp > 0xffff ? 2 : 1) };
  };
  while (i < p.length && p[i] !== ']') {
    const c = p[i]!;
    if (c === '-') {
      // A literal '-' only first or last: XSD's ranges are written a-b, its subtractions -[...].
      if (i !== first && p[i + 1] !== ']') return undefined;
      out += lit(0x2d);
      i++;
      continue;
    }
    if (c === '\\') {
      const e = escape(p, i, true);
      if (!e) return undefined;
      if (!e.single) {
        if (p[e.next] === '-' && p[e.next + 1] !== ']') return undefined; // a class escape as a range end
        out += e.js;
        i = e.next;
        continue;
      }
    }
    const a = single(i);
    if (!a) return undefined;
    if (p[a.next] === '-' && p[a.next + 1] !== ']' && p[a.next + 1] !== undefined) {
      if (p[a.next + 1] === '[') return undefined; // subtraction
      const b = single(a.next + 1);
      if (!b) return undefined;
      out += `${a.js}-${b.js}`;
      i = b.next;
    } else {
      out += a.js;
      i = a.next;
    }
  }
  if (p[i] !== ']' || i === first) return undefined; // unterminated, or empty (not XSD)
  return { js: out + ']', next: i + 1 };
}
