/**
 * The atomic functions the closures answer without fontoxpath (schematron/atomic.ts) against fontoxpath's
 * own answer, which they replace: hand-picked edge cases, then strings drawn at random (seeded).
 */
import fontoxpath from 'fontoxpath';
import { describe, expect, it } from 'vitest';
import { nativeAtomic } from '../../src/schematron/atomic.js';

/** A seeded generator of uniform numbers in [0, 1). */
function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) / 2 ** 24;
}
const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;

const EDGES = [
  '', ' ', '0', '-0', '+0', '12', ' 12 ', '\n5\t', '\r\n7\r\n', '+1', '-1', '00', '1.0', '1e3', 'NaN', '-', '+', '--1', '-+1',
  '1 2', '0x1', '\u00a05', '5\u00a0', '\u2003', '\u0663', '\uff11\uff12', 'a b', '  a  b  ', 'LS', 'A\tB\nC\rD',
  '%', '%zz', '#a#b', ':', '//', 'http://a b/\u00e9?x=<y>&z={|}\\^`"', '\u001f', '\u007f\u0080\u009f\u00a0', '\ud83d\ude00', '\ud83d', 'a\udc00b',
  '\ufdd0\ufdef\ufdf0\uffef\ufff0\uffff', '\ud7ff\ue000', '9007199254740991', '9007199254740992', '-9007199254740991', '-9007199254740992',
  '12345678901234567890123', `${'0'.repeat(30)}1`,
];

/** Strings over an alphabet of digits, signs, XML and other white space, letters and non-ASCII characters. */
function randomStrings(count: number, seed: number): string[] {
  const alphabet = ['0', '1', '9', '+', '-', '.', 'e', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', 'a', 'Z', '\u0663', '\uff15', 'é', '<', '|', '%', '\ud83d\ude00', '\u0085'];
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const len = Math.floor(next() * 24);
    let s = '';
    // Digit runs are likelier than the rest, so that many strings are near-integers.
    for (let i = 0; i < len; i++) s += next() < 0.6 ? String(Math.floor(next() * 10)) : pick(next, alphabet);
    return s;
  });
}

/** HL7 TS-like and xs:dateTime-like strings, most of them one component away from valid. */
function randomDateTimes(count: number, seed: number): string[] {
  const next = random(seed);
  const years = ['2024', '0000', '1900', '-0001', '12345', '02024', '999', '+2024', '-2024'];
  const two = (max: number) => String(Math.floor(next() * max)).padStart(2, '0');
  const zones = ['', 'Z', 'z', '+01:00', '-05:30', '+14:00', '+14:01', '-15:00', '+00:60', '+0100', '+01', '-00:00'];
  const fractions = ['', '.5', '.', '.123456789', '.0'];
  return Array.from({ length: count }, () => {
    const time = next() < 0.1 ? `24:00:00${pick(next, ['', '.0', '.1'])}` : `${two(26)}:${two(62)}:${two(62)}${pick(next, fractions)}`;
    const sep = pick(next, ['T', 'T', 'T', 't', ' ']);
    const s = `${pick(next, years)}-${two(14)}-${two(33)}${sep}${time}${pick(next, zones)}`;
    return next() < 0.1 ? ` ${s}\n` : next() < 0.05 ? s.replace(/[-:]/g, '') : s;
  });
}

const inputs = [...EDGES, ...randomStrings(3000, 20261203)];
const dateTimes = randomDateTimes(3000, 31122024);

function fontoxpathString(xpath: string, ...values: string[]): string | 'error' {
  try {
    return fontoxpath.evaluateXPathToString(xpath, null, null, Object.fromEntries(values.map((v, i) => [`a${i}`, v])));
  } catch {
    return 'error';
  }
}

