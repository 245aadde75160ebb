/**
 * The atomic functions of the ANS rules that the closures answer without fontoxpath: every `castable as`,
 * `tokenize`, `replace` and `iri-to-uri` call of a cold StrucMin run (~230 of them, ~0.4 ms each in a
 * fontoxpath that has not warmed up, and they were its only use in such a run).
 *
 * The yardstick is fontoxpath, the reference engine, not the XSD specification: where the two differ, we
 * answer as fontoxpath does, and say so below. Each function is tested against fontoxpath's own answer on
 * generated strings (test/schematron/closure-atomic.test.ts). Anything else returns undefined and stays
 * with fontoxpath.
 */

/** XML white space at the ends, what the `collapse` facet trims before a cast (not JavaScript's \s). */
const XML_SPACE_EDGES = /^[ \t\n\r]+|[ \t\n\r]+$/g;
const INTEGER_LEXICAL = /^[+-]?[0-9]+$/;
/**
 * xs:dateTime's lexical space. fontoxpath checks nothing more: 2023-02-29 and 2024-04-31 are castable there
 * (Saxon would refuse them).
 */
const DATETIME_LEXICAL =
  /^-?(?:[1-9][0-9]{3,}|0[0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$/;
/** `\s` in fontoxpath's regexes: JavaScript's \s (U+00A0, U+2028... included), not XSD's four characters. */
const FONTOXPATH_SPACE = /\s/;
/**
 * What fontoxpath's iri-to-uri escapes: space and `"<>{}|\^`, line feed (not tab or carriage return), DEL and the
 * C1 controls, every other non-ASCII character but the non-characters U+FDD0-U+FDEF and U+FFF0-U+FFFF, and
 * whole surrogate pairs (a lone surrogate is left as it is).
 */
const IRI_ESCAPED = /[ "<>{}|\\^`\n\u007f-\ud7ff\ue000-\ufdcf\ufdf0-\uffef]|[\ud800-\udbff][\udc00-\udfff]/g;

export function nativeAtomic(fn: string, values: readonly string[]): string | string[] | boolean | undefined {
  switch (fn) {
    case 'castable as xs:integer': {
      // fontoxpath's xs:integer is a JavaScript safe integer: a longer run of digits is not castable there.
      const v = values[0]!.replace(XML_SPACE_EDGES, '');
      return INTEGER_LEXICAL.test(v) && Number.isSafeInteger(parseInt(v, 10));
    }
    case 'castable as xs:dateTime':
      return DATETIME_LEXICAL.test(values[0]!.replace(XML_SPACE_EDGES, ''));
    case 'castable as xs:anyURI':
      return true; // no lexical check, as XSD 1.1 allows
    case 'tokenize':
      // tokenize(s, '\s'): each white-space character is a separator (no run is merged).
      if (values[1] === '\\s') return values[0] === '' ? [] : values[0]!.split(FONTOXPATH_SPACE);
      return undefined;
    case 'iri-to-uri':
      return values[0]!.replace(IRI_ESCAPED, (c) => encodeURI(c));
    case 'replace':
      return replace(values[0]!, values[1]!, values[2]!);
    default:
      return undefined;
  }
}

/**
 * fn:replace for patterns of a small subset that mean the same in fontoxpath and JavaScript: literal characters,
 * `.`, `^` `$`, classes of literal characters and ranges, `\d` (ASCII digits in fontoxpath, as in JavaScript),
 * groups without alternation, the greedy quantifiers `? * + {m} {m,} {m,n}`. The replacement may hold literal
 * characters and `$1`…`$9`. Anything else, and a pattern that matches the empty string (an error), is left to
 * fontoxpath.
 */
function replace(input: string, pattern: string, replacement: string): string | undefined {
  const compiled = replaceRegExp(pattern);
  if (!compiled || !/^(?:[^$\\]|\$[1-9](?![0-9]))*$/.test(replacement)) return undefined;
  // $n past the last group is the empty string in XPath, the text "$n" in JavaScript.
  for (const m of replacement.matchAll(/\$([1-9])/g)) if (Number(m[1]) > compiled.groups) return undefined;
  return input.replace(compiled.re, replacement);
}

const replaceRegExps = new Map<string, { re: RegExp; groups: number } | null>();

function replaceRegExp(pattern: string): { re: RegExp; groups: number } | undefined {
  let compiled = replaceRegExps.get(pattern);
  if (compiled === undefined) {
    compiled = null;
    const t = translatePattern(pattern);
    try {
      // FORX0003 when the pattern matches the empty string: fontoxpath's to raise.
      if (t && !new RegExp(t.source).test('')) compiled = { re: new RegExp(t.source, 'g'), groups: t.groups };
    } catch {
      // not a JavaScript regex either (a quantifier with nothing to repeat...): fontoxpath's to report
    }
    replaceRegExps.set(pattern, compiled);
  }
  return compiled ?? undefined;
}

/** The JavaScript source of an XPath pattern of the subset (see {@link replace}) and its number of groups. */
function translatePattern(p: string): { source: string; groups: number } | undefined {
  let out = '';
  let depth = 0;
  let groups = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (/[A-Za-z0-9 _,:;'"=!@#%&~<>\/-]/.test(c) || c === '^' || c === '$') out += c;
    else if (c === '.') out += '.'; // fontoxpath's `.` is JavaScript's: no U+2028 or U+2029 either (XSD's has them)
    else if (c === '+' || c === '*' || c === '?') {
      if (p[i + 1] === '?' || p[i + 1] === '+') return undefined; // lazy or possessive quantifiers
      out += c;
    } else if (c === '{') {
      const m = /^\{[0-9]+(?:,[0-9]*)?\}/.exec(p.slice(i));
      if (!m || p[i + m[0].length] === '?' || p[i + m[0].length] === '+') return undefined;
      out += m[0];
      i += m[0].length - 1;
    } else if (c === '(') {
      if (p[i + 1] === '?') return undefined;
      depth++;
      groups++;
      out += c;
    } else if (c === ')') {
      if (--depth < 0) return undefined;
      out += c;
    } else if (c === '\\') {
      const e = p[i + 1];
      if (e === 'd') out += '[0-9]';
      else if (e !== undefined && '+-.*?()[]{}^$|\\'.includes(e)) out += `\\${e}`;
      else return undefined;
      i++;
    } else if (c === '[') {
      // Literal characters, ranges and \d; no subtraction (`-[`), no other escape.
      const m = /^\[\^?(?:[A-Za-z0-9 _,:;'"=!@#%&~<>\/.*?(){}|$+]|\\d|-(?!\[))+\]/.exec(p.slice(i));
      if (!m) return undefined;
      out += m[0].replace(/\\d/g, '0-9');
      i += m[0].length - 1;
    } else return undefined;
  }
  return depth === 0 ? { source: out, groups } : undefined;
}
