/**
 * The official VIHF samples and the SAML headers of the DMP requests, against the corpus MANIFEST facts;
 * the official lot signature (XAdES) of the TD2.1 request. The corpus is read in place, never copied.
 */
import { describe, expect, it } from 'vitest';
import { createTestCa, readCertificate, signatureCertificateProblem } from '../../src/pki/index.js';
import {
  PURPOSES_OF_USE,
  buildVihfAssertion,
  patientToCx,
  readSamlAssertion,
  signVihfAssertion,
  signatureDocumentEntryMetadata,
  verifyLotSignature,
  verifyVihf,
  vihfRoles,
  type SamlAssertionSummary,
  type VihfContext,
} from '../../src/vihf/index.js';
import { decodeUtf8WithLatin1Fallback } from '../../src/vihf/xml.js';
import { readXdsManifest, replaceOnce, requireXdsCorpus, xdsFile, type SamlFacts, type XdsManifestEntry } from './helpers.js';

const HAS_CORPUS = requireXdsCorpus('VIHF corpus tests');
const SIGNED = 'dmp-vihf-indirecte-signed.xml';
const UNSIGNED = 'dmp-vihf-directe-unsigned.xml';

function entry(file: string): XdsManifestEntry {
  const e = readXdsManifest().files.find((f) => f.file === file);
  if (!e) throw new Error(`${file} is not in the MANIFEST`);
  return e;
}

function factsOf(e: XdsManifestEntry): SamlFacts {
  const f = e.facts.saml_assertion ?? e.facts.wsse_saml_assertion;
  if (!f) throw new Error(`${e.file} has no SAML facts`);
  return f;
}

function headerOf(s: SamlAssertionSummary): Omit<SamlFacts, 'attributes'> {
  return { ID: s.id!, IssueInstant: s.issueInstant!, Issuer: s.issuer!, NameID: s.nameId!, AuthnContextClassRef: s.authnContextClassRef, signed: s.signed };
}

/** The root SOAP part of a MIME capture (test-only slicing: the MTOM codec is another module). */
function rootPart(buf: Buffer): Buffer {
  const text = buf.toString('latin1');
  const m = /<(\w+:)?Envelope[\s>][\s\S]*?<\/\1?Envelope>/.exec(text);
  if (!m) throw new Error('no SOAP envelope in the capture');
  return buf.subarray(m.index, m.index + m[0].length);
}

/** A MIME part's body by Content-ID (test-only). */
function mimePart(buf: Buffer, contentId: string): Buffer {
  const text = buf.toString('latin1');
  const at = text.indexOf(`Content-ID: <${contentId}>`);
  const start = text.indexOf('\n\n', at) + 2;
  const end = text.indexOf('\n------=_Part', start);
  return buf.subarray(start, end);
}

/** The context written back in the MANIFEST's attribute notation (`Element|code|codeSystem|displayName`). */
function contextAsFacts(ctx: VihfContext, authAttr: string): Record<string, string[]> {
  const out: Record<string, string[]> = {
    Identifiant_Structure: [ctx.structureId],
    Secteur_Activite: [ctx.secteurActivite],
    'urn:oasis:names:tc:xacml:2.0:subject:role': vihfRoles(ctx).map((r) => `Role|${r.code}|${r.codeSystem}|${r.displayName ?? ''}`),
    VIHF_Version: [ctx.version],
    [authAttr]: [ctx.authenticationMode],
    Ressource_URN: [ctx.ressourceUrn],
    'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse': [`PurposeOfUse|${ctx.purposeOfUse}|1.2.250.1.213.1.1.4.248|${PURPOSES_OF_USE[ctx.purposeOfUse]}`],
    LPS_Nom: [ctx.lps.name],
    LPS_Version: [ctx.lps.version],
    LPS_ID_HOMOLOGATION_DMP: [ctx.lps.homologation],
  };
  if (ctx.subjectId !== undefined) out['urn:oasis:names:tc:xspa:1.0:subject:subject-id'] = [ctx.subjectId];
  if (ctx.patient) out['urn:oasis:names:tc:xacml:2.0:resource:resource-id'] = [patientToCx(ctx.patient)];
  if (ctx.lps.id !== undefined) out.LPS_ID = [ctx.lps.id];
  return out;
}

