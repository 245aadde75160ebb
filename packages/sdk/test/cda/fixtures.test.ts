import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import { CdaNotFoundError, DEFAULT_MAX_XML_BYTES, parseXml, readCdaHeader, toDocumentEntry, XmlParseError, type XmlErrorCode } from '../../src/index.js';
import { CDA_XSD, HAS_CDA_XSD, reportSkip, xsdErrors } from './ans-corpus.js';

if (!HAS_CDA_XSD) reportSkip('XSD validation of the fixtures', CDA_XSD);

const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/cda');

interface FixtureModule {
  buildFixtures(s: typeof sdk): Map<string, string | Uint8Array>;
  staleFixtures(files: Map<string, string | Uint8Array>, dir?: string): string[];
}
let mod: FixtureModule;
beforeAll(async () => {
  mod = (await import(pathToFileURL(join(FIXTURES_DIR, 'make-fixtures.mjs')).href)) as FixtureModule;
});

const fixture = (rel: string) => readFileSync(join(FIXTURES_DIR, rel));
const derive = (rel: string) => toDocumentEntry(readCdaHeader(parseXml(fixture(rel)).document));

/** What each invalid fixture must produce (see fixtures/cda/invalid/README.md), and the text of the element it points at. */
const INVALID: Record<string, { code: string; at: string }> = {
  'invalid/ins-not-first.xml': { code: 'INS_NOT_FIRST', at: '<id root="1.2.250.1.213.1.4.10"' },
  'invalid/unique-id-extension.xml': { code: 'UNIQUE_ID_EXTENSION', at: '<id root="1.2.250.1.999.1.1.1" extension="1"/>' },
  'invalid/unknown-type-code.xml': { code: 'TYPE_CODE_UNKNOWN', at: '<code code="00000-0"' },
  'invalid/bad-media-type.xml': { code: 'NON_XML_BODY_MEDIA_TYPE', at: '<text mediaType="application/msword"' },
  'invalid/effective-time-no-offset.xml': { code: 'TIME_NO_OFFSET', at: '<effectiveTime value="20240105103000"/>' },
};

/** 1-based line of the first occurrence of `needle`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

/** What each hostile fixture must produce (see fixtures/cda/hostile/README.md). */
const HOSTILE: Record<string, XmlErrorCode | 'CDA_NOT_FOUND'> = {
  'hostile/external-entity.xml': 'XML_DOCTYPE',
  'hostile/billion-laughs.xml': 'XML_DOCTYPE',
  'hostile/truncated.xml': 'XML_NOT_WELL_FORMED',
  'hostile/empty.xml': 'XML_EMPTY',
  'hostile/invalid-utf8.xml': 'XML_ENCODING',
  'hostile/wrong-namespace.xml': 'CDA_NOT_FOUND',
};

function outcome(bytes: Uint8Array): string {
  try {
    readCdaHeader(parseXml(bytes).document);
    return 'read';
  } catch (e) {
    if (e instanceof XmlParseError) return e.code;
    if (e instanceof CdaNotFoundError) return 'CDA_NOT_FOUND';
    throw e;
  }
}

describe('CDA fixtures', () => {
  it('are up to date with the builder (node fixtures/cda/make-fixtures.mjs regenerates them)', () => {
    const files = mod.buildFixtures(sdk);
    expect([...files.keys()].sort()).toEqual([...Object.keys(INVALID), ...Object.keys(HOSTILE), 'valid/n1-pdf.xml', 'valid/structured-header.xml'].sort());
    expect(mod.staleFixtures(files, FIXTURES_DIR)).toEqual([]);
  });

  it('valid/n1-pdf.xml derives a complete DMP DocumentEntry without issues', () => {
    const r = derive('valid/n1-pdf.xml');
    expect(r.issues).toEqual([]);
    expect(() => sdk.DmpDocumentEntrySchema.parse(r.documentEntry)).not.toThrow();
  });

  it('valid/structured-header.xml needs only its formatCode from the caller', () => {
    const h = readCdaHeader(parseXml(fixture('valid/structured-header.xml')).document);
    expect(h.body).toEqual({ kind: 'structured', sectionCount: 1 });
    expect(toDocumentEntry(h).issues.map((i) => i.code)).toEqual(['FORMAT_CODE_UNKNOWN']);
    const r = toDocumentEntry(h, { formatCode: { code: 'urn:asipSante:modelesHorsProfils:2011', codingScheme: '1.2.250.1.213.1.1.4.2.282' } });
    expect(r.issues).toEqual([]);
    expect(() => sdk.DmpDocumentEntrySchema.parse(r.documentEntry)).not.toThrow();
  });

  it.each(Object.entries(INVALID))('%s reports %j', (rel, want) => {
    const r = derive(rel);
    const errors = r.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => i.code)).toContain(want.code);
    const text = fixture(rel).toString('utf-8');
    expect(text).toContain(want.at);
    expect(errors.find((i) => i.code === want.code)?.location?.line).toBe(lineOf(text, want.at));
    // Each fixture breaks one thing: only the expected error (and, for a made-up type, its missing class).
    expect(new Set(errors.map((i) => i.code))).toEqual(new Set(want.code === 'TYPE_CODE_UNKNOWN' ? [want.code, 'CLASS_CODE_UNMAPPED'] : [want.code]));
  });

  it.each(Object.entries(HOSTILE))('%s is refused with %s, before any entity is expanded', (rel, want) => {
    expect(outcome(fixture(rel))).toBe(want);
  });

  it('invalid-utf8.xml is reported at the line of the bad bytes', () => {
    const bytes = fixture('hostile/invalid-utf8.xml');
    const titleLine = lineOf(bytes.toString('latin1'), '<title>');
    try {
      parseXml(bytes);
      throw new Error('expected a parse error');
    } catch (e) {
      expect(e).toBeInstanceOf(XmlParseError);
      expect((e as XmlParseError).line).toBe(titleLine);
    }
  });

  it('a file over the parser limit (generated, 50 MiB, never committed) is refused before decoding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmpkit-big-'));
    try {
      const n1 = fixture('valid/n1-pdf.xml').toString('utf-8');
      const pad = `<!-- ${'x'.repeat(1024 * 1024)} -->\n`;
      const head = n1.indexOf('<ClinicalDocument');
      const big = n1.slice(0, head) + pad.repeat(50) + n1.slice(head);
      const path = join(dir, 'big.xml');
      writeFileSync(path, big);
      const bytes = readFileSync(path);
      expect(bytes.length).toBeGreaterThan(50 * 1024 * 1024);
      expect(bytes.length).toBeGreaterThan(DEFAULT_MAX_XML_BYTES);
      expect(outcome(bytes)).toBe('XML_TOO_LARGE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAS_CDA_XSD)('CDA fixtures against the ANS CDA XSD', () => {
  it.each(['valid/n1-pdf.xml', 'valid/structured-header.xml', ...Object.keys(INVALID)])('%s is XSD-valid (its problems are DMP rules)', (rel) => {
    expect(xsdErrors(fixture(rel).toString('utf-8'))).toEqual([]);
  });
});
