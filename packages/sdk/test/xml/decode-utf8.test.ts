import { describe, expect, it } from 'vitest';
import { decodeXml, XmlParseError } from '../../src/xml/parse.js';

/** The decoder's text (the definition decodeXml keeps for UTF-8: fatal, one leading BOM removed). */
const reference = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

function encodingError(bytes: Uint8Array): XmlParseError {
  try {
    decodeXml(bytes);
  } catch (e) {
    if (e instanceof XmlParseError) return e;
    throw e;
  }
  throw new Error('decoded');
}

describe('decodeXml on big UTF-8 (ASCII pieces copied as Latin-1)', () => {
  const head = '<?xml version="1.0" encoding="UTF-8"?><doc>';
  const b64 = Buffer.alloc(200_000, 7).toString('base64').replace(/.{76}/g, '$&\n');

  it('same text as the decoder: characters of 2, 3 and 4 bytes at and across every piece boundary, U+FEFF inside', () => {
    for (const ch of ['é', '€', '😀', '\ufeff']) {
      for (const shift of [0, 1, 2, 3]) {
        // Non-ASCII characters every ~16 KiB, at every offset around the piece size, and a long ASCII run.
        let s = head;
        for (let k = 0; k < 6; k++) s += 'a'.repeat(16 * 1024 - 2 - shift) + ch + 'b';
        s += b64 + ch + '</doc>';
        const bytes = Buffer.from(s, 'utf8');
        expect(decodeXml(bytes)).toBe(reference(bytes));
      }
    }
  });

  it('all-ASCII and a leading BOM', () => {
    const ascii = Buffer.from(head + b64 + '</doc>');
    expect(decodeXml(ascii)).toBe(reference(ascii));
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(head + 'é' + b64 + '</doc>')]);
    expect(decodeXml(bom)).toBe(reference(bom.subarray(3)));
    const twice = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(head + b64 + '</doc>')]);
    expect(decodeXml(twice)).toBe(reference(twice.subarray(3)));
  });

  it('invalid bytes far in: XML_ENCODING, as before', () => {
    for (const bad of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80]]) {
      const bytes = Buffer.concat([Buffer.from(head + 'é' + b64), Buffer.from(bad), Buffer.from('</doc>')]);
      expect(encodingError(bytes).code).toBe('XML_ENCODING');
    }
  });
});