describe('native atomic functions agree with fontoxpath', () => {
  /** Compares `castable as type` on every value; returns how many fontoxpath found castable. */
  const castableAgrees = (type: string, values: readonly string[]): number => {
    let castable = 0;
    for (const v of values) {
      const expected = fontoxpath.evaluateXPathToBoolean(`$a0 castable as ${type}`, null, null, { a0: v });
      expect(nativeAtomic(`castable as ${type}`, [v]), JSON.stringify(v)).toBe(expected);
      if (expected) castable++;
    }
    return castable;
  };

  it('castable as xs:integer', () => {
    const castable = castableAgrees('xs:integer', inputs);
    // Both answers occur in quantity: the comparison says something about each.
    expect(castable).toBeGreaterThan(200);
    expect(inputs.length - castable).toBeGreaterThan(300);
  });

  it('castable as xs:dateTime', () => {
    const castable = castableAgrees('xs:dateTime', [...EDGES, ...dateTimes]);
    expect(castable).toBeGreaterThan(100);
    expect(dateTimes.length - castable).toBeGreaterThan(300);
  });

  it('castable as xs:anyURI', () => {
    castableAgrees('xs:anyURI', inputs);
  });

  it("tokenize(s, '\\s')", () => {
    for (const v of inputs) {
      const expected = fontoxpath.evaluateXPathToStrings("tokenize($a0, '\\s')", null, null, { a0: v });
      expect(nativeAtomic('tokenize', [v, '\\s']), JSON.stringify(v)).toEqual(expected);
    }
  });

  it('iri-to-uri', () => {
    const next = random(7);
    // Every BMP character once, and a few surrogate pairs.
    const all = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter((c) => c !== '\u0000');
    const samples = [...inputs, ...all, ...Array.from({ length: 200 }, () => String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff)))];
    for (const v of samples) expect(nativeAtomic('iri-to-uri', [v]), JSON.stringify(v)).toBe(fontoxpathString('iri-to-uri($a0)', v));
  });

  it('replace, with the patterns of the ANS pack and others of the subset', () => {
    const cases: [string, string][] = [
      // The time-zone and date parts of HL7 TS values (CI-SIS datatypes).
      ['^-?[^+-]+([+-]\\d{1,4})?$', '$1'],
      ['^-?([^+-]+)([+-].*)?', '$1'],
      ['-?[^+-]+([+-].*)?$', '$1'],
      ['^([0-9]{4})([0-9]{2})?', '$2-$1'],
      ['[.]', 'x'],
      ['(a|b)', '$1'], // alternation: fontoxpath's
      ['x*', 'y'], // matches the empty string: an error
      ['(b)', '$0'], // not supported by fontoxpath: an error
      ['(b)', '\\$'], // an escaped dollar: fontoxpath's
      ['(b)', '$2'], // past the last group: the empty string
      ['.', '-'],
      ['\\d+', '#'],
      ['[^0-9]+', ''],
      ['([+-])(\\d\\d)(\\d\\d)', '$1$2:$3'],
    ];
    const tsNext = random(99);
    const ts = Array.from({ length: 400 }, () => {
      const digits = '20240131235959'.slice(0, 4 + 2 * Math.floor(tsNext() * 6));
      return `${tsNext() < 0.1 ? '-' : ''}${digits}${pick(tsNext, ['', '.123', '+0100', '-0530', '+1', '+01000', 'Z', '\u2028', '\n', '\u0663', '\ud83d\ude00'])}`;
    });
    let native = 0;
    for (const [pattern, replacement] of cases) {
      for (const v of [...EDGES, ...ts]) {
        const ours = nativeAtomic('replace', [v, pattern, replacement]);
        if (ours === undefined) continue; // left to fontoxpath
        native++;
        expect(ours, `${JSON.stringify(v)} ${pattern} ${replacement}`).toBe(fontoxpathString('replace($a0, $a1, $a2)', v, pattern, replacement));
      }
    }
    // The pack's three patterns, and most of the others, are answered natively.
    expect(native).toBeGreaterThan(8 * (EDGES.length + ts.length));
    for (const [pattern, replacement] of [['(a|b)', '$1'], ['x*', 'y'], ['(b)', '$0'], ['(b)', '\\$']] as const) {
      expect(nativeAtomic('replace', ['abc', pattern, replacement]), pattern).toBeUndefined();
    }
  });

  it('leaves every other call to fontoxpath', () => {
    expect(nativeAtomic('tokenize', ['a b', '\\s+'])).toBeUndefined();
    expect(nativeAtomic('castable as xs:date', ['2024-01-01'])).toBeUndefined();
    expect(nativeAtomic('xs:dateTime($a0) le xs:dateTime($a1)', ['2024-01-01T00:00:00', '2024-01-02T00:00:00'])).toBeUndefined();
  });
});