describe.skipIf(!HAS_CORPUS)('official VIHF samples vs MANIFEST facts', () => {
  for (const file of [UNSIGNED, SIGNED]) {
    it(`${file}: every attribute, read as written`, () => {
      const facts = factsOf(entry(file));
      const { summary } = readSamlAssertion(xdsFile(file));
      expect(headerOf(summary!)).toEqual((({ attributes: _a, ...h }) => h)(facts));
      expect(summary!.attributes).toEqual(facts.attributes);
    });

    it(`${file}: lenient verification decodes the typed context, equal to the facts`, () => {
      const facts = factsOf(entry(file));
      const r = verifyVihf(xdsFile(file), { mode: 'lenient', at: new Date(facts.IssueInstant) });
      expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(r.ok).toBe(true);
      const ctx = r.context!;
      expect(ctx.nameId).toBe(facts.NameID);
      expect(ctx.issuer).toBe(facts.Issuer);
      expect(ctx.id).toBe(facts.ID);
      expect(ctx.issueInstant).toBe(facts.IssueInstant);
      expect(ctx.authnContextClassRef).toBe(facts.AuthnContextClassRef);
      expect(contextAsFacts(ctx, r.authModeAttributeName!)).toEqual(facts.attributes);
    });
  }

  it('the DIRECTE sample is not valid UTF-8: the latin-1 byte is read as such and reported', () => {
    const r = verifyVihf(xdsFile(UNSIGNED), { mode: 'lenient', at: new Date('2019-06-26T08:09:00Z') });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['VIHF-ENCODING', 'warning']]);
    expect(r.problems[0]!.message).toContain('byte offset 2554');
  });

  it('strict verification of the signed sample fails only because it was reformatted after signing', () => {
    const facts = factsOf(entry(SIGNED));
    expect(entry(SIGNED).quirks.join(' ')).toMatch(/reformatted after signing/);
    // At the time it was issued its certificate was valid: the digest is the only problem.
    const r = verifyVihf(xdsFile(SIGNED), { at: new Date(facts.IssueInstant) });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { code: 'VIHF-SIGNATURE-DIGEST-MISMATCH', severity: 'error', message: 'the signed content was altered after signing (digest mismatch)' },
    ]);
    expect(r.signature).toMatchObject({ valid: false, hash: 'sha1', digestHash: 'sha1' });
    expect(r.context).toBeUndefined();
    // Today its certificate (valid until 2020-02-29) has expired as well.
    expect(verifyVihf(xdsFile(SIGNED)).problems.map((p) => p.code)).toEqual(['VIHF-CERTIFICATE-EXPIRED', 'VIHF-SIGNATURE-DIGEST-MISMATCH']);
  });

  it('the unsigned DIRECTE sample fails strict verification for lack of signature', () => {
    const r = verifyVihf(xdsFile(UNSIGNED), { at: new Date('2019-06-26T08:09:00Z') });
    expect(r.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual(['VIHF-SIGNATURE-MISSING']);
  });

  it('the structure certificate of the signed sample is an ORG SIGN signature certificate named by Issuer', () => {
    const text = xdsFile(SIGNED).toString('utf8');
    const cert = readCertificate(/<X509Certificate>([^<]+)</.exec(text)![1]!);
    expect(cert.subjectDn).toBe(factsOf(entry(SIGNED)).Issuer);
    expect([...cert.keyUsage!].sort()).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(signatureCertificateProblem(cert)).toBeUndefined();
  });
});

describe.skipIf(!HAS_CORPUS)('our assertion has the structure of the official samples', () => {
  it('rebuilds the DIRECTE sample byte for byte from its decoded context', () => {
    const r = verifyVihf(xdsFile(UNSIGNED), { mode: 'lenient', at: new Date('2019-06-26T08:09:00Z') });
    const built = buildVihfAssertion(r.context!, { authModeAttributeName: 'Authentification_mode' });
    expect(built.xml).toBe(decodeUtf8WithLatin1Fallback(xdsFile(UNSIGNED)).text.trim());
  });

  it('rebuilds the signed sample (without its Signature) byte for byte, and signs it with the same shape', () => {
    const text = xdsFile(SIGNED).toString('utf8').trim();
    const signature = /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*<\/Signature>/.exec(text)![0];
    const r = verifyVihf(xdsFile(SIGNED), { mode: 'lenient', at: new Date('2019-06-26T08:47:00Z') });
    const built = buildVihfAssertion(r.context!, { authModeAttributeName: 'Authentification_mode' });
    expect(built.xml).toBe(replaceOnce(text, signature, ''));
    // Element order around the signature: Issuer, Signature, Subject, AuthnStatement, AttributeStatement.
    // Signed as the 2019 sample was (RSA-SHA1, unprefixed Signature, no InclusiveNamespaces) by a test
    // certificate with the sample's subject: identical but for digest, signature value and certificate.
    const ca = createTestCa();
    const cert = ca.issue('org-sign', {
      subject: [['C', 'FR'], ['ST', 'Sarthe (72)'], ['O', 'GIE SESAM VITALE'], ['OU', '339172288100052'], ['CN', 'serviceps.sesam-vitale.fr']],
    });
    const ours = signVihfAssertion(built.xml, cert.credentials(), { hash: 'sha1', signaturePrefix: '', inclusivePrefixes: null });
    const mask = (xml: string) =>
      xml.replace(/<(DigestValue|SignatureValue|X509Certificate)>[^<]*</g, '<$1>…<');
    expect(mask(ours)).toBe(mask(text));
    expect(verifyVihf(ours, { trustedCertificates: [ca.certPem] }).problems).toEqual([]);
  });

  it('a SAML header inside each DMP request matches its MANIFEST facts', () => {
    const files = readXdsManifest().files.filter((f) => f.file.startsWith('dmp-') && f.facts.wsse_saml_assertion);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const e of files) {
      const raw = xdsFile(e.file);
      const { summary, problems } = readSamlAssertion(e.file.endsWith('.mime') ? rootPart(raw) : raw);
      const facts = factsOf(e);
      expect(problems, e.file).toEqual([]);
      expect(headerOf(summary!), e.file).toEqual((({ attributes: _a, ...h }) => h)(facts));
      expect(summary!.attributes, e.file).toEqual(facts.attributes);
    }
  });

  it('the IPF XUA header: same header facts; every statement kept where the MANIFEST kept the last one', () => {
    const e = entry('ipf-xua-saml2-assertion.xml');
    const facts = factsOf(e);
    const { summary } = readSamlAssertion(xdsFile(e.file));
    expect(headerOf(summary!)).toEqual((({ attributes: _a, ...h }) => h)(facts));
    for (const [name, values] of Object.entries(facts.attributes)) {
      const ours = summary!.attributes[name]!;
      expect(ours.slice(-values.length), name).toEqual(values);
    }
    // The subject-id nested in SubjectConfirmationData is not an attribute of the assertion.
    expect(summary!.attributes['urn:oasis:names:tc:xspa:1.0:subject:subject-id']).toEqual(['Dr. Klaus-Peter Kohlrabi']);
    // Its certificate is truncated ("MI ... mQ="): strict verification cannot even read it.
    expect(verifyVihf(xdsFile(e.file)).problems.map((p) => p.code)).toContain('VIHF-CERTIFICATE-UNREADABLE');
  });
});

