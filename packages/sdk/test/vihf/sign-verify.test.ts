import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestCa, createTestPki, loadSigningCredentials, type SigningCredentials, type TestPki } from '../../src/pki/index.js';
import {
  VIHF_ATTRIBUTE,
  VihfProblemError,
  assertVihfValid,
  buildVihfAssertion,
  createSignedVihf,
  signVihfAssertion,
  verifyVihf,
  type VihfVerification,
} from '../../src/vihf/index.js';
import { medecinContext, replaceOnce } from './helpers.js';

let pki: TestPki;
let creds: SigningCredentials;
const AT = new Date('2026-01-15T10:00:30Z');

beforeAll(() => {
  // Certificates valid around AT whatever the day the suite runs.
  pki = createTestPki({ notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z') });
  creds = pki.orgSign.credentials();
});

const codes = (r: VihfVerification) => r.problems.map((p) => p.code);
const strict = (xml: string, extra: Parameters<typeof verifyVihf>[1] = {}) => verifyVihf(xml, { at: AT, trustedCertificates: [pki.ca.certPem], ...extra });

describe('build → sign → verify round trips', () => {
  for (const hash of ['sha256', 'sha1'] as const) {
    for (const source of ['pem', 'pkcs12'] as const) {
      it(`${hash.toUpperCase()} with a ${source} key`, () => {
        const credentials =
          source === 'pem'
            ? loadSigningCredentials({ keyPem: pki.orgSign.keyPem, certPem: pki.orgSign.certPem })
            : loadSigningCredentials({ pkcs12: pki.orgSign.toPkcs12('pw'), password: 'pw' });
        const { xml, context } = createSignedVihf(medecinContext(), credentials, { hash });
        const r = strict(xml);
        expect(r.problems).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.signatureChecked).toBe(true);
        expect(r.signature).toMatchObject({ valid: true, hash, digestHash: hash, certificate: { subjectDn: pki.orgSign.subjectDn } });
        expect(r.context).toEqual(context);
        expect(assertVihfValid(r)).toEqual(context);
        const algo = hash === 'sha256' ? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' : 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
        expect(xml).toContain(`<ds:SignatureMethod Algorithm="${algo}"/>`);
      });
    }
  }

  it('round-trips every optional attribute (confidentiality code in both forms, extra roles, conditions, decl)', () => {
    for (const confidentialityCodeForm of ['ce', 'string'] as const) {
      const { xml, context } = createSignedVihf(
        medecinContext({
          version: '4.0',
          authenticationMode: 'INDIRECTE_RENFORCEE',
          purposeOfUse: 'bris_de_glace',
          confidentialityCode: 'INVISIBLE_REPRESENTANTS_LEGAUX',
          extraRoles: [{ code: 'R1', codeSystem: '1.2.250.1.213.1.1.4.999', displayName: 'rôle' }],
          notBefore: '2026-01-15T09:59:00.000Z',
          notOnOrAfter: '2026-01-15T10:05:00.000Z',
          authnContextDecl: 'APP_BROWSER_AUTH',
          id: 'VIHF-1234',
        }),
        creds,
        { confidentialityCodeForm },
      );
      const r = strict(xml);
      expect(r.problems).toEqual([]);
      expect(r.context).toEqual(context);
      expect(r.context?.confidentialityCode).toBe('INVISIBLE_REPRESENTANTS_LEGAUX');
    }
  });

  it('verifies the assertion inside a SOAP 1.2 envelope', () => {
    const { xml } = createSignedVihf(medecinContext(), creds);
    const soap =
      '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header>' +
      '<Action xmlns="http://www.w3.org/2005/08/addressing">urn:ihe:iti:2007:RegistryStoredQuery</Action>' +
      `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">${xml}</wsse:Security>` +
      '</soap:Header><soap:Body/></soap:Envelope>';
    const r = strict(soap);
    expect(r.problems).toEqual([]);
    expect(r.context?.nameId).toBe('899900063480');
  });

  it('signs with the CPS-like certificate in direct mode', () => {
    const ctx = medecinContext({ authenticationMode: 'DIRECTE', subjectId: undefined });
    const { xml } = createSignedVihf(ctx, pki.cps.credentials());
    expect(xml).toContain(`>${pki.cps.subjectDn}</saml2:Issuer>`);
    expect(strict(xml).problems).toEqual([]);
  });

  it('prints nothing while signing and verifying', () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    strict(createSignedVihf(medecinContext(), creds).xml);
    for (const s of [...spies, out, err]) {
      expect(s).not.toHaveBeenCalled();
      s.mockRestore();
    }
  });
});

