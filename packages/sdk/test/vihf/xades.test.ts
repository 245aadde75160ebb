import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, createTestPki, loadSigningCredentials, type TestPki } from '../../src/pki/index.js';
import { buildLotSignature, signatureDocumentEntryMetadata, verifyLotSignature, type LotDocument } from '../../src/vihf/index.js';
import { replaceOnce } from './helpers.js';

let pki: TestPki;
const SS = '1.2.250.1.999.1.1.7898.1.1622814651504';
const CDA = '<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Compte rendu — é</title></ClinicalDocument>\n';
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');
let docs: LotDocument[];

beforeAll(() => {
  pki = createTestPki();
  docs = [
    { uniqueId: '1.2.250.1.999.1.1.7898.3.1', content: CDA },
    { uniqueId: '1.2.250.1.999.1.1.7898.3.2', content: PDF },
  ];
});

const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code);

describe('lot signature (XAdES)', () => {
  for (const hash of ['sha256', 'sha1'] as const) {
    for (const source of ['pem', 'pkcs12'] as const) {
      it(`builds and verifies (${hash}, ${source})`, () => {
        const credentials =
          source === 'pem' ? pki.orgSign.credentials() : loadSigningCredentials({ pkcs12: pki.orgSign.toPkcs12('pw', { legacy: true }), password: 'pw' });
        const xml = buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials, hash, signingTime: new Date('2026-01-15T10:00:00Z') });
        const r = verifyLotSignature(xml, { documents: docs, submissionSetUniqueId: SS, trustedCertificates: [pki.ca.certPem] });
        expect(r.problems).toEqual([]);
        expect(r.signatureValid).toBe(true);
        expect(r.signingTime).toBe('2026-01-15T10:00:00.000Z');
        expect(r.purposeOfSignature).toBe('1.2.840.10065.1.12.1.14');
        // The document digests are those of the exact bytes (computed independently here).
        const expected = (b: Buffer | string) => createHash(hash).update(b).digest('base64');
        expect(r.references).toEqual([
          { uri: `urn:oid:${SS}`, digestAlgorithm: expect.stringContaining(hash), digestValue: 'AA==', transforms: [] },
          { uri: `urn:oid:${docs[0]!.uniqueId}`, digestAlgorithm: expect.stringContaining(hash), digestValue: expected(Buffer.from(CDA, 'utf8')), transforms: [] },
          { uri: `urn:oid:${docs[1]!.uniqueId}`, digestAlgorithm: expect.stringContaining(hash), digestValue: expected(PDF), transforms: [] },
        ]);
      });
    }
  }

  it('has the structure of the DMP sample', () => {
    const xml = buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials: pki.orgSign.credentials(), signatureId: '_sig1' });
    expect(xml).toMatch(/^<ds:Signature xmlns:ds="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#" Id="_sig1"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http:\/\/www\.w3\.org\/TR\/2001\/REC-xml-c14n-20010315#WithComments"\/>/);
    expect(xml).toContain('<ds:Reference Type="http://www.w3.org/2000/09/xmldsig#Manifest" URI="#IHEManifest">');
    expect(xml).toContain('<ds:Reference Type="http://uri.etsi.org/01903/v1.1.1#SignedProperties" URI="#S0-SignedProperties">');
    expect(xml).toContain('<ds:SignatureProperty Id="purposeOfSignature" Target="#_sig1">1.2.840.10065.1.12.1.14</ds:SignatureProperty>');
    expect(xml).toContain('<xades:SignaturePolicyIdentifier><xades:SignaturePolicyImplied/></xades:SignaturePolicyIdentifier>');
    // SigningCertificate lists the signing certificate and its CA, with issuer DN and decimal serial.
    expect(xml.match(/<xades:Cert>/g)).toHaveLength(2);
    expect(xml).toContain(`<ds:X509IssuerName>${pki.ca.subjectDn}</ds:X509IssuerName><ds:X509SerialNumber>${pki.orgSign.certificate.serialNumber}</ds:X509SerialNumber>`);
  });

  describe('detects', () => {
    let xml: string;
    beforeAll(() => {
      xml = buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials: pki.orgSign.credentials() });
    });
    const verify = (x: string, o: Parameters<typeof verifyLotSignature>[1] = {}) =>
      verifyLotSignature(x, { documents: docs, submissionSetUniqueId: SS, trustedCertificates: [pki.ca.certPem], ...o });

    it('a document that changed', () => {
      expect(codes(verify(xml, { documents: [{ uniqueId: docs[0]!.uniqueId, content: CDA.replace('é', 'e') }] }))).toEqual(['XADES-DOCUMENT-DIGEST-MISMATCH']);
    });

    it('a document or the submission set missing from the Manifest', () => {
      expect(codes(verify(xml, { documents: [...docs, { uniqueId: '1.2.3.4', content: 'x' }] }))).toEqual(['XADES-DOCUMENT-NOT-REFERENCED']);
      expect(codes(verify(xml, { submissionSetUniqueId: '1.2.3.5' }))).toEqual(['XADES-SUBMISSION-SET-NOT-REFERENCED']);
    });

    it('an altered Manifest, signed property or signature value', () => {
      const digest = new RegExp(`URI="urn:oid:${docs[0]!.uniqueId.replace(/\./g, '\\.')}">.*?<ds:DigestValue>([^<]+)<`).exec(xml)![1]!;
      const forgedManifest = replaceOnce(xml, digest, createHash('sha256').update('other').digest('base64'));
      expect(codes(verify(forgedManifest))).toEqual(['XADES-DIGEST-MISMATCH', 'XADES-DOCUMENT-DIGEST-MISMATCH']);
      const time = /<xades:SigningTime>([^<]+)</.exec(xml)![1]!;
      expect(codes(verify(replaceOnce(xml, time, '2001-01-01T00:00:00.000Z')))).toEqual(['XADES-DIGEST-MISMATCH']);
      const value = /<ds:SignatureValue>([^<]+)</.exec(xml)![1]!;
      expect(codes(verify(replaceOnce(xml, value, (value[0] === 'A' ? 'B' : 'A') + value.slice(1))))).toEqual(['XADES-SIGNATURE-INVALID']);
    });

    it('a certificate that is not the one SigningCertificate names', () => {
      const other = pki.ca.issue('org-sign');
      const forged = buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials: other.credentials() });
      const cert = /<ds:X509Certificate>([^<]+)</.exec(forged)![1]!;
      expect(codes(verify(replaceOnce(forged, cert, pki.orgSign.certificate.base64)))).toEqual(['XADES-SIGNATURE-INVALID', 'XADES-SIGNING-CERTIFICATE']);
    });

    it('an authentication certificate, an untrusted CA, an expired certificate', () => {
      expect(() => buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials: pki.authCli.credentials() })).toThrow(
        expect.objectContaining({ name: 'LotSignatureError', code: 'XADES-CERTIFICATE-NOT-SIGNATURE' }),
      );
      const auth = buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials: pki.authCli.credentials(), allowNonSignatureCertificate: true });
      expect(codes(verify(auth))).toEqual(['XADES-CERTIFICATE-NOT-SIGNATURE']);
      const stranger = createTestCa().issue('org-sign');
      expect(codes(verify(buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials: stranger.credentials() })))).toEqual(['XADES-CERTIFICATE-UNTRUSTED']);
      const expired = pki.ca.issue('org-sign', { notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
      expect(codes(verify(buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials: expired.credentials() })))).toEqual(['XADES-CERTIFICATE-EXPIRED']);
    });

    it('uniqueIds that are not plain OIDs, and an empty lot, at build time', () => {
      const credentials = pki.orgSign.credentials();
      expect(() => buildLotSignature({ submissionSetUniqueId: SS, documents: [{ uniqueId: '1.2.3^ext', content: 'x' }], credentials })).toThrow(/not a plain OID/);
      expect(() => buildLotSignature({ submissionSetUniqueId: SS, documents: [], credentials })).toThrow(expect.objectContaining({ code: 'XADES-STRUCTURE' }));
    });

    it('something that is not a lot signature', () => {
      expect(codes(verifyLotSignature('<a/>'))).toEqual(['XADES-STRUCTURE']);
      expect(codes(verifyLotSignature('<!DOCTYPE a><a/>'))).toEqual(['XADES-XML-INVALID']);
    });
  });

  it('gives the signature DocumentEntry metadata, with hash and size of the signature bytes', () => {
    const xml = buildLotSignature({ submissionSetUniqueId: SS, documents: docs, credentials: pki.orgSign.credentials() });
    const meta = signatureDocumentEntryMetadata(xml);
    expect(meta).toMatchObject({
      classCode: { code: 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1', codingScheme: 'URN', displayName: 'Digital Signature' },
      typeCode: { code: 'E1762', codingScheme: 'ASTM', displayName: 'Full Document' },
      formatCode: { code: 'http://www.w3.org/2000/09/xmldsig#', codingScheme: 'URN', displayName: 'Default Signature Style' },
      eventCodeList: [{ code: '1.2.840.10065.1.12.1.14', codingScheme: '1.2.840.10065.1.12', displayName: 'Source' }],
      languageCode: 'art',
      mimeType: 'text/xml',
      title: 'Source',
    });
    expect(meta.confidentialityCode.map((c) => c.code)).toEqual(['N', 'MASQUE_PS', 'INVISIBLE_PATIENT']);
    expect(meta.hash).toBe(createHash('sha1').update(Buffer.from(xml, 'utf8')).digest('hex'));
    expect(meta.size).toBe(Buffer.byteLength(xml, 'utf8'));
    expect(signatureDocumentEntryMetadata().hash).toBeUndefined();
  });
});
