import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PkiError,
  checkCertificateTrust,
  createTestCa,
  createTestPki,
  dnComparisonKey,
  loadSigningCredentials,
  readCertificate,
  sameDistinguishedName,
  signatureCertificateProblem,
  type TestPki,
} from '../../src/pki/index.js';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});

describe('test PKI', () => {
  it('writes subjects in RFC 2253 order with ST=, as the VIHF Issuer needs', () => {
    expect(pki.orgSign.subjectDn).toBe('CN=dmpkit.test,OU=499900063480001,O=CABINET DR LIBRE TEST,ST=Sarthe (72),C=FR');
    expect(pki.authCli.subjectDn).toBe(pki.orgSign.subjectDn);
    expect(pki.orgSign.certificate.issuerDn).toBe(pki.ca.subjectDn);
    // Types outside RFC 2253's keyword list are OID=#DER-hex (UTF8String 0x0c), as Java writes CPS DNs.
    expect(pki.cps.subjectDn).toBe('CN=899900063480,2.5.4.4=#0c054c49425245,2.5.4.42=#0c034d4158,2.5.4.12=#0c084dc3a9646563696e,C=FR');
  });

  it('gives each profile the key usages of its IGC-Santé counterpart', () => {
    expect([...pki.orgSign.certificate.keyUsage!].sort()).toEqual(['digitalSignature', 'nonRepudiation']);
    expect([...pki.cps.certificate.keyUsage!]).toEqual(['nonRepudiation']);
    expect([...pki.authCli.certificate.keyUsage!].sort()).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(pki.authCli.certificate.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(pki.ca.certificate.isCa).toBe(true);
    expect(pki.orgSign.certificate.isCa).toBe(false);
  });

  it('accepts signature certificates and refuses the authentication one', () => {
    expect(signatureCertificateProblem(pki.orgSign.certificate)).toBeUndefined();
    expect(signatureCertificateProblem(pki.cps.certificate)).toBeUndefined();
    expect(signatureCertificateProblem(pki.authCli.certificate)).toMatch(/authentication certificate/);
    const encipherOnly = pki.ca.issue('org-sign', { keyUsage: ['keyEncipherment'], extKeyUsage: [] });
    expect(signatureCertificateProblem(encipherOnly.certificate)).toMatch(/neither digitalSignature nor nonRepudiation/);
  });

  it('reads serial numbers in decimal and validity dates', () => {
    const c = pki.ca.issue('org-sign', { serialNumber: '0a', notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2025-06-01T00:00:00Z') });
    expect(c.certificate.serialNumber).toBe('10');
    expect(c.certificate.notBefore.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(c.certificate.notAfter.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    // PEM, bare base64 and DER give the same certificate.
    expect(readCertificate(c.certificate.base64).subjectDn).toBe(c.subjectDn);
    expect(readCertificate(c.certificate.der).serialNumber).toBe('10');
    expect(() => readCertificate('not a certificate!')).toThrow(PkiError);
  });
});

describe('signing credentials', () => {
  it('loads PEM and PKCS#12 (AES and legacy 3DES) to the same key and certificate', () => {
    const fromPem = pki.orgSign.credentials();
    for (const legacy of [false, true]) {
      const p12 = loadSigningCredentials({ pkcs12: pki.orgSign.toPkcs12('s3cret-pw', { legacy }), password: 's3cret-pw' });
      expect(p12.certificate.der.equals(fromPem.certificate.der)).toBe(true);
      expect(p12.chain.map((c) => c.subjectDn)).toEqual([pki.ca.subjectDn]);
      expect(p12.privateKey.export({ type: 'pkcs8', format: 'der' }).equals(fromPem.privateKey.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
    }
  });

  it('refuses a wrong PKCS#12 password without echoing it', () => {
    let error: unknown;
    try {
      loadSigningCredentials({ pkcs12: pki.orgSign.toPkcs12('right-password'), password: 'wrong-password-42' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PkiError);
    expect((error as PkiError).code).toBe('PKI-PKCS12-UNREADABLE');
    expect(String((error as Error).message)).not.toContain('wrong-password-42');
  });

  it('refuses a key that does not belong to the certificate', () => {
    expect(() => loadSigningCredentials({ keyPem: pki.authCli.keyPem, certPem: pki.orgSign.certPem })).toThrow(
      expect.objectContaining({ code: 'PKI-KEY-MISMATCH' }),
    );
  });

  it('never prints or serialises the private key', () => {
    const creds = pki.orgSign.credentials();
    const keyB64 = pki.orgSign.keyPem.split('\n')[1]!;
    const shown = `${inspect(creds, { depth: 5 })} ${JSON.stringify(creds)} ${String(creds)}`;
    expect(shown).toContain('[redacted]');
    expect(shown).not.toContain(keyB64);
    expect(shown).not.toContain('PRIVATE KEY');
  });
});

describe('certificate trust', () => {
  it('accepts a certificate issued by a trusted CA and refuses one from another CA', () => {
    expect(checkCertificateTrust(pki.orgSign.certificate, [pki.ca.certificate]).ok).toBe(true);
    const other = createTestCa();
    const r = checkCertificateTrust(pki.orgSign.certificate, [other.certificate]);
    expect(r.ok).toBe(false);
  });

  it('refuses a chain whose CA has expired at the verification time', () => {
    const old = createTestCa({ notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const leaf = old.issue('org-sign', { notBefore: new Date('2020-01-01'), notAfter: new Date('2030-01-01') });
    expect(checkCertificateTrust(leaf.certificate, [old.certificate], [], new Date('2020-06-01')).ok).toBe(true);
    expect(checkCertificateTrust(leaf.certificate, [old.certificate], [], new Date('2022-01-01'))).toMatchObject({ ok: false });
  });

  it('walks through intermediates', () => {
    const inter = pki.ca.issue('ca', { subject: [['C', 'FR'], ['O', 'DMPKIT TEST'], ['CN', 'DMPKIT INTERMEDIATE']] });
    const leaf = inter.issue('org-sign');
    expect(checkCertificateTrust(leaf.certificate, [pki.ca.certificate])).toMatchObject({ ok: false });
    const r = checkCertificateTrust(leaf.certificate, [pki.ca.certificate], [inter.certificate]);
    expect(r.ok && r.path.map((c) => c.subjectDn)).toEqual([leaf.subjectDn, inter.subjectDn, pki.ca.subjectDn]);
  });
});

describe('distinguished names', () => {
  it('compares DNs written by .NET (S=, spaces, other order) with RFC 2253 ones', () => {
    const rfc = 'CN=Certificat Wizard DMP 2019-R2,OU=10B0127189,O=CENTRE DE SANTE RPPS12718,ST=Rhône (69),C=FR';
    expect(sameDistinguishedName('C=FR, S=Rhône (69), O=CENTRE DE SANTE RPPS12718, OU=10B0127189, CN=Certificat Wizard DMP 2019-R2', rfc)).toBe(true);
    expect(sameDistinguishedName(rfc.replace('10B0127189', '10B0127180'), rfc)).toBe(false);
  });

  it('decodes #hex values and escapes', () => {
    // 0x14 = T61String "TRAL" as in the official DIRECTE sample's Issuer.
    expect(sameDistinguishedName('CN=1+2.5.4.4=#14045452414c', 'CN=1+SN=TRAL')).toBe(true);
    expect(dnComparisonKey('CN=a\\,b,O=c')).toBe(dnComparisonKey('O=c,CN="a,b"'));
    expect(dnComparisonKey('not a dn')).toBeUndefined();
  });
});
