import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import {
  buildN1Document,
  DmpDocumentEntrySchema,
  N1_MAX_CONTENT_BYTES,
  N1_MEDIA_TYPES,
  N1BuildError,
  n1FormatCode,
  parseXml,
  readCdaHeader,
  toDocumentEntry,
  type N1DocumentInput,
  type N1MediaType,
} from '../../src/index.js';
import { CDA_XSD, HAS_CDA_XSD, reportSkip, xsdErrors } from './ans-corpus.js';

if (!HAS_CDA_XSD) reportSkip('XSD validation of built N1 documents', CDA_XSD);

interface FixtureModule {
  n1FixtureInput(): N1DocumentInput;
  syntheticPdf(): Buffer;
}
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/cda/make-fixtures.mjs');
let fixtures: FixtureModule;
beforeAll(async () => {
  fixtures = (await import(pathToFileURL(FIXTURES).href)) as FixtureModule;
});

/** The fixture input with some fields replaced (deep enough for these tests). */
function input(patch: (i: N1DocumentInput) => void = () => {}): N1DocumentInput {
  const i = fixtures.n1FixtureInput();
  patch(i);
  return i;
}

function buildError(i: N1DocumentInput): N1BuildError {
  try {
    buildN1Document(i);
  } catch (e) {
    if (e instanceof N1BuildError) return e;
    throw e;
  }
  throw new Error('expected an N1BuildError');
}

/** Small files with the right signature for each accepted media type. */
const SAMPLES: Record<N1MediaType, () => Uint8Array> = {
  'application/pdf': () => fixtures.syntheticPdf(),
  'image/jpeg': () => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]),
  'image/tiff': () => Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0, 0]),
  'text/rtf': () => Buffer.from('{\\rtf1\\ansi Document de test}'),
  'text/plain': () => Buffer.from('Document de test synthétique\n'),
};