describe('tampering is detected', () => {
  let signed: string;
  beforeAll(() => {
    signed = createSignedVihf(medecinContext({ confidentialityCode: 'INVISIBLE_REPRESENTANTS_LEGAUX' }), creds).xml;
  });

  it('on every attribute value', () => {
    const names = [...signed.matchAll(/<saml2:Attribute Name="([^"]+)">/g)].map((m) => m[1]!);
    expect(names).toContain(VIHF_ATTRIBUTE.role);
    for (const name of names) {
      const start = signed.indexOf(`<saml2:Attribute Name="${name}">`);
      const tampered = signed.slice(0, start) + signed.slice(start).replace(/(xsi:type="xs:string">)([^<])|( code=")([^"])/, (_m, a, b, c, d) => (a ? `${a}X${b}` : `${c}X${d}`));
      expect(tampered).not.toBe(signed);
      const r = strict(tampered);
      // The altered value may also break an attribute rule (e.g. VIHF_Version "X3.0"): the signature comes first.
      expect(codes(r)[0], name).toBe('VIHF-SIGNATURE-DIGEST-MISMATCH');
      expect(r.ok).toBe(false);
      expect(r.problems[0]!.message).toBe('the signed content was altered after signing (digest mismatch)');
      expect(r.context).toBeUndefined();
    }
  });

  it('on NameID, Issuer and the instants', () => {
    expect(codes(strict(replaceOnce(signed, '<saml2:NameID>899900063480<', '<saml2:NameID>899900063481<')))).toEqual(['VIHF-SIGNATURE-DIGEST-MISMATCH']);
    expect(codes(strict(signed.replace(/IssueInstant="2026/, 'IssueInstant="2027')))).toEqual(['VIHF-SIGNATURE-DIGEST-MISMATCH']);
    const otherIssuer = signed.replace('O=CABINET DR LIBRE TEST', 'O=AUTRE CABINET');
    expect(codes(strict(otherIssuer))).toEqual(['VIHF-ISSUER-MISMATCH', 'VIHF-SIGNATURE-DIGEST-MISMATCH']);
  });

  it('on the signature value and on the signed info', () => {
    const value = /<ds:SignatureValue>([^<]+)</.exec(signed)![1]!;
    const flipped = (value[5] === 'A' ? 'B' : 'A');
    const badValue = replaceOnce(signed, value, value.slice(0, 5) + flipped + value.slice(6));
    expect(codes(strict(badValue))).toEqual(['VIHF-SIGNATURE-INVALID']);
    const digest = /<ds:DigestValue>([^<]+)</.exec(signed)![1]!;
    const badDigest = replaceOnce(signed, digest, `${digest[0] === 'A' ? 'B' : 'A'}${digest.slice(1)}`);
    expect(codes(strict(badDigest))).toEqual(['VIHF-SIGNATURE-DIGEST-MISMATCH']);
  });

  it('on a signature made with another key than the KeyInfo certificate', () => {
    const other = pki.ca.issue('org-sign', { subject: [['C', 'FR'], ['ST', 'Sarthe (72)'], ['O', 'CABINET DR LIBRE TEST'], ['OU', '499900063480001'], ['CN', 'dmpkit.test']] });
    const forged = createSignedVihf(medecinContext(), other.credentials()).xml;
    const cert = /<ds:X509Certificate>([^<]+)</.exec(forged)![1]!;
    const swapped = replaceOnce(forged, cert, pki.orgSign.certificate.base64);
    expect(codes(strict(swapped))).toEqual(['VIHF-SIGNATURE-INVALID']);
  });
});

describe('signature wrapping and placement', () => {
  let signed: string;
  let id: string;
  const security = (inner: string) =>
    `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">${inner}</wsse:Security>`;
  beforeAll(() => {
    signed = createSignedVihf(medecinContext({ id: '_signed-1' }), creds).xml;
    id = '_signed-1';
  });

  it('refuses a signature moved out of the assertion', () => {
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const moved = security(signed.replace(sig, '') + sig);
    expect(codes(strict(moved))).toEqual(['VIHF-SIGNATURE-WRAPPING']);
  });

  it('refuses an evil assertion carrying the signed one (reference to another ID)', () => {
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const evil = buildVihfAssertion(medecinContext({ id: '_evil', nameId: '899900000000', issuer: pki.orgSign.subjectDn })).xml;
    // Signature of the genuine assertion placed in the evil one; the genuine one hidden in an Advice.
    const wrapped = evil
      .replace('</saml2:Issuer>', `</saml2:Issuer>${sig}`)
      .replace('<saml2:AuthnStatement', `<saml2:Advice>${signed}</saml2:Advice><saml2:AuthnStatement`);
    const r = strict(wrapped);
    expect(codes(r)).toContain('VIHF-SIGNATURE-WRAPPING');
    expect(r.ok).toBe(false);
    expect(r.context).toBeUndefined();
  });

  it('refuses an evil assertion reusing the signed ID (duplicate IDs)', () => {
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const evil = buildVihfAssertion(medecinContext({ id, nameId: '899900000000', issuer: pki.orgSign.subjectDn })).xml;
    const wrapped = evil
      .replace('</saml2:Issuer>', `</saml2:Issuer>${sig}`)
      .replace('<saml2:AuthnStatement', `<saml2:Advice>${signed}</saml2:Advice><saml2:AuthnStatement`);
    const r = strict(wrapped);
    expect(codes(r)).toContain('VIHF-SIGNATURE-WRAPPING');
    expect(r.context).toBeUndefined();
  });

  it('refuses a signature placed elsewhere in the assertion', () => {
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const moved = signed.replace(sig, '').replace('</saml2:Assertion>', `${sig}</saml2:Assertion>`);
    expect(codes(strict(moved))).toEqual(['VIHF-SIGNATURE-MISPLACED']);
  });

  it('refuses two assertions in the security header', () => {
    const r = strict(security(signed + signed.replace(`ID="${id}"`, 'ID="_other"')));
    expect(codes(r)).toEqual(['VIHF-ASSERTION-MULTIPLE']);
  });

  it('refuses transforms or algorithms outside the profile', () => {
    const noEnveloped = signed.replace('<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>', '');
    expect(codes(strict(noEnveloped))).toEqual(['VIHF-SIGNATURE-REFERENCE']);
    const sha1 = createSignedVihf(medecinContext(), creds, { hash: 'sha1' }).xml;
    expect(codes(strict(sha1, { acceptedHashes: ['sha256'] }))).toEqual(['VIHF-SIGNATURE-ALGORITHM', 'VIHF-SIGNATURE-ALGORITHM']);
  });
});

describe('certificates', () => {
  it('refuses to sign with the authentication certificate (DMPInvalidCertificate)', () => {
    let error: unknown;
    try {
      createSignedVihf(medecinContext(), pki.authCli.credentials());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VihfProblemError);
    expect((error as VihfProblemError).code).toBe('DMPInvalidCertificate');
    expect((error as Error).message).toContain('Le certificat ayant signé le VIHF est invalide');
  });

  it('reports a VIHF signed with the authentication certificate as DMPInvalidCertificate', () => {
    const { xml } = createSignedVihf(medecinContext(), pki.authCli.credentials(), { allowNonSignatureCertificate: true });
    const r = strict(xml);
    expect(codes(r)).toEqual(['DMPInvalidCertificate']);
    expect(r.signature?.valid).toBe(true);
    expect(() => assertVihfValid(r)).toThrow(expect.objectContaining({ name: 'VihfProblemError', code: 'DMPInvalidCertificate' }));
  });

  it('reports expired, not yet valid and untrusted certificates', () => {
    const expired = pki.ca.issue('org-sign', { notBefore: new Date('2024-01-01'), notAfter: new Date('2025-01-01') });
    expect(codes(strict(createSignedVihf(medecinContext(), expired.credentials()).xml))).toEqual(['VIHF-CERTIFICATE-EXPIRED']);
    const future = pki.ca.issue('org-sign', { notBefore: new Date('2027-01-01'), notAfter: new Date('2028-01-01') });
    expect(codes(strict(createSignedVihf(medecinContext(), future.credentials()).xml))).toEqual(['VIHF-CERTIFICATE-NOT-YET-VALID']);
    const strangerCa = createTestCa({ notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });
    const stranger = strangerCa.issue('org-sign', { notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });
    const xml = createSignedVihf(medecinContext(), stranger.credentials()).xml;
    expect(codes(strict(xml))).toEqual(['VIHF-CERTIFICATE-UNTRUSTED']);
    // Without trust anchors the chain is not checked.
    expect(verifyVihf(xml, { at: AT }).ok).toBe(true);
  });

  it('reports an Issuer that is not the certificate DN', () => {
    expect(() => signVihfAssertion(buildVihfAssertion(medecinContext({ issuer: 'CN=someone else,C=FR' })).xml, creds)).toThrow(
      expect.objectContaining({ code: 'VIHF-ISSUER-MISMATCH' }),
    );
    const xml = signVihfAssertion(buildVihfAssertion(medecinContext({ issuer: 'CN=someone else,C=FR' })).xml, creds, { allowIssuerMismatch: true });
    expect(codes(strict(xml))).toEqual(['VIHF-ISSUER-MISMATCH']);
  });
});

describe('validity window', () => {
  const windowed = () =>
    createSignedVihf(medecinContext({ notBefore: '2026-01-15T10:00:00.000Z', notOnOrAfter: '2026-01-15T10:05:00.000Z' }), creds).xml;

  it('accepts inside NotBefore/NotOnOrAfter and refuses outside', () => {
    const xml = windowed();
    expect(strict(xml, { at: new Date('2026-01-15T10:02:00Z') }).ok).toBe(true);
    expect(codes(strict(xml, { at: new Date('2026-01-15T09:59:00Z') }))).toEqual(['VIHF-NOT-YET-VALID']);
    expect(codes(strict(xml, { at: new Date('2026-01-15T10:05:00Z') }))).toEqual(['VIHF-EXPIRED']);
    expect(strict(xml, { at: new Date('2026-01-15T10:05:30Z'), clockSkewSeconds: 60 }).ok).toBe(true);
  });
});

describe('strict vs lenient', () => {
  it('an unsigned assertion fails strict verification and passes lenient', () => {
    const { xml, context } = buildVihfAssertion(medecinContext({ issuer: pki.orgSign.subjectDn }));
    expect(codes(strict(xml))).toEqual(['VIHF-SIGNATURE-MISSING']);
    expect(strict(xml).context).toBeUndefined();
    const lenient = verifyVihf(xml, { mode: 'lenient', at: AT });
    expect(lenient.ok).toBe(true);
    expect(lenient.signatureChecked).toBe(false);
    expect(lenient.context).toEqual(context);
  });

  it('refuses a DOCTYPE (no entity is ever expanded)', () => {
    const xml = '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">&x;</saml2:Assertion>';
    const r = verifyVihf(xml, { mode: 'lenient' });
    expect(codes(r)).toEqual(['VIHF-XML-INVALID']);
    expect(r.problems[0]!.message).toMatch(/DOCTYPE/);
  });
});

describe('attribute rules (lenient, on edited unsigned tokens)', () => {
  let base: string;
  beforeAll(() => {
    base = buildVihfAssertion(medecinContext({ issuer: pki.orgSign.subjectDn })).xml;
  });
  const lenient = (xml: string, extra: Parameters<typeof verifyVihf>[1] = {}) => verifyVihf(xml, { mode: 'lenient', at: AT, ...extra });
  const attr = (name: string) => new RegExp(`<saml2:Attribute Name="${name.replace(/[.]/g, '\\.')}">[\\s\\S]*?</saml2:Attribute>`);

  it('unknown purpose of use', () => {
    const r = lenient(replaceOnce(base, 'code="normal"', 'code="urgence"'));
    expect(codes(r)).toEqual(['VIHF-PURPOSE-UNKNOWN']);
    expect(r.context).toBeUndefined();
    expect(codes(lenient(replaceOnce(base, 'codeSystem="1.2.250.1.213.1.1.4.248"', 'codeSystem="1.0.14265.1"')))).toEqual(['VIHF-PURPOSE-UNKNOWN']);
  });

  it('Ressource_URN other than urn:dmp', () => {
    expect(codes(lenient(replaceOnce(base, '>urn:dmp<', '>urn:other<')))).toEqual(['VIHF-RESSOURCE-URN']);
  });

  it('médecin without specialty role', () => {
    const noSpecialty = base.replace(/<saml2:AttributeValue><Role [^>]*code="SM26"[^>]*\/><\/saml2:AttributeValue>/, '');
    expect(codes(lenient(noSpecialty))).toEqual(['VIHF-ROLE-SPECIALTY-MISSING']);
    expect(codes(lenient(base.replace(attr(VIHF_ATTRIBUTE.role), '')))).toEqual(['VIHF-ROLE-MISSING']);
  });

  it('missing required attributes', () => {
    for (const name of [VIHF_ATTRIBUTE.lpsNom, VIHF_ATTRIBUTE.vihfVersion, VIHF_ATTRIBUTE.identifiantStructure, VIHF_ATTRIBUTE.subjectId, VIHF_ATTRIBUTE.purposeOfUse]) {
      const r = lenient(base.replace(attr(name), ''));
      expect(codes(r), name).toEqual(['VIHF-ATTRIBUTE-MISSING']);
      expect(r.problems[0]!.attribute).toBe(name);
    }
    const noPatient = base.replace(attr(VIHF_ATTRIBUTE.resourceId), '');
    expect(lenient(noPatient).ok).toBe(true);
    expect(codes(lenient(noPatient, { requirePatient: true }))).toEqual(['VIHF-ATTRIBUTE-MISSING']);
  });

  it('version, mode, Secteur_Activite, resource-id and confidentiality-code values', () => {
    expect(codes(lenient(replaceOnce(base, '>3.0<', '>2.0<')))).toEqual(['VIHF-VERSION']);
    expect(codes(lenient(base, { acceptedVersions: ['4.0'] }))).toEqual(['VIHF-VERSION']);
    expect(codes(lenient(replaceOnce(base, '>INDIRECTE<', '>AUTRE<')))).toEqual(['VIHF-AUTH-MODE']);
    expect(codes(lenient(base, { acceptedAuthModes: ['DIRECTE'] }))).toEqual(['VIHF-AUTH-MODE']);
    expect(codes(lenient(replaceOnce(base, '>SA07^1.2.250.1.71.4.2.4<', '>SA07<')))).toEqual(['VIHF-SECTEUR-ACTIVITE']);
    expect(codes(lenient(replaceOnce(base, '&amp;1.2.250.1.213.1.4.10&amp;', '&amp;1.2.250.1.213.1.4.2&amp;')))).toEqual(['VIHF-RESOURCE-ID']);
    expect(codes(lenient(replaceOnce(base, '207058575627097^', '207058575627098^')))).toEqual(['VIHF-RESOURCE-ID']);
    const conf = buildVihfAssertion(medecinContext({ issuer: pki.orgSign.subjectDn, confidentialityCode: 'INVISIBLE_REPRESENTANTS_LEGAUX' })).xml;
    expect(codes(lenient(replaceOnce(conf, 'code="INVISIBLE_REPRESENTANTS_LEGAUX"', 'code="MASQUE_PS"')))).toEqual(['VIHF-CONFIDENTIALITY-CODE']);
  });

  it('duplicated single-valued attribute', () => {
    const lps = attr(VIHF_ATTRIBUTE.lpsNom).exec(base)![0];
    expect(codes(lenient(base.replace(lps, lps + lps)))).toEqual(['VIHF-ATTRIBUTE-DUPLICATE']);
  });

  it('reads both spellings of the authentication mode attribute and says which one', () => {
    const lower = buildVihfAssertion(medecinContext({ issuer: pki.orgSign.subjectDn }), { authModeAttributeName: 'Authentification_mode' }).xml;
    expect(lower).toContain('Name="Authentification_mode"');
    const r = lenient(lower);
    expect(r.ok).toBe(true);
    expect(r.authModeAttributeName).toBe('Authentification_mode');
    expect(lenient(base).authModeAttributeName).toBe('Authentification_Mode');
  });
});
