/** Building blocks of the DMP rules: INS key, base64 decoding, time ranges. */
import { describe, expect, it } from 'vitest';
import { decodeBase64, insKeyIsValid, instantRange } from '../../src/validate/dmp/index.js';
import { parseHl7Time } from '../../src/cda/hl7-time.js';

describe('insKeyIsValid (97 − (13 digits mod 97), Corsica 2A→19, 2B→18)', () => {
  it('accepts the official DMP test INS (dmp-interface.md §4.4)', () => {
    for (const ins of ['153078987658513', '207058575627097', '270108604926542', '202096615708958', '265025544371476', '138080427231017', '241030750595179', '213102288044517', '199033022011538', '116083022011613', '111068647818424', '148026322000195', '211046322000147', '109016322000249', '235061058692768', '287080883795737', '294096322025871', '279035121518989']) {
      expect(insKeyIsValid(ins), ins).toBe(true);
    }
  });

  it('handles Corsica and rejects wrong keys and formats', () => {
    expect(insKeyIsValid('280012A00400118')).toBe(true);
    expect(insKeyIsValid('280012B00400145')).toBe(true);
    expect(insKeyIsValid('280012A00400145')).toBe(false);
    expect(insKeyIsValid('207058575627096')).toBe(false);
    expect(insKeyIsValid('20705857562709')).toBeUndefined();
    expect(insKeyIsValid('2070585756270 7')).toBeUndefined();
  });

  it('detects every single-digit error of a 13-digit number', () => {
    const ins = '207058575627097';
    for (let i = 0; i < 13; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === ins[i]) continue;
        const changed = ins.slice(0, i) + d + ins.slice(i + 1);
        expect(insKeyIsValid(changed), changed).toBe(false);
      }
    }
  });
});

describe('decodeBase64', () => {
  const random = (n: number) => {
    const b = Buffer.alloc(n);
    let x = 12345;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      b[i] = x & 0xff;
    }
    return b;
  };

  it('decodes like Buffer for every length and padding style, whitespace anywhere', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = random(n);
      const text = bytes.toString('base64');
      for (const variant of [text, text.replace(/=+$/, ''), text.replace(/(.{7})/g, '$1\r\n\t '), ` \n${text}\n `]) {
        const r = decodeBase64([variant], Infinity);
        expect(r.ok, JSON.stringify(variant)).toBe(true);
        if (r.ok) {
          expect(r.size).toBe(n);
          expect(Buffer.from(r.head).equals(bytes)).toBe(true);
        }
      }
    }
  });

  it('keeps only the first bytes when asked, across text chunks', () => {
    const bytes = random(1000);
    const text = bytes.toString('base64');
    const r = decodeBase64([text.slice(0, 333), text.slice(333)], 16);
    expect(r.ok && r.size).toBe(1000);
    expect(r.ok && Buffer.from(r.head).equals(bytes.subarray(0, 16))).toBe(true);
  });

  it('refuses bad characters, misplaced padding and impossible lengths, with the line', () => {
    expect(decodeBase64(['QUJD\nRE*F'], 16)).toMatchObject({ ok: false, reason: 'char', char: 0x2a, newlines: 1, index: 7 });
    expect(decodeBase64(['QQ==QQ=='], 16)).toMatchObject({ ok: false, reason: 'padding' });
    expect(decodeBase64(['QQ==='], 16)).toMatchObject({ ok: false, reason: 'padding' });
    expect(decodeBase64(['QUJDR'], 16)).toMatchObject({ ok: false, reason: 'length' });
    expect(decodeBase64(['QUJD-_'], 16)).toMatchObject({ ok: false, reason: 'char', char: 0x2d });
  });

  it('decodes 15 MB of base64 in one quick pass', () => {
    const bytes = random(11 * 1024 * 1024);
    const text = bytes.toString('base64').replace(/(.{76})/g, '$1\n');
    const t = performance.now();
    const r = decodeBase64([text], 16);
    const ms = performance.now() - t;
    expect(r.ok && r.size).toBe(bytes.length);
    expect(ms).toBeLessThan(3000);
  });
});

describe('instantRange', () => {
  const range = (v: string) => {
    const p = parseHl7Time(v);
    if (!p.ok) throw new Error(p.error);
    return instantRange(p.time);
  };
  it('is exact with an offset, widened by ±14 h without one', () => {
    expect(range('20240105103000+0100')).toEqual([Date.UTC(2024, 0, 5, 9, 30, 0), Date.UTC(2024, 0, 5, 9, 30, 1)]);
    expect(range('20240105')).toEqual([Date.UTC(2024, 0, 5) - 14 * 3600_000, Date.UTC(2024, 0, 6) + 14 * 3600_000]);
    expect(range('202412')[1]).toBe(Date.UTC(2025, 0, 1) + 14 * 3600_000);
  });
});