describe('buildN1Document', () => {
  it('builds the CI-SIS N1 header shape', () => {
    const xml = buildN1Document(input());
    const h = readCdaHeader(parseXml(xml).document);
    expect(h.templateIds.map((t) => t.root)).toEqual(['2.16.840.1.113883.2.8.2.1', '1.2.250.1.213.1.1.1.1', '1.3.6.1.4.1.19376.1.2.20']);
    expect(h.realmCode?.code).toBe('FR');
    expect(h.typeId).toMatchObject({ root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' });
    expect(h.id).toEqual(expect.objectContaining({ root: '1.2.250.1.999.1.1.1.1', extension: undefined }));
    expect(h.setId?.root).toBe('1.2.250.1.999.1.1.1.1');
    expect(h.versionNumber).toBe('1');
    // Displays come from the value sets when the input omits them.
    expect(h.code?.displayName).toBe('CR ou fiche de consultation ou de visite');
    expect(h.authors[0]?.functionCode?.displayName).toBe("Référent - Responsable du patient dans la structure de soins");
    expect(h.legalAuthenticator?.signatureCode).toBe('S');
    const name = h.recordTargets[0]!.patient!.names[0]!;
    expect(name.family.map((f) => [f.value, f.qualifier])).toEqual([
      ['DMPKIT-PATIENT', 'BR'],
      ['DMPKIT-USAGE', 'CL'],
    ]);
    expect(name.given.map((g) => [g.value, g.qualifier])).toEqual([
      ['ALPHA BETA', undefined],
      ['ALPHA', 'BR'],
      ['ALPHA', 'CL'],
    ]);
    expect(h.recordTargets[0]!.ids.map((i) => i.root)).toEqual(['1.2.250.1.213.1.4.10', '1.2.250.1.999.1.1.2']);
    expect(h.body).toMatchObject({ kind: 'nonXML', mediaType: 'application/pdf', representation: 'B64' });
    expect(xml).not.toMatch(/schemaLocation/);
  });

  it('round-trips through readCdaHeader and toDocumentEntry into a complete DMP DocumentEntry', () => {
    const xml = buildN1Document(input());
    const r = toDocumentEntry(readCdaHeader(parseXml(xml).document));
    expect(r.issues).toEqual([]);
    const e = DmpDocumentEntrySchema.parse(r.documentEntry);
    expect(e.uniqueId).toBe('1.2.250.1.999.1.1.1.1');
    expect(e.patientId).toBe('100000000000047^^^&1.2.250.1.213.1.4.10&ISO^NH');
    expect(e.sourcePatientId).toBe('IPP-TEST-0001^^^&1.2.250.1.999.1.1.2&ISO^PI');
    expect(e.sourcePatientInfo).toEqual(['PID-5|DMPKIT-PATIENT^ALPHA^^^^^L', 'PID-7|19800101', 'PID-8|F']);
    expect(e.creationTime).toBe('20240105093000');
    expect(e.serviceStartTime).toBe('20240105090000');
    expect(e.serviceStopTime).toBe('20240105092000');
    expect(e.classCode.code).toBe('10');
    expect(e.typeCode.code).toBe('11488-4');
    expect(e.formatCode.code).toBe('urn:ihe:iti:xds-sd:pdf:2008');
    expect(e.practiceSettingCode.code).toBe('AMBULATOIRE');
    expect(e.healthcareFacilityTypeCode.code).toBe('SA07');
    expect(e.eventCodeList.map((c) => c.code)).toEqual(['ZZQK002']);
    expect(e.authors[0]).toEqual({
      authorPerson: '899999000001^DMPKIT-MEDECIN^Testeur^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS',
      authorInstitution: ['Cabinet de test dmpkit^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1999999001'],
      authorRole: ['ATTPHYS^Référent - Responsable du patient dans la structure de soins^2.16.840.1.113883.5.88'],
      authorSpecialty: ['G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5'],
    });
  });

  it('embeds the exact file bytes in base64', () => {
    const content = SAMPLES['text/plain']();
    const xml = buildN1Document(input((i) => (i.body = { mediaType: 'text/plain', content })));
    const b64 = /representation="B64">([^<]+)</.exec(xml)![1]!;
    expect(Buffer.from(b64, 'base64').equals(Buffer.from(content))).toBe(true);
  });

  it.each(N1_MEDIA_TYPES)('wraps %s with the matching formatCode', (mediaType) => {
    const xml = buildN1Document(input((i) => (i.body = { mediaType, content: SAMPLES[mediaType]() })));
    const r = toDocumentEntry(readCdaHeader(parseXml(xml).document));
    expect(r.documentEntry.formatCode?.code).toBe(n1FormatCode(mediaType).code);
    expect(r.issues).toEqual([]);
  });

  it('accepts a file of exactly 5 MiB and refuses one byte more, with a clear error', () => {
    const big = Buffer.alloc(N1_MAX_CONTENT_BYTES, 0x20);
    big.write('%PDF-1.4\n', 0, 'latin1');
    const xml = buildN1Document(input((i) => (i.body = { mediaType: 'application/pdf', content: big })));
    expect(xml.length).toBeGreaterThan(N1_MAX_CONTENT_BYTES * 1.33);
    const over = Buffer.concat([big, Buffer.from(' ')]);
    const e = buildError(input((i) => (i.body = { mediaType: 'application/pdf', content: over })));
    expect(e.code).toBe('N1_TOO_LARGE');
    expect(e.message).toMatch(/5242881 bytes, over the 5242880-byte \(5 MiB\) limit/);
  });

  it('refuses a media type the CI-SIS does not accept', () => {
    const e = buildError(input((i) => (i.body = { mediaType: 'application/msword' as N1MediaType, content: Buffer.from('x') })));
    expect(e.code).toBe('N1_MEDIA_TYPE');
    expect(e.message).toMatch(/application\/msword.*application\/pdf, image\/jpeg, image\/tiff, text\/rtf, text\/plain/);
  });

  it('refuses content that does not match its declared media type', () => {
    expect(buildError(input((i) => (i.body = { mediaType: 'image/jpeg', content: fixtures.syntheticPdf() }))).code).toBe('N1_CONTENT_MISMATCH');
    expect(buildError(input((i) => (i.body = { mediaType: 'text/plain', content: Uint8Array.from([0x41, 0xc3, 0x28]) }))).code).toBe('N1_CONTENT_MISMATCH');
  });

  it('validates the input and lists every problem with its path', () => {
    const e = buildError(
      input((i) => {
        i.document.id = '1.2.3^ext';
        i.document.effectiveTime = '20240105103000';
        i.document.title = 'x'.repeat(129);
        i.patient.ins.extension = '123';
        i.legalAuthenticator.time = '202401051030';
      }),
    );
    expect(e.code).toBe('N1_INVALID_INPUT');
    expect(e.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^document\.id: /),
        expect.stringMatching(/^document\.effectiveTime: .*no UTC offset/),
        expect.stringMatching(/^document\.title: /),
        expect.stringMatching(/^patient\.ins\.extension: /),
        expect.stringMatching(/^legalAuthenticator\.time: .*no UTC offset/),
      ]),
    );
  });

  it('keeps civilité and titre apart, as the ANS header rules bind them (J245 / J246)', () => {
    const e = buildError(input((i) => (i.legalAuthenticator.person = { family: 'X', prefix: 'DR' as never })));
    expect(e.problems).toEqual([expect.stringMatching(/^legalAuthenticator\.person\.prefix: /)]);
    const xml = buildN1Document(input((i) => (i.legalAuthenticator.person = { family: 'X', prefix: 'MME', suffix: 'PR' })));
    expect(readCdaHeader(parseXml(xml).document).legalAuthenticator?.assignedEntity?.person?.names[0]).toMatchObject({
      prefix: [{ value: 'MME' }],
      suffix: [{ value: 'PR' }],
    });
  });

  it('refuses codes outside the value sets the ANS header rules check', () => {
    const e = buildError(
      input((i) => {
        i.document.typeCode = { code: '00000-0', codeSystem: '2.16.840.1.113883.6.1' };
        i.encounter.facilityType = { code: 'SA07', codeSystem: '1.2.3' };
      }),
    );
    expect(e.problems).toEqual([
      'document.typeCode: 00000-0 (2.16.840.1.113883.6.1) is not in JDV_J07-XdsTypeCode-CISIS',
      'encounter.facilityType: SA07 (1.2.3) is not in JDV_J02-XdsHealthcareFacilityTypeCode-CISIS',
    ]);
  });

  it('accepts Dates (written in UTC) and writes a replacement relation', () => {
    const xml = buildN1Document(
      input((i) => {
        i.document.effectiveTime = new Date(Date.UTC(2024, 0, 5, 9, 30, 0));
        i.document.versionNumber = 2;
        i.document.setId = '1.2.250.1.999.1.1.1';
        i.relatedDocument = { typeCode: 'RPLC', parentId: '1.2.250.1.999.1.1.1.0' };
      }),
    );
    const h = readCdaHeader(parseXml(xml).document);
    expect(h.effectiveTime?.value).toBe('20240105093000+0000');
    expect(h.versionNumber).toBe('2');
    expect(toDocumentEntry(h).parentDocument).toEqual({ uniqueId: '1.2.250.1.999.1.1.1.0', relation: 'RPLC' });
  });

  it('escapes markup in free text', () => {
    const xml = buildN1Document(input((i) => (i.document.title = 'CR <urgent> & "suivi"')));
    expect(readCdaHeader(parseXml(xml).document).title).toBe('CR <urgent> & "suivi"');
  });

  it('is exported from the package entry point', () => {
    expect(sdk.buildN1Document).toBe(buildN1Document);
  });
});