describe.skipIf(!HAS_CORPUS)('the official lot signature (TD2.1 XAdES)', () => {
  const TD21 = 'dmp-td2.1-iti41-pnr-request.mime';

  it('verifies: signature, signing certificate (digest, issuer, serial) and purpose', () => {
    const xades = mimePart(xdsFile(TD21), 'WS_DMP_TD2.1-SignatureXades.xml');
    const r = verifyLotSignature(xades, { at: new Date('2019-04-05T00:00:00Z') });
    expect(r.problems).toEqual([]);
    expect(r.signatureValid).toBe(true);
    expect(r.purposeOfSignature).toBe('1.2.840.10065.1.12.1.14');
    expect(r.certificate?.issuerDn).toBe('CN=TEST AC IGC-SANTE ELEMENTAIRE PERSONNES,OU=IGC-SANTE TEST,OU=0002 187512751,O=ASIP-SANTE,C=FR');
    expect(r.certificate?.serialNumber).toBe('159655096103497701664027626074020656119');
    expect(r.references.map((x) => x.uri)).toEqual(['urn:oid:1.2.250.1.999.1.1.7898.3.9956570900', 'urn:oid:1.2.250.1.999.1.1.7898.4.9956570902']);
  });

  it('reports what it cannot re-compute and what was altered', () => {
    const xades = mimePart(xdsFile(TD21), 'WS_DMP_TD2.1-SignatureXades.xml');
    const doc = mimePart(xdsFile(TD21), 'WS_DMP_TD2.1-DocumentME2.xml');
    const r = verifyLotSignature(xades, { at: new Date('2019-04-05T00:00:00Z'), documents: [{ uniqueId: '1.2.250.1.999.1.1.7898.4.9956570902', content: doc }] });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['XADES-DOCUMENT-UNVERIFIABLE', 'warning']]);
    const altered = Buffer.from(xades.toString('latin1').replace('2019-04-04T14:20:12.282+02:00', '2019-04-04T14:20:13.282+02:00'), 'latin1');
    expect(verifyLotSignature(altered, { at: new Date('2019-04-05T00:00:00Z') }).problems.map((p) => p.code)).toEqual(['XADES-DIGEST-MISMATCH']);
  });

  it('the signature DocumentEntry metadata equals the Signature01 entry facts', () => {
    const facts = (entry(TD21).facts.DocumentEntries as Record<string, unknown>[]).find((d) => d.id === 'Signature01')!;
    const meta = signatureDocumentEntryMetadata();
    const cs = (c: { code: string; codingScheme: string }) => `${c.code}^${c.codingScheme}`;
    expect([cs(meta.classCode)]).toEqual(facts.classCode);
    expect([cs(meta.typeCode)]).toEqual(facts.typeCode);
    expect([cs(meta.formatCode)]).toEqual(facts.formatCode);
    expect(meta.eventCodeList.map(cs)).toEqual(facts.eventCodeList);
    expect(meta.confidentialityCode.map(cs)).toEqual(facts.confidentialityCode);
    expect(meta.mimeType).toBe(facts.mimeType);
    expect(meta.title).toBe(facts.title);
    expect(meta.languageCode).toBe('art');
  });
});
