/**
 * verifyVihf checks XML-DSig itself on the DOM it parsed; xml-crypto's SignedXml (signatureEngine: 'xml-crypto')
 * is the reference. Over signed tokens of every shape and over tampered ones, both engines must give the same
 * verdict, the same problem codes and the same decoded context; the expected code of each case is asserted too,
 * so that two engines agreeing on a wrong answer still fail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, createTestPki, type TestPki } from '../../src/pki/index.js';
import { buildVihfAssertion, createSignedVihf, verifyVihf, type VerifyVihfOptions, type VihfVerification } from '../../src/vihf/index.js';
import { parseSafeXml } from '../../src/vihf/xml.js';
import { readXml } from '../../src/xml/fast-parse.js';
import { medecinContext, readXdsManifest, replaceOnce, requireXdsCorpus, xdsFile } from './helpers.js';

let pki: TestPki;
const AT = new Date('2026-01-15T10:00:30Z');
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const security = (inner: string) => `<wsse:Security xmlns:wsse="${WSSE}">${inner}</wsse:Security>`;
const envelope = (header: string, body = '<x/>', decl = '') =>
  `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"${decl}><soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;

function both(input: string | Uint8Array, options: VerifyVihfOptions = {}): { ours: VihfVerification; reference: VihfVerification } {
  const o = { at: AT, trustedCertificates: [pki.ca.certPem], ...options };
  return { ours: verifyVihf(input, o), reference: verifyVihf(input, { ...o, signatureEngine: 'xml-crypto' }) };
}

const verdict = (r: VihfVerification) => ({ ok: r.ok, codes: r.problems.map((p) => p.code), checked: r.signatureChecked, valid: r.signature?.valid, context: r.context });

/**
 * Both engines agree, and ours gives the same outcome from the safe reader's tree of the input (what decodeMessage
 * hands over) as from the text; returns the codes for the case's own expectation.
 */
function agree(input: string | Uint8Array, options: VerifyVihfOptions = {}): string[] {
  const { ours, reference } = both(input, options);
  expect(verdict(ours)).toEqual(verdict(reference));
  let tree: ReturnType<typeof readXml> | undefined;
  try {
    tree = readXml(input);
  } catch {
    // Not readable as declared (a Latin-1 fallback case): only the text path applies.
  }
  if (tree) expect(verdict(verifyVihf(tree, { at: AT, trustedCertificates: [pki.ca.certPem], ...options }))).toEqual(verdict(ours));
  return ours.problems.map((p) => p.code);
}

const sigOf = (xml: string) => /<(ds:)?Signature[\s\S]*<\/(ds:)?Signature>/.exec(xml)![0];