describe.skipIf(!HAS_CDA_XSD)('built N1 documents against the ANS CDA XSD (CDA_extended.xsd)', () => {
  it('the XSD check itself rejects a broken document', () => {
    const xml = buildN1Document(input()).replace('<realmCode code="FR"/>', '<realmCode code="FR"/><bogus/>');
    expect(xsdErrors(xml).join('\n')).toMatch(/bogus/);
  });

  it.each(N1_MEDIA_TYPES)('%s document is XSD-valid', (mediaType) => {
    expect(xsdErrors(buildN1Document(input((i) => (i.body = { mediaType, content: SAMPLES[mediaType]() }))))).toEqual([]);
  });

  it('a replacement (RPLC) with every optional part is XSD-valid', () => {
    const xml = buildN1Document(
      input((i) => {
        i.relatedDocument = { typeCode: 'RPLC', parentId: '1.2.250.1.999.1.1.1.0' };
        i.patient.addr = { streetAddressLine: ['1 rue du Test'], postalCode: '75000', city: 'PARIS' };
        i.patient.telecoms = [{ value: 'tel:+33100000000', use: 'H' }];
        i.encounter.facilityId = { root: '1.2.250.1.71.4.2.2', extension: '1999999001' };
        i.encounter.facilityTypeTranslation = { code: '1101', codeSystem: '1.2.250.1.213.1.1.5.823', displayName: 'Test' };
      }),
    );
    expect(xsdErrors(xml)).toEqual([]);
  });
});
