/** MTOM/XOP: building without copying documents, reading every packaging quirk, bounds, XOP resolution. */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/soap/decode-message.js';
import { buildMtom, createXopResolver, mtomStream, mtomToBuffer, parseMultipart, sniffBoundary } from '../../src/soap/mtom.js';
import { IssueLog } from '../../src/xds/issues.js';
import type { DecodedProvideAndRegister } from '../../src/xds/ebrim-decode.js';

const env = (includes: string[]) =>
  '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="urn:ihe:iti:xds-b:2007">' +
  '<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"><rim:RegistryObjectList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"/></lcm:SubmitObjectsRequest>' +
  includes.map((href, i) => `<xdsb:Document id="d${i}"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="${href}"/></xdsb:Document>`).join('') +
  '</xdsb:ProvideAndRegisterDocumentSetRequest></soap:Body></soap:Envelope>';

async function readStream(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

describe('MTOM building', () => {
  it('the document buffer is a chunk of the message as is (no copy); Content-Type, Content-Length, stream', async () => {
    const pdf = Buffer.alloc(1024 * 1024, 7);
    const msg = buildMtom({ root: env(['cid:doc1@dmpkit']), action: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', attachments: [{ contentId: 'doc1@dmpkit', contentType: 'application/pdf', data: pdf }] });
    expect(msg.chunks).toContain(pdf);
    expect(msg.contentType).toMatch(/^multipart\/related; type="application\/xop\+xml"; boundary=MIMEBoundary_[0-9a-f]{32}; start="<root\.message@dmpkit>"; start-info="application\/soap\+xml"; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"$/);
    const wire = await mtomToBuffer(msg);
    expect(msg.contentLength).toBe(wire.length);
    expect((await readStream(mtomStream(msg))).equals(wire)).toBe(true);
    const m = decodeMessage(wire, msg.contentType);
    expect(m.mime?.parts.map((p) => [p.contentId, p.contentType, p.length])).toEqual([
      ['<root.message@dmpkit>', 'application/xop+xml; charset=UTF-8; type="application/soap+xml"; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"', Buffer.byteLength(env(['cid:doc1@dmpkit']))],
      ['<doc1@dmpkit>', 'application/pdf', pdf.length],
    ]);
    const doc = (m.xds as DecodedProvideAndRegister).documents[0]!;
    expect(Buffer.from(doc.content!).equals(pdf)).toBe(true);
    expect(m.issues.filter((i) => /^(MIME|XOP|XML)_/.test(i.code) && i.severity !== 'info')).toEqual([]);
  });

  it('a Readable attachment streams; the length is known only when given', async () => {
    const data = Buffer.from('streamed content');
    const known = buildMtom({ root: env(['cid:s@x']), attachments: [{ contentId: 's@x', data: Readable.from([data]), length: data.length }] });
    const unknown = buildMtom({ root: env(['cid:s@x']), attachments: [{ contentId: 's@x', data: Readable.from([data]) }] });
    expect(unknown.contentLength).toBeUndefined();
    const wire = await readStream(mtomStream(known));
    expect(known.contentLength).toBe(wire.length);
    const doc = (decodeMessage(wire, known.contentType).xds as DecodedProvideAndRegister).documents[0]!;
    expect(Buffer.from(doc.content!).toString()).toBe('streamed content');
  });

  it('a boundary that occurs in a document is replaced by another one; a caller-chosen one is refused', () => {
    const data = Buffer.from('xx\r\n--MIMEBoundary_fixed\r\nyy');
    expect(() => buildMtom({ root: '<a/>', boundary: 'MIMEBoundary_fixed', attachments: [{ contentId: 'c', data }] })).toThrow(/boundary/);
    const msg = buildMtom({ root: '<a/>', attachments: [{ contentId: 'c', data }] });
    expect(msg.boundary).not.toBe('MIMEBoundary_fixed');
  });

  it('property: any bytes (CR, LF, dashes, boundary look-alikes) come back identical through build and parse', async () => {
    const bytes = fc.array(fc.constantFrom(0x0d, 0x0a, 0x2d, 0x00, 0xff, 0x41, 0x20), { maxLength: 200 }).map((a) => Uint8Array.from(a));
    await fc.assert(
      fc.asyncProperty(fc.array(bytes, { minLength: 1, maxLength: 4 }), async (docs) => {
        const hrefs = docs.map((_, i) => `cid:part${i}@dmpkit`);
        const msg = buildMtom({ root: env(hrefs), attachments: docs.map((d, i) => ({ contentId: `part${i}@dmpkit`, data: d })) });
        const m = decodeMessage(await mtomToBuffer(msg), msg.contentType);
        const got = (m.xds as DecodedProvideAndRegister).documents.map((d) => Buffer.from(d.content ?? []));
        expect(got).toEqual(docs.map((d) => Buffer.from(d)));
        expect(m.issues.filter((i) => /^(MIME|XOP|XML)_/.test(i.code))).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('MTOM reading', () => {
  const lfMessage = [
    '--b1  ',
    'content-type: application/xop+xml; type="application/soap+xml";',
    'CONTENT-ID: <root>',
    '',
    env(['cid:Doc%40x']),
    '--b1',
    'Content-ID: <doc@X>',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('hello').toString('base64'),
    '--b1--',
    'Target endpoint: https://example.test/',
  ].join('\n');

  it('without Content-Type: boundary sniffed, LF only, padding after delimiters, header case, URL-encoded and differently-cased cid, base64, epilogue', () => {
    const log = new IssueLog();
    const mp = parseMultipart(Buffer.from(lfMessage), {}, log)!;
    expect(mp).toMatchObject({ boundary: 'b1', boundarySource: 'sniffed', closed: true, rootIndex: 0, leadingWhitespace: false });
    expect(mp.parts.map((p) => p.contentId)).toEqual(['<root>', '<doc@X>']);
    expect(Buffer.from(mp.parts[1]!.body).toString()).toBe('hello');
    const xop = createXopResolver(mp, log);
    expect(Buffer.from(xop.resolve('cid:Doc%40x')!.content).toString()).toBe('hello');
    expect(xop.references[0]).toMatchObject({ urlDecoded: true, caseInsensitive: true, contentId: 'doc@X' });
    expect(log.issues.map((i) => i.code)).toEqual(['MIME_EPILOGUE', 'XOP_CID_CASE']);
  });

  it('CRLF with a leading CRLF, and a cid with angle brackets in the href', () => {
    const crlf = `\r\n${lfMessage.replace('cid:Doc%40x', 'cid:&lt;doc@X&gt;').split('\n').join('\r\n')}`;
    const m = decodeMessage(Buffer.from(crlf));
    expect(m.mime).toMatchObject({ leadingWhitespace: true, boundary: 'b1' });
    expect(m.xop?.[0]).toMatchObject({ contentId: 'doc@X', urlDecoded: false, caseInsensitive: false });
    expect(m.lineEndings).toBe('CRLF');
  });

  it('a truncated message (no close delimiter) is reported and what was read is kept', () => {
    const log = new IssueLog();
    const mp = parseMultipart(Buffer.from(lfMessage.slice(0, lfMessage.indexOf('--b1--'))), {}, log)!;
    expect(mp.closed).toBe(false);
    expect(mp.parts).toHaveLength(2);
    expect(log.issues.map((i) => i.code)).toContain('MIME_NOT_CLOSED');
  });

  it('a missing attachment is an error issue, not an exception', () => {
    const m = decodeMessage(Buffer.from(lfMessage.replace('cid:Doc%40x', 'cid:gone@x')));
    expect(m.xop?.[0]).toMatchObject({ href: 'cid:gone@x', urlDecoded: false });
    expect(m.xop?.[0]?.contentId).toBeUndefined();
    expect(m.issues.find((i) => i.code === 'XOP_UNRESOLVED')?.severity).toBe('error');
    expect(m.issues.map((i) => i.code)).toContain('MIME_UNREFERENCED_PART');
  });

  it('single-part MTOM; start naming no part falls back to the first part', () => {
    const single = `--b\r\nContent-Type: application/xop+xml\r\nContent-ID: <r>\r\n\r\n<a/>\r\n--b--\r\n`;
    const log = new IssueLog();
    const mp = parseMultipart(Buffer.from(single), { contentType: 'multipart/related; boundary="b"; start="<other>"' }, log)!;
    expect(mp.parts).toHaveLength(1);
    expect(mp.rootIndex).toBe(0);
    expect(log.issues.map((i) => i.code)).toEqual(['MIME_START_MISMATCH']);
  });

  it('a Content-Type boundary absent from the body falls back to the first delimiter line', () => {
    const log = new IssueLog();
    const mp = parseMultipart(Buffer.from(lfMessage), { contentType: 'multipart/related; boundary=other' }, log)!;
    expect(mp).toMatchObject({ boundary: 'b1', boundarySource: 'sniffed', headerBoundary: 'other' });
    expect(log.issues[0]!.code).toBe('MIME_BOUNDARY_MISMATCH');
  });

  it('bounds: total size, number of parts, header size; no boundary at all', () => {
    const log = new IssueLog();
    expect(parseMultipart(Buffer.from(lfMessage), { maxBytes: 10 }, log)).toBeUndefined();
    const many = `${Array.from({ length: 5 }, (_, i) => `--b\nContent-ID: <p${i}>\n\nx`).join('\n')}\n--b--`;
    expect(parseMultipart(Buffer.from(many), { maxParts: 3 }, log)!.parts).toHaveLength(3);
    const bigHeader = `--b\nX-Long: ${'y'.repeat(100)}\n\nbody\n--b--`;
    parseMultipart(Buffer.from(bigHeader), { maxHeaderBytes: 50 }, log);
    expect(parseMultipart(Buffer.from('no delimiter here'), {}, log)).toBeUndefined();
    expect(log.issues.map((i) => i.code)).toEqual(['MIME_TOO_LARGE', 'MIME_TOO_MANY_PARTS', 'MIME_HEADERS_TOO_LARGE', 'MIME_NO_HEADER_END', 'MIME_NO_BOUNDARY']);
    expect(sniffBoundary(Buffer.from('\r\n\r\n--abc \r\n'))).toBe('abc');
  });
});