beforeAll(() => {
  pki = createTestPki({ notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z') });
});

describe('signed tokens: same verdict and context as xml-crypto', () => {
  const shapes = [
    { name: 'RSA-SHA256, kit prefix list', options: {} },
    { name: 'RSA-SHA1', options: { hash: 'sha1' as const } },
    { name: 'no InclusiveNamespaces', options: { inclusivePrefixes: null } },
    { name: 'Signature in the default namespace', options: { signaturePrefix: '' } },
  ];
  for (const shape of shapes) {
    it(`${shape.name}: bare, in wsse:Security, in a SOAP envelope with extra declarations`, () => {
      const xml = createSignedVihf(medecinContext(), pki.orgSign.credentials(), shape.options).xml;
      for (const input of [xml, security(xml), envelope(security(xml)), Buffer.from(envelope(security(xml), '<x/>', ' xmlns:xs="http://www.w3.org/2001/XMLSchema"'))]) {
        expect(agree(input)).toEqual([]);
      }
    });
  }

  it('a comment inside signed text does not change the digest (exc-c14n without comments), nor the context', () => {
    const xml = createSignedVihf(medecinContext(), pki.orgSign.credentials()).xml;
    const commented = replaceOnce(xml, '<saml2:NameID>899900063480<', '<saml2:NameID>8999000<!-- c -->63480<');
    expect(agree(commented)).toEqual([]);
    expect(verifyVihf(commented, { at: AT }).context?.nameId).toBe('899900063480');
  });

  it("read on the safe reader's tree: references and whitespace in text and attributes as xmldom reads them", () => {
    const xml = createSignedVihf(medecinContext(), pki.orgSign.credentials()).xml;
    const kind = (input: string) => parseSafeXml(input, { view: true, omitSoapBody: true }).doc.constructor.name;
    expect(kind(envelope(security(xml)))).toBe('ViewDocument');
    // A comment in the omitted Body is not in the view; one in the Header sends the text to xmldom.
    expect(kind(envelope(security(xml), '<x><!-- c --></x>'))).toBe('ViewDocument');
    expect(kind(envelope(`<!-- c -->${security(xml)}`))).not.toBe('ViewDocument');
    expect(agree(envelope(`<!-- c -->${security(xml)}`, '<x><?pi?><!-- c --></x>'))).toEqual([]);
    // [written, rewritten as, still valid]: the digest holds exactly when xmldom reads the same characters.
    const edits: Array<[string, string, boolean]> = [
      ['MAX LIBRE', 'MAX&#32;LIBRE', true],
      ['displayName="Médecin"', 'displayName="M&#233;decin"', true],
      ['codeSystemName="specialites RPPS"', 'codeSystemName="specialites\tRPPS"', true],
      ['codeSystemName="specialites RPPS"', 'codeSystemName="specialites\r\nRPPS"', true],
      ['^^^&amp;1.2', '^^^&#38;1.2', true],
      ['>MAX LIBRE<', '><![CDATA[MAX LIBRE]]><', true],
      ['codeSystemName="specialites RPPS"', 'codeSystemName="specialites&#9;RPPS"', false],
      ['MAX LIBRE', 'MAX&#13;LIBRE', false],
      ['MAX LIBRE', 'MAX\r\nLIBRE', false],
      ['<saml2:Subject>', '\r\n<saml2:Subject>', false],
      ['<saml2:Subject>', '<?pi data?><saml2:Subject>', false],
    ];
    for (const [from, to, valid] of edits) expect(agree(envelope(security(replaceOnce(xml, from, to))))).toEqual(valid ? [] : ['VIHF-SIGNATURE-DIGEST-MISMATCH']);
  });

  it('an ancestor declaring a prefix of the PrefixList changes the canonical form (both engines see it)', () => {
    const xml = createSignedVihf(medecinContext(), pki.orgSign.credentials()).xml;
    // The kit's PrefixList names saml: an outer declaration of it is pulled into the canonical form.
    expect(agree(envelope(security(xml), '<x/>', ' xmlns:saml="urn:example:other"'))).toEqual(['VIHF-SIGNATURE-DIGEST-MISMATCH']);
  });

  it('the official signed sample, reformatted after signing, is a digest mismatch for both', () => {
    if (!requireXdsCorpus('signature engine')) return;
    const signed = readXdsManifest().files.find((f) => f.facts.saml_assertion?.signed)!;
    const at = new Date(signed.facts.saml_assertion!.IssueInstant);
    expect(agree(xdsFile(signed.file), { at, trustedCertificates: [] })).toContain('VIHF-SIGNATURE-DIGEST-MISMATCH');
  });
});

describe('tampered tokens: same refusal as xml-crypto', () => {
  let signed: string;
  let id: string;
  beforeAll(() => {
    id = '_engine-1';
    signed = createSignedVihf(medecinContext({ id }), pki.orgSign.credentials()).xml;
  });

  it('a changed attribute value, element text, instant or whitespace', () => {
    for (const tampered of [
      replaceOnce(signed, 'code="SM26"', 'code="SM27"'),
      replaceOnce(signed, '<saml2:NameID>899900063480<', '<saml2:NameID>899900063481<'),
      signed.replace(/IssueInstant="2026/, 'IssueInstant="2027'),
      replaceOnce(signed, '</saml2:Subject>', '</saml2:Subject> '),
    ]) {
      expect(agree(tampered)).toEqual(['VIHF-SIGNATURE-DIGEST-MISMATCH']);
    }
  });

  it('SignedInfo altered: the RSA value no longer matches', () => {
    // Same prefixes in another order: the digest still matches, SignedInfo's canonical form does not.
    expect(agree(replaceOnce(signed, 'PrefixList="ds saml #default xsi"', 'PrefixList="xsi ds saml #default"'))).toEqual(['VIHF-SIGNATURE-INVALID']);
    expect(agree(replaceOnce(signed, `<ds:Reference URI=`, '<ds:Reference Id="r1" URI='))).toEqual(['VIHF-SIGNATURE-INVALID']);
    // Insignificant inside a tag: canonicalisation removes it.
    expect(agree(replaceOnce(signed, 'xmldsig-more#rsa-sha256"', 'xmldsig-more#rsa-sha256" '))).toEqual([]);
    const digest = /<ds:DigestValue>([^<]+)</.exec(signed)![1]!;
    // A DigestValue that decodes to the same bytes (base64 with a line break) is another SignedInfo.
    const rewrapped = replaceOnce(signed, `>${digest}<`, `>${digest.slice(0, 8)}\n${digest.slice(8)}<`);
    expect(agree(rewrapped)).toEqual(['VIHF-SIGNATURE-INVALID']);
  });

  it('signature value changed, emptied, in a CDATA section', () => {
    const value = /<ds:SignatureValue>([^<]+)</.exec(signed)![1]!;
    expect(agree(replaceOnce(signed, value, `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`))).toEqual(['VIHF-SIGNATURE-INVALID']);
    // SignedXml finds the enveloped Signature by its value: an empty one is not removed, so the digest fails first.
    expect(agree(replaceOnce(signed, `>${value}<`, '><'))).toEqual(['VIHF-SIGNATURE-DIGEST-MISMATCH']);
    expect(agree(replaceOnce(signed, `>${value}<`, `><![CDATA[${value}]]><`))).toEqual(['VIHF-SIGNATURE-INVALID']);
  });

  it('DigestValue changed, emptied, doubled', () => {
    const digest = /<ds:DigestValue>([^<]+)</.exec(signed)![1]!;
    expect(agree(replaceOnce(signed, digest, `${digest[0] === 'A' ? 'B' : 'A'}${digest.slice(1)}`))).toEqual(['VIHF-SIGNATURE-DIGEST-MISMATCH']);
    expect(agree(replaceOnce(signed, `>${digest}<`, '><'))).toEqual(['VIHF-SIGNATURE-INVALID']);
    const doubled = replaceOnce(signed, `<ds:DigestValue>${digest}</ds:DigestValue>`, `<ds:DigestValue>${digest}</ds:DigestValue><ds:DigestValue>${digest}</ds:DigestValue>`);
    expect(agree(doubled)).toEqual(['VIHF-SIGNATURE-INVALID']);
  });

  it('the signature moved out of the assertion, or elsewhere in it', () => {
    const sig = sigOf(signed);
    expect(agree(security(signed.replace(sig, '') + sig))).toEqual(['VIHF-SIGNATURE-WRAPPING']);
    expect(agree(signed.replace(sig, '').replace('</saml2:Assertion>', `${sig}</saml2:Assertion>`))).toEqual(['VIHF-SIGNATURE-MISPLACED']);
  });

  it('wrapping: a second Assertion with the same ID, in the header or in the body', () => {
    const evil = buildVihfAssertion(medecinContext({ id, nameId: '899900000000', issuer: pki.orgSign.subjectDn })).xml;
    const inAdvice = evil.replace('</saml2:Issuer>', `</saml2:Issuer>${sigOf(signed)}`).replace('<saml2:AuthnStatement', `<saml2:Advice>${signed}</saml2:Advice><saml2:AuthnStatement`);
    expect(agree(inAdvice)).toContain('VIHF-SIGNATURE-WRAPPING');
    const inBody = envelope(security(signed), evil);
    expect(agree(inBody)).toContain('VIHF-SIGNATURE-WRAPPING');
    // The same ID on a namespaced attribute: only SignedXml's lookup (any namespace) sees it.
    const prefixedId = envelope(security(signed), `<x xmlns:w="urn:w" w:ID="${id}"/>`);
    expect(agree(prefixedId)).toEqual(['VIHF-SIGNATURE-WRAPPING']);
  });

  it('wrapping: a copy of the Signature elsewhere in the document', () => {
    const copy = envelope(security(signed), sigOf(signed));
    expect(agree(copy)).toEqual(['VIHF-SIGNATURE-WRAPPING']);
  });

  it('a SOAP Body left out of the DOM is still searched for IDs and signatures', () => {
    const inBody = envelope(security(signed), '<x/>');
    expect(parseSafeXml(inBody, { omitSoapBody: true }).omittedBody).toBeDefined();
    expect(parseSafeXml(`${inBody.slice(0, -'</soap:Envelope>'.length)}<after/></soap:Envelope>`, { omitSoapBody: true }).omittedBody).toBeUndefined();
    // An unsigned assertion, its signature in the Body.
    const unsigned = buildVihfAssertion(medecinContext({ id, issuer: pki.orgSign.subjectDn })).xml;
    expect(agree(envelope(security(unsigned), `<x>${sigOf(signed)}</x>`))).toEqual(['VIHF-SIGNATURE-WRAPPING']);
    // Deep in the Body, as in an ITI-41 lot.
    expect(agree(envelope(security(signed), `<a><b><c xml:id="x" ID="${id}">t</c></b></a>`))).toEqual(['VIHF-SIGNATURE-WRAPPING']);
    expect(agree(envelope(security(signed), `<a><b Id="${id}"/></a>`))).toEqual(['VIHF-SIGNATURE-WRAPPING']);
    expect(agree(envelope(security(signed), '<a><b ID="other">text &amp; more</b></a>'))).toEqual([]);
    // A Body that is not the last element stays in the DOM: same verdicts.
    expect(agree(`${envelope(security(signed), `<a ID="${id}"/>`).slice(0, -'</soap:Envelope>'.length)}<after/></soap:Envelope>`)).toEqual(['VIHF-SIGNATURE-WRAPPING']);
  });

  it('a reference to another element, or with a quote', () => {
    const other = replaceOnce(signed, `URI="#${id}"`, 'URI="#_elsewhere"');
    expect(agree(other)).toEqual(['VIHF-SIGNATURE-WRAPPING']);
    const quoted = replaceOnce(replaceOnce(signed, `URI="#${id}"`, `URI="#${id}'"`), `ID="${id}"`, `ID="${id}'"`);
    expect(agree(quoted)[0]).toBe('VIHF-SIGNATURE-INVALID');
  });

  it('wrong certificate: another key in KeyInfo, an untrusted CA, an authentication certificate', () => {
    const other = pki.ca.issue('org-sign', { subject: [['C', 'FR'], ['ST', 'Sarthe (72)'], ['O', 'CABINET DR LIBRE TEST'], ['OU', '499900063480001'], ['CN', 'dmpkit.test']] });
    const forged = createSignedVihf(medecinContext(), other.credentials()).xml;
    const swapped = replaceOnce(forged, /<ds:X509Certificate>[^<]+</.exec(forged)![0], `<ds:X509Certificate>${pki.orgSign.certificate.base64}<`);
    expect(agree(swapped)).toEqual(['VIHF-SIGNATURE-INVALID']);
    const stranger = createTestCa({ notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') }).issue('org-sign', { notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });
    expect(agree(createSignedVihf(medecinContext(), stranger.credentials()).xml)).toEqual(['VIHF-CERTIFICATE-UNTRUSTED']);
    const auth = createSignedVihf(medecinContext(), pki.authCli.credentials(), { allowNonSignatureCertificate: true }).xml;
    expect(agree(auth)).toEqual(['DMPInvalidCertificate']);
  });

  it('trust is re-checked at each time: a remembered path does not outlive its CA', () => {
    const shortCa = createTestCa({ notBefore: new Date('2025-01-01'), notAfter: new Date('2026-06-01') });
    const leaf = shortCa.issue('org-sign', { notBefore: new Date('2025-01-01'), notAfter: new Date('2030-01-01') });
    const xml = createSignedVihf(medecinContext(), leaf.credentials()).xml;
    expect(agree(xml, { trustedCertificates: [shortCa.certPem] })).toEqual([]);
    expect(agree(xml, { trustedCertificates: [shortCa.certPem], at: new Date('2026-07-01T00:00:00Z') })).toEqual(['VIHF-CERTIFICATE-UNTRUSTED']);
  });
});
