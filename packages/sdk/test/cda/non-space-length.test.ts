import { describe, expect, it } from 'vitest';
import { nonSpaceLength } from '../../src/cda/read-header.js';

/** The definition it must keep: the length once every /\s/ character is removed. */
const reference = (s: string) => s.replace(/\s/g, '').length;

describe('nonSpaceLength (N1 body length)', () => {
  it('counts as removing every /\\s/ character, for each of the 65,536 code units', () => {
    for (let c = 0; c < 0x10000; c++) {
      const s = `ab${String.fromCharCode(c)}c${String.fromCharCode(c, c)}`;
      if (nonSpaceLength(s) !== reference(s)) expect.fail(`U+${c.toString(16).padStart(4, '0')}: ${nonSpaceLength(s)} vs ${reference(s)}`);
    }
  });

  it('base64 in lines, CRLF, tabs, spaces, Unicode spaces and surrogate pairs', () => {
    const b64 = Buffer.from('x'.repeat(10_000)).toString('base64').replace(/.{76}/g, '$&\n');
    for (const s of ['', ' \n\t', b64, b64.replace(/\n/g, '\r\n'), `  ${b64}\t \u00a0\u2028é😀\ufeff`, '\u3000a\u205fb\u202f']) expect(nonSpaceLength(s)).toBe(reference(s));
  });
});
