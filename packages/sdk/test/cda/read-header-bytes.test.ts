import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCdaHeaderBytes } from '../../src/cda/read-header-bytes.js';
import { readCdaHeader, sourceElementOf, sourceLocationOf } from '../../src/cda/read-header.js';
import { toDocumentEntry } from '../../src/cda/to-metadata.js';
import { readXml } from '../../src/xml/fast-parse.js';
import { domOf } from '../../src/xml/parse.js';

const template = readFileSync(new URL('../../../../fixtures/cda/valid/n1-pdf.xml', import.meta.url), 'utf8');
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(300_000)]).toString('base64');

/** The fixture with its body replaced (`body` is what goes between <text …> and </text>). */
const withBody = (body: string, edit: (xml: string) => string = (x) => x) =>
  edit(template.replace(/(representation="B64">)[^<]*/, (_, open: string) => open + body));
const lines = (b64: string, eol: string) => b64.replace(/.{76}/g, `$&${eol}`);

/** The reference: the whole file through the fast reader and domOf, as prepare read it before. */
const reference = (bytes: Uint8Array) => readCdaHeader(domOf(readXml(bytes).root));

function outcome(read: (b: Uint8Array) => ReturnType<typeof readCdaHeader>, bytes: Uint8Array) {
  try {
    const header = read(bytes);
    const entry = toDocumentEntry(header, {});
    return { header, issues: entry.issues, bodyAt: sourceLocationOf(header.body), languageAt: header.languageCode && sourceLocationOf(header.languageCode) };
  } catch (e) {
    const err = e as Error & { code?: string; line?: number; column?: number };
    return { error: { name: err.name, code: err.code, message: err.message, line: err.line, column: err.column } };
  }
}

/** Whether the body text behind the header was left out of the read (the fast way was taken). */
const elided = (got: ReturnType<typeof outcome>) => !!got.header && (sourceElementOf(got.header.body)?.textContent ?? '').trim() === '';

const same = (xml: string | Uint8Array) => {
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  const got = outcome(readCdaHeaderBytes, bytes);
  expect(got).toEqual(outcome(reference, bytes));
  return got;
};

describe('readCdaHeaderBytes: the header of the whole-file read, the N1 body checked on the bytes', () => {
  it('LF, CRLF and CR line ends, one line, spaces and tabs in the base64', () => {
    for (const body of [lines(pdf, '\n'), lines(pdf, '\r\n'), lines(pdf, '\r'), pdf, `\n      ${lines(pdf, '\n      ')}\n    `, lines(pdf, ' \t\n')]) {
      const got = same(withBody(body));
      expect(got.header?.body).toMatchObject({ kind: 'nonXML', contentLength: pdf.length });
      expect(elided(got)).toBe(true);
    }
  });

  it('non-ASCII header text, a UTF-8 BOM, an XML declaration saying UTF-8 or nothing', () => {
    const accented = withBody(lines(pdf, '\n'), (x) => x.replace(/<title>[^<]*/, '<title>Compte rendu — échographie 😀'));
    expect(elided(same(accented))).toBe(true);
    expect(elided(same(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(accented, 'utf8')])))).toBe(true);
    expect(elided(same(accented.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="utf8"?>')))).toBe(true);
    expect(elided(same(accented.replace(/^<\?xml[^>]*\?>\s*/, '')))).toBe(true);
  });

  it('another declared encoding: read whole (same result)', () => {
    const latin1 = withBody(lines(pdf, '\n')).replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>');
    same(Buffer.from(latin1, 'latin1'));
  });

  it('bytes the reader refuses inside the run: the same error', () => {
    for (const bad of ['\u0001', '\u000b', '\u000c', '&', '&amp;', ']]>', '>', '\u00e9', '\ufffe']) {
      const b64 = lines(pdf, '\n');
      const at = 100_000;
      const got = same(withBody(b64.slice(0, at) + bad + b64.slice(at)));
      if (bad === '\u00e9' || bad === '&amp;' || bad === '>') expect(got.header).toBeDefined();
      else expect(got.error).toBeDefined();
    }
    // Invalid UTF-8 in the run and right after it.
    const b = Buffer.from(withBody(lines(pdf, '\n')), 'utf8');
    const start = b.indexOf('representation="B64">') + 30_000;
    for (const pos of [start, b.indexOf('</text>'), b.indexOf('</text>') + 1, b.indexOf('</text>') + 4]) {
      const copy = Buffer.from(b);
      copy[pos] = 0xff;
      expect(same(copy).error?.code).toBe('XML_ENCODING');
    }
  });

  it('errors after the run: same code, message, line and column', () => {
    const b64 = lines(pdf, '\n');
    expect(same(withBody(b64, (x) => x.replace('</text>', '</txt>'))).error?.code).toBe('XML_NOT_WELL_FORMED');
    expect(same(withBody(b64, (x) => x.replace('</nonXMLBody>', '</nonXMLBody><x a="1" a="2"/>'))).error?.code).toBe('XML_NOT_WELL_FORMED');
    expect(same(withBody(b64, (x) => x.replace('</ClinicalDocument>', ''))).error?.code).toBe('XML_NOT_WELL_FORMED');
    expect(same(withBody(b64, (x) => x.replace('</text>', '</text>&bad;'))).error?.code).toBe('XML_NOT_WELL_FORMED');
    expect(same(withBody(b64, (x) => `${x}\n${b64}`)).error?.code).toBe('XML_NOT_WELL_FORMED');
    expect(same(withBody(b64, (x) => x.replace(/^(<\?xml[^>]*\?>)/, `$1${b64}`))).error?.code).toBe('XML_NOT_WELL_FORMED');
    expect(same(withBody(b64, (x) => x.replace(/^(<\?xml[^>]*\?>)/, '$1<!DOCTYPE ClinicalDocument>'))).error?.code).toBe('XML_DOCTYPE');
  });

  it('the run somewhere else than the body text, or elements after it: the whole-file result', () => {
    const b64 = lines(pdf, '\n');
    same(withBody('AAAA', (x) => x.replace('<title>', `<!-- ${b64} --><title>`)));
    same(withBody('AAAA', (x) => x.replace(/<title>[^<]*/, `<title>${b64}`)));
    same(withBody(`<![CDATA[${b64}]]>`));
    same(withBody(`<!-- >${b64} -->AAAA`));
    same(withBody(`<reference value="x"/>${b64}`));
    expect(elided(same(withBody(b64, (x) => x.replace('</text>', '</text><languageCode code="fr-FR"/>'))))).toBe(false);
    // Below the run: read with its line feeds, so the element keeps its line.
    expect(elided(same(withBody(b64, (x) => x.replace('</text>', '</text>\n<languageCode code="fr-FR"/>'))))).toBe(true);
    expect(elided(same(withBody(pdf, (x) => x.replace('</text>', '</text>\n<languageCode code="fr-FR"/>'))))).toBe(true);
    same(withBody(b64, (x) => x.replace('</text>', '</text >')));
    same(withBody(b64, (x) => x.replace('representation="B64">', 'representation="B64" mediaType=">">')));
  });

  it('small documents go the ordinary way', () => {
    same(template);
    same(withBody('AAAA'));
  });
});
