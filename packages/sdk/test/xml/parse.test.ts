import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseXml, positionOf, XmlParseError, xpathOf, findClinicalDocument, childElements, type XmlErrorCode } from '../../src/xml/index.js';

const HOSTILE = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/cda/hostile');

function failure(input: Uint8Array | string, maxBytes?: number): XmlParseError {
  try {
    parseXml(input, maxBytes ? { maxBytes } : {});
  } catch (e) {
    if (e instanceof XmlParseError) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('parseXml', () => {
  it('keeps line and column of elements, attributes, comments and processing instructions', () => {
    const doc = parseXml('<?xml version="1.0"?>\r\n<a xmlns="urn:x">\r\n  <b c="1"/>\r\n  <?pi data?>\r\n</a>').document;
    const b = doc.documentElement!.firstElementChild!;
    expect(positionOf(b)).toEqual({ line: 3, column: 3 });
    expect(positionOf(b.getAttributeNode('c')!)?.line).toBe(3);
    expect(xpathOf(b)).toBe('/a[1]/b[1]');
    expect(xpathOf(b.getAttributeNode('c')!)).toBe('/a[1]/b[1]/@c');
    // a tag name followed by a line break still points at its "<"
    const d = parseXml('<a>\n  <bcd\n x="1"/></a>').document.documentElement!.firstElementChild!;
    expect(positionOf(d)).toEqual({ line: 2, column: 3 });
  });

  it('accepts a UTF-8 BOM, UTF-16 with BOM and a declared ISO-8859-1 encoding', () => {
    expect(parseXml(Buffer.from('\uFEFF<a>é</a>', 'utf8')).document.documentElement!.textContent).toBe('é');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>é</a>', 'utf16le')]);
    expect(parseXml(utf16).document.documentElement!.textContent).toBe('é');
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>', 'latin1');
    expect(parseXml(latin1).document.documentElement!.textContent).toBe('é');
  });

  it('reads pure-ASCII bytes the same way in every ASCII-compatible encoding, from any view of a buffer', () => {
    for (const decl of ['', '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0" encoding="windows-1252"?>']) {
      const whole = Buffer.from(`xx${decl}<a b="&#233;">t&amp;u</a>yy`, 'latin1');
      const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, whole.length - 4);
      const a = parseXml(view).document.documentElement!;
      expect([a.getAttribute('b'), a.textContent]).toEqual(['é', 't&u']);
    }
    // A DEL or NUL is ASCII too: still refused as XML, not by the decoder.
    expect(() => parseXml(Buffer.from('<a>\x00</a>', 'latin1'))).toThrow(XmlParseError);
  });

  const cases: [string, XmlErrorCode][] = [
    ['external-entity.xml', 'XML_DOCTYPE'],
    ['billion-laughs.xml', 'XML_DOCTYPE'],
    ['truncated.xml', 'XML_NOT_WELL_FORMED'],
    ['empty.xml', 'XML_EMPTY'],
    ['invalid-utf8.xml', 'XML_ENCODING'],
  ];
  for (const [file, code] of cases) {
    it(`refuses ${file} with ${code}`, () => {
      const started = performance.now();
      const err = failure(readFileSync(join(HOSTILE, file)));
      expect(err.code).toBe(code);
      expect(performance.now() - started).toBeLessThan(2000); // nothing is expanded
    });
  }

  it('points at the bad byte of invalid UTF-8 and at the end of a truncated file', () => {
    const bytes = readFileSync(join(HOSTILE, 'invalid-utf8.xml'));
    const badAt = bytes.indexOf(Buffer.from([0xc3, 0x28]));
    const line = bytes.subarray(0, badAt).toString('latin1').split('\n').length;
    expect(failure(bytes).line).toBe(line);
    const truncated = readFileSync(join(HOSTILE, 'truncated.xml'));
    expect(failure(truncated).line).toBe(truncated.toString('utf8').split('\n').length);
  });

  it('never reads the file an external entity names', () => {
    const err = failure('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>');
    expect(err.code).toBe('XML_DOCTYPE');
    expect(err.message).not.toMatch(/root:/);
  });

  it('refuses input over the size limit before decoding it', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const err = failure(big);
    expect(err.code).toBe('XML_TOO_LARGE');
    expect(err.message).toMatch(/50\.0 MiB, over the 20\.0 MiB limit/);
    expect(failure('<a/>', 3).code).toBe('XML_TOO_LARGE');
  });

  it('refuses undeclared entities and mismatched tags with a position', () => {
    expect(failure('<a>&nbsp;</a>').code).toBe('XML_NOT_WELL_FORMED');
    const e = failure('<a>\n<b></a>');
    expect(e.code).toBe('XML_NOT_WELL_FORMED');
    expect(e.line).toBe(2);
  });

  it('finds ClinicalDocument at the root or inside an auto-présentable xsl:stylesheet, not in another namespace', () => {
    const plain = parseXml('<ClinicalDocument xmlns="urn:hl7-org:v3"/>').document;
    expect(findClinicalDocument(plain)?.localName).toBe('ClinicalDocument');
    const auto = parseXml(
      '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:template match="/"><ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.2"/></ClinicalDocument></xsl:template></xsl:stylesheet>',
    ).document;
    const cd = findClinicalDocument(auto)!;
    expect(childElements(cd, 'id')).toHaveLength(1);
    const wrong = parseXml(readFileSync(join(HOSTILE, 'wrong-namespace.xml'))).document;
    expect(findClinicalDocument(wrong)).toBeUndefined();
  });
});
