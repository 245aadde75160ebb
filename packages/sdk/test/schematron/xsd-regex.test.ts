/**
 * XPath patterns as JavaScript RegExps (schematron/xsd-regex.ts) against fontoxpath's `matches` (xspattern):
 * the patterns of the ANS pack and others of the subset, on hand-picked and generated strings; and the patterns
 * outside the subset, which must stay with xspattern.
 */
import fontoxpath from 'fontoxpath';
import { describe, expect, it } from 'vitest';
import { xsdRegExp } from '../../src/schematron/xsd-regex.js';

/** Patterns of the ANS rules (StrucMin's datatype lets, CI-SIS checks), then others that exercise the translation. */
const PATTERNS = [
  '^[0-2](\\.(0|[1-9]\\d*))*$',
  '^[A-Fa-f\\d]{8}-[A-Fa-f\\d]{4}-[A-Fa-f\\d]{4}-[A-Fa-f\\d]{4}-[A-Fa-f\\d]{12}$',
  '^[A-Za-z][A-Za-z\\d\\-]*$',
  '^[0-9]{4,14}',
  '[\\r\\n\\t]',
  '\\s',
  '[a-z]',
  '^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$',
  '^(us|ms|s|min|h|d|wk|mo|a)$',
  '[0-2](\\.(0|[1-9][0-9]*))*',
  '^\\d+$',
  '\\D',
  '\\w+',
  '\\W',
  '\\S+',
  '^.$',
  '^...$',
  '\\p{Lu}',
  '\\P{L}',
  '[^\\s]',
  '[\\d\\s]',
  '[-a]',
  '[a-]',
  '[^-]',
  '[\\-\\.]',
  '(?:ab)+',
  'a|b|',
  '[ä-ü]',
  '😀',
  '[😀-😂]',
  '^$',
  '\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\',
  'x{2}',
  'x{2,}',
  'x{1,3}?',
];

/** Outside the subset: left to xspattern (their meaning differs in JavaScript, or XSD rejects them). */
const REFUSED = ['[a-z-[aeiou]]', '\\p{IsBasicLatin}', '\\i\\c*', '(a)\\1', '[]', 'a{,2}', '}', ']', '[\\w]', '(?=a)', 'x{a}'];

function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) / 2 ** 24;
}

const ALPHABET = ['0', '1', '2', '9', '.', '-', 'a', 'f', 'F', 'z', 'Z', 'x', 'ä', 'ü', '😀', '😁', '\u0663', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '_', '*', '\\', '$', 'K', '\u212a', 'ſ'];
const next = random(4242);
const STRINGS = [
  '', '1.2.250.1.213.1.1.5', '2.16.840.1.113883.6.1', '1.02', '3.1', '0', '0.', 'B95E3E5A-BE5C-4F2E-A6B5-2D3F1A6C7E9D', 'fr-FR', 'fr', 'en-GB-oed',
  'us', 'wk', 'Dupont\nJean', 'xababy', '.*+?()[]{}|^$\\', 'x', 'xx', 'xxx', '😀', 'a😀b', '\u0663\u0664',
  ...Array.from({ length: 1500 }, () => Array.from({ length: Math.floor(next() * 14) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('')),
];

function fontoxpathMatches(s: string, p: string): boolean | 'error' {
  try {
    return fontoxpath.evaluateXPathToBoolean('matches($s, $p)', null, null, { s, p });
  } catch {
    return 'error';
  }
}

describe('XPath patterns as JavaScript regexes agree with fontoxpath', () => {
  it.each(PATTERNS)('%s', (pattern) => {
    const re = xsdRegExp(pattern);
    expect(re, 'translated').toBeDefined();
    let hits = 0;
    for (const s of STRINGS) {
      const expected = fontoxpathMatches(s, pattern);
      expect(re!.test(s), `${JSON.stringify(s)} ~ ${pattern}`).toBe(expected);
      if (expected === true) hits++;
    }
    // Each pattern matches some of the strings (`^$` only the empty one), so both answers are compared.
    expect(hits).toBeGreaterThan(0);
  });

  it('leaves patterns outside the subset to xspattern', () => {
    for (const p of REFUSED) expect(xsdRegExp(p), p).toBeUndefined();
  });
});
