/**
 * The lot signature the DMP requires in every ITI-41 submission (dmp-interface.md §5.5, IHE DSG): an
 * XAdES (v1.1.1) detached signature whose Manifest lists the submission set and each document by
 * `urn:oid:<uniqueId>`, signed with the structure's signature certificate, carried as its own
 * DocumentEntry ("Signature01") linked to the submission set by a `signs` association.
 *
 * Shape of the official TD2.1 sample, with two deliberate differences: SignatureProperties is in the
 * XML-DSig namespace (the sample puts it in no namespace), and the XAdES CertDigest children are
 * ds:DigestMethod / ds:DigestValue as the XAdES schema says. Document digests are over the exact bytes
 * sent (no transform); the sample's C14N transform over the CDA is accepted on verification but not
 * re-computed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { checkCertificateTrust } from '../pki/chain.js';
import type { SigningCredentials } from '../pki/credentials.js';
import { sameDistinguishedName } from '../pki/dn.js';
import { signatureCertificateProblem } from '../pki/usage.js';
import { readCertificate, splitPemCertificates, type CertificateInfo } from '../pki/x509.js';
import { DIGEST_METHOD, DSIG, SIGNATURE_METHOD, VIHF_NS, type HashName } from './constants.js';
import { canonicalizeElement, digestBase64, rsaSignBase64 } from './dsig.js';
import { allElements, attribute, childElements, escapeXmlAttr as ea, escapeXmlText as et, firstChildElement, parseSafeXml, serializeXml } from './xml.js';

/** IHE DSG purpose of signature "Source" (ASTM E1762). */
export const PURPOSE_OF_SIGNATURE_SOURCE = '1.2.840.10065.1.12.1.14';
export const XADES_SIGNED_PROPERTIES_TYPE = `${VIHF_NS.xades111}SignedProperties`;
const MANIFEST_ID = 'IHEManifest';
const SIGNED_PROPERTIES_ID = 'S0-SignedProperties';
/** The sample's placeholder digest of the submission set reference (it is not a byte stream). */
const SUBMISSION_SET_DIGEST_PLACEHOLDER = 'AA==';

export interface LotDocument {
  /** DocumentEntry.uniqueId (an OID). */
  uniqueId: string;
  /** The exact bytes sent (a string is taken as UTF-8). */
  content: Uint8Array | string;
}

export interface BuildLotSignatureOptions {
  submissionSetUniqueId: string;
  documents: readonly LotDocument[];
  credentials: SigningCredentials;
  /** sha256 (default) or sha1 (as the 2019 sample). */
  hash?: HashName;
  signingTime?: Date;
  /** Signature/@Id (default `_` + UUID). */
  signatureId?: string;
  /** List the chain certificates in SigningCertificate too, as the sample does (default true). */
  includeChain?: boolean;
  /** Only to produce a lot the simulator must refuse. */
  allowNonSignatureCertificate?: boolean;
}

/** Refusal to build a lot signature (the lot would be rejected by the DMP). */
export class LotSignatureError extends Error {
  override readonly name = 'LotSignatureError';
  constructor(
    readonly code: 'XADES-CERTIFICATE-NOT-SIGNATURE' | 'XADES-STRUCTURE',
    message: string,
  ) {
    super(message);
  }
}

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

function bytes(content: Uint8Array | string): Uint8Array {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

function certRef(c: CertificateInfo, hash: HashName): string {
  return (
    `<xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${DIGEST_METHOD[hash]}"/>` +
    `<ds:DigestValue>${digestBase64(hash, c.der)}</ds:DigestValue></xades:CertDigest>` +
    `<xades:IssuerSerial><ds:X509IssuerName>${et(c.issuerDn)}</ds:X509IssuerName>` +
    `<ds:X509SerialNumber>${c.serialNumber}</ds:X509SerialNumber></xades:IssuerSerial></xades:Cert>`
  );
}

/** Builds and signs the lot's XAdES signature; returns the XML text of the signature document. */
export function buildLotSignature(options: BuildLotSignatureOptions): string {
  const hash = options.hash ?? 'sha256';
  const cert = options.credentials.certificate;
  const usage = signatureCertificateProblem(cert);
  if (usage && !options.allowNonSignatureCertificate) {
    throw new LotSignatureError('XADES-CERTIFICATE-NOT-SIGNATURE', `the lot must be signed with a signature certificate: ${cert.subjectDn}: ${usage}`);
  }
  if (options.documents.length === 0) throw new LotSignatureError('XADES-STRUCTURE', 'a lot signature needs at least one document');
  // The DMP wants plain OIDs as uniqueIds (no OID^extension): they become urn:oid: URIs.
  for (const id of [options.submissionSetUniqueId, ...options.documents.map((d) => d.uniqueId)]) {
    if (!OID.test(id)) throw new LotSignatureError('XADES-STRUCTURE', `"${id}" is not a plain OID uniqueId`);
  }
  const sigId = options.signatureId ?? `_${randomUUID()}`;
  const dm = `<ds:DigestMethod Algorithm="${DIGEST_METHOD[hash]}"/>`;
  const references =
    `<ds:Reference URI="urn:oid:${ea(options.submissionSetUniqueId)}">${dm}<ds:DigestValue>${SUBMISSION_SET_DIGEST_PLACEHOLDER}</ds:DigestValue></ds:Reference>` +
    options.documents
      .map((d) => `<ds:Reference URI="urn:oid:${ea(d.uniqueId)}">${dm}<ds:DigestValue>${digestBase64(hash, bytes(d.content))}</ds:DigestValue></ds:Reference>`)
      .join('');
  const certs = [cert, ...(options.includeChain === false ? [] : options.credentials.chain)];
  const xml =
    `<ds:Signature xmlns:ds="${VIHF_NS.ds}" Id="${ea(sigId)}"><ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${DSIG.c14nWithComments}"/>` +
    `<ds:SignatureMethod Algorithm="${SIGNATURE_METHOD[hash]}"/>` +
    `<ds:Reference Type="${DSIG.manifestType}" URI="#${MANIFEST_ID}">${dm}<ds:DigestValue/></ds:Reference>` +
    `<ds:Reference Type="${XADES_SIGNED_PROPERTIES_TYPE}" URI="#${SIGNED_PROPERTIES_ID}">${dm}<ds:DigestValue/></ds:Reference>` +
    `</ds:SignedInfo><ds:SignatureValue/>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert.base64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `<ds:Object><ds:Manifest Id="${MANIFEST_ID}">${references}</ds:Manifest></ds:Object>` +
    `<ds:Object><ds:SignatureProperties><ds:SignatureProperty Id="purposeOfSignature" Target="#${ea(sigId)}">${PURPOSE_OF_SIGNATURE_SOURCE}</ds:SignatureProperty></ds:SignatureProperties></ds:Object>` +
    `<ds:Object><xades:QualifyingProperties xmlns:xades="${VIHF_NS.xades111}" Target="#${ea(sigId)}">` +
    `<xades:SignedProperties Id="${SIGNED_PROPERTIES_ID}"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${(options.signingTime ?? new Date()).toISOString()}</xades:SigningTime>` +
    `<xades:SigningCertificate>${certs.map((c) => certRef(c, hash)).join('')}</xades:SigningCertificate>` +
    `<xades:SignaturePolicyIdentifier><xades:SignaturePolicyImplied/></xades:SignaturePolicyIdentifier>` +
    `</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object>` +
    `</ds:Signature>`;

  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement!;
  const signedInfo = firstChildElement(root, VIHF_NS.ds, 'SignedInfo')!;
  const refs = childElements(signedInfo, VIHF_NS.ds, 'Reference');
  // Same-document references without transforms are digested in inclusive C14N (XML-DSig §4.3.3.2). Each Id
  // is on one element of this template, and SignedInfo is the first: no XPath needed to find them.
  [MANIFEST_ID, SIGNED_PROPERTIES_ID].forEach((id, i) => {
    const target = byId(doc, id)!;
    firstChildElement(refs[i]!, VIHF_NS.ds, 'DigestValue')!.appendChild(doc.createTextNode(digestBase64(hash, canonicalizeElement(target, DSIG.c14n))));
  });
  const canon = canonicalizeElement(signedInfo, DSIG.c14nWithComments);
  firstChildElement(root, VIHF_NS.ds, 'SignatureValue')!.appendChild(doc.createTextNode(rsaSignBase64(hash, canon, options.credentials.privateKey)));
  return serializeXml(doc);
}

function byId(doc: Document, id: string): Element | undefined {
  return allElements(doc).find((e) => attribute(e, 'Id') === id);
}

export const LOT_SIGNATURE_PROBLEM_CODES = {
  'XADES-XML-INVALID': 'the signature document is not well-formed XML, or has a DOCTYPE',
  'XADES-STRUCTURE': 'not an XAdES lot signature (ds:Signature with Manifest and SignedProperties references)',
  'XADES-DIGEST-MISMATCH': 'the Manifest or the signed properties were altered after signing (digest mismatch)',
  'XADES-SIGNATURE-INVALID': 'the signature value does not match the signed information',
  'XADES-CERTIFICATE-MISSING': 'no X509Certificate in KeyInfo',
  'XADES-CERTIFICATE-UNREADABLE': 'the KeyInfo certificate cannot be decoded',
  'XADES-CERTIFICATE-NOT-SIGNATURE': 'the lot is not signed with a signature certificate',
  'XADES-CERTIFICATE-EXPIRED': 'the signing certificate has expired',
  'XADES-CERTIFICATE-NOT-YET-VALID': 'the signing certificate is not valid yet',
  'XADES-CERTIFICATE-UNTRUSTED': 'the signing certificate was not issued by a trusted CA',
  'XADES-SIGNING-CERTIFICATE': 'SigningCertificate does not identify the KeyInfo certificate (CertDigest / IssuerSerial)',
  'XADES-PURPOSE': `purposeOfSignature is not ${PURPOSE_OF_SIGNATURE_SOURCE}`,
  'XADES-SUBMISSION-SET-NOT-REFERENCED': 'the Manifest has no reference to the submission set',
  'XADES-DOCUMENT-NOT-REFERENCED': 'a document of the lot is not in the Manifest',
  'XADES-DOCUMENT-DIGEST-MISMATCH': 'a document differs from the one signed (digest mismatch)',
  'XADES-DOCUMENT-UNVERIFIABLE': 'a Manifest reference uses transforms this verifier does not apply to the document',
} as const;
export type LotSignatureProblemCode = keyof typeof LOT_SIGNATURE_PROBLEM_CODES;

export interface LotSignatureProblem {
  code: LotSignatureProblemCode;
  severity: 'error' | 'warning';
  message: string;
}

function lotProblem(code: LotSignatureProblemCode, detail?: string, severity: 'error' | 'warning' = 'error'): LotSignatureProblem {
  const base = LOT_SIGNATURE_PROBLEM_CODES[code];
  return { code, severity, message: detail ? `${base}: ${detail}` : base };
}

export interface ManifestReference {
  uri: string;
  digestAlgorithm: string;
  digestValue: string;
  transforms: string[];
}

export interface VerifyLotSignatureOptions {
  /** The documents of the lot, to check their digests. */
  documents?: readonly LotDocument[];
  submissionSetUniqueId?: string;
  trustedCertificates?: ReadonlyArray<string | Uint8Array>;
  /** Certificate validity time (default now). */
  at?: Date;
}

export interface LotSignatureVerification {
  ok: boolean;
  /** SignedInfo, Manifest and SignedProperties verified. */
  signatureValid: boolean;
  signingTime?: string;
  purposeOfSignature?: string;
  certificate?: { subjectDn: string; issuerDn: string; serialNumber: string };
  references: ManifestReference[];
  problems: LotSignatureProblem[];
}

const hashOf = (uri: string): HashName | undefined => (Object.keys(DIGEST_METHOD) as HashName[]).find((h) => DIGEST_METHOD[h] === uri);

/** Verifies a lot signature document and, when given, the documents and submission set it covers. */
export function verifyLotSignature(input: string | Uint8Array, options: VerifyLotSignatureOptions = {}): LotSignatureVerification {
  const problems: LotSignatureProblem[] = [];
  const done = (r: Omit<LotSignatureVerification, 'ok' | 'problems'>): LotSignatureVerification => ({
    ok: !problems.some((p) => p.severity === 'error'),
    ...r,
    problems,
  });
  let parsed: ReturnType<typeof parseSafeXml>;
  try {
    // The sample attachment is declared Cp1252: fall back to ISO-8859-1 on invalid UTF-8.
    parsed = parseSafeXml(input, { latin1Fallback: true });
  } catch (e) {
    problems.push(lotProblem('XADES-XML-INVALID', (e as Error).message));
    return done({ signatureValid: false, references: [] });
  }
  const root = parsed.doc.documentElement!;
  const ds = (parent: Element | undefined, name: string) => (parent ? firstChildElement(parent, VIHF_NS.ds, name) : undefined);
  const manifest = allElements(root).find((e) => e.namespaceURI === VIHF_NS.ds && e.localName === 'Manifest');
  const signedInfo = ds(root, 'SignedInfo');
  const refUris = signedInfo ? childElements(signedInfo, VIHF_NS.ds, 'Reference').map((r) => [attribute(r, 'URI'), attribute(r, 'Type')]) : [];
  const manifestRef = refUris.find(([, t]) => t === DSIG.manifestType);
  const propsRef = refUris.find(([, t]) => t?.endsWith('#SignedProperties'));
  if (root.namespaceURI !== VIHF_NS.ds || root.localName !== 'Signature' || !manifest || !manifestRef || !propsRef || manifestRef[0] !== `#${attribute(manifest, 'Id') ?? ''}`) {
    problems.push(lotProblem('XADES-STRUCTURE'));
    return done({ signatureValid: false, references: [] });
  }

  const references: ManifestReference[] = childElements(manifest, VIHF_NS.ds, 'Reference').map((r) => ({
    uri: attribute(r, 'URI') ?? '',
    digestAlgorithm: attribute(ds(r, 'DigestMethod') ?? r, 'Algorithm') ?? '',
    digestValue: (ds(r, 'DigestValue')?.textContent ?? '').trim(),
    transforms: childElements(ds(r, 'Transforms') ?? r, VIHF_NS.ds, 'Transform').map((t) => attribute(t, 'Algorithm') ?? ''),
  }));
  const signingTime = allElements(root).find((e) => e.namespaceURI === VIHF_NS.xades111 && e.localName === 'SigningTime')?.textContent ?? undefined;
  const purpose = allElements(root).find((e) => e.localName === 'SignatureProperty' && attribute(e, 'Id') === 'purposeOfSignature')?.textContent?.trim();
  if (purpose !== PURPOSE_OF_SIGNATURE_SOURCE) problems.push(lotProblem('XADES-PURPOSE', purpose ? `"${purpose}"` : 'absent'));

  const certEl = allElements(ds(root, 'KeyInfo') ?? root).find((e) => e.namespaceURI === VIHF_NS.ds && e.localName === 'X509Certificate');
  let cert: CertificateInfo | undefined;
  if (!certEl) problems.push(lotProblem('XADES-CERTIFICATE-MISSING'));
  else {
    try {
      cert = readCertificate((certEl.textContent ?? '').replace(/\s+/g, ''));
    } catch (e) {
      problems.push(lotProblem('XADES-CERTIFICATE-UNREADABLE', (e as Error).message));
    }
  }

  let signatureValid = false;
  if (cert) {
    const verifier = new SignedXml({ publicCert: cert.pem });
    try {
      verifier.loadSignature(root as never);
      signatureValid = verifier.checkSignature(parsed.text);
      if (!signatureValid) {
        const bad = verifier.getReferences().filter((r) => r.validationError).map((r) => r.uri);
        problems.push(lotProblem('XADES-DIGEST-MISMATCH', bad.join(', ')));
      }
    } catch (e) {
      problems.push(lotProblem('XADES-SIGNATURE-INVALID', /signature value .* is incorrect/.test((e as Error).message) ? undefined : (e as Error).message.slice(0, 200)));
    }
    problems.push(...lotCertificateProblems(cert, root, options));
  }

  if (options.submissionSetUniqueId && !references.some((r) => r.uri === `urn:oid:${options.submissionSetUniqueId}`)) {
    problems.push(lotProblem('XADES-SUBMISSION-SET-NOT-REFERENCED', options.submissionSetUniqueId));
  }
  for (const d of options.documents ?? []) {
    const ref = references.find((r) => r.uri === `urn:oid:${d.uniqueId}`);
    const hash = ref ? hashOf(ref.digestAlgorithm) : undefined;
    if (!ref) problems.push(lotProblem('XADES-DOCUMENT-NOT-REFERENCED', d.uniqueId));
    else if (ref.transforms.length > 0 || !hash) problems.push(lotProblem('XADES-DOCUMENT-UNVERIFIABLE', `${d.uniqueId}: ${[...ref.transforms, ref.digestAlgorithm].join(', ')}`, 'warning'));
    else if (digestBase64(hash, bytes(d.content)) !== ref.digestValue) problems.push(lotProblem('XADES-DOCUMENT-DIGEST-MISMATCH', d.uniqueId));
  }
  return done({
    signatureValid,
    ...(signingTime !== undefined ? { signingTime } : {}),
    ...(purpose !== undefined ? { purposeOfSignature: purpose } : {}),
    ...(cert ? { certificate: { subjectDn: cert.subjectDn, issuerDn: cert.issuerDn, serialNumber: cert.serialNumber } } : {}),
    references,
  });
}

function lotCertificateProblems(cert: CertificateInfo, root: Element, options: VerifyLotSignatureOptions): LotSignatureProblem[] {
  const out: LotSignatureProblem[] = [];
  const usage = signatureCertificateProblem(cert);
  if (usage) out.push(lotProblem('XADES-CERTIFICATE-NOT-SIGNATURE', `${cert.subjectDn}: ${usage}`));
  const at = options.at ?? new Date();
  if (at < cert.notBefore) out.push(lotProblem('XADES-CERTIFICATE-NOT-YET-VALID', cert.notBefore.toISOString()));
  if (at > cert.notAfter) out.push(lotProblem('XADES-CERTIFICATE-EXPIRED', cert.notAfter.toISOString()));
  if (options.trustedCertificates) {
    const anchors = options.trustedCertificates.flatMap((t) =>
      typeof t === 'string' || Buffer.from(t).subarray(0, 11).toString('latin1') === '-----BEGIN ' ? splitPemCertificates(t).map((p) => readCertificate(p)) : [readCertificate(t)],
    );
    const trust = checkCertificateTrust(cert, anchors, [], at);
    if (!trust.ok) out.push(lotProblem('XADES-CERTIFICATE-UNTRUSTED', trust.reason));
  }
  // SigningCertificate must name the KeyInfo certificate: one Cert with its digest and issuer/serial.
  const certs = allElements(root).filter((e) => e.namespaceURI === VIHF_NS.xades111 && e.localName === 'Cert');
  const matches = certs.some((c) => {
    const digest = allElements(c).find((e) => e.localName === 'CertDigest');
    const method = digest ? allElements(digest).find((e) => e.localName === 'DigestMethod') : undefined;
    const value = digest ? allElements(digest).find((e) => e.localName === 'DigestValue')?.textContent?.trim() : undefined;
    const hash = method ? hashOf(attribute(method, 'Algorithm') ?? '') : undefined;
    const issuerName = allElements(c).find((e) => e.localName === 'X509IssuerName')?.textContent ?? '';
    const serial = allElements(c).find((e) => e.localName === 'X509SerialNumber')?.textContent?.trim();
    return !!hash && value === digestBase64(hash, cert.der) && serial === cert.serialNumber && sameDistinguishedName(issuerName, cert.issuerDn);
  });
  if (!matches) out.push(lotProblem('XADES-SIGNING-CERTIFICATE', cert.subjectDn));
  return out;
}

/** A coded metadata value as the XDS model holds it: code (nodeRepresentation), codingScheme, display name. */
export interface SignatureEntryCode {
  code: string;
  codingScheme: string;
  displayName: string;
}

/** The signature DocumentEntry's own metadata, under the IHE XDS attribute names (the XDS model's too). */
export interface SignatureDocumentEntryMetadata {
  classCode: SignatureEntryCode;
  typeCode: SignatureEntryCode;
  formatCode: SignatureEntryCode;
  eventCodeList: SignatureEntryCode[];
  confidentialityCode: SignatureEntryCode[];
  languageCode: string;
  mimeType: string;
  title: string;
  /** SHA-1 (hex) of the signature bytes, when given. */
  hash?: string;
  size?: number;
}

const code = (c: string, scheme: string, displayName: string): SignatureEntryCode => ({ code: c, codingScheme: scheme, displayName });

/**
 * Metadata of the signature DocumentEntry (dmp-interface.md §5.5). Author, patient, facility and
 * practice setting are those of the lot and are not repeated here. With the signature bytes, hash
 * (SHA-1 hex) and size are filled in too.
 */
export function signatureDocumentEntryMetadata(signature?: Uint8Array | string): SignatureDocumentEntryMetadata {
  const meta: SignatureDocumentEntryMetadata = {
    classCode: code('urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1', 'URN', 'Digital Signature'),
    typeCode: code('E1762', 'ASTM', 'Full Document'),
    formatCode: code('http://www.w3.org/2000/09/xmldsig#', 'URN', 'Default Signature Style'),
    eventCodeList: [code(PURPOSE_OF_SIGNATURE_SOURCE, '1.2.840.10065.1.12', 'Source')],
    confidentialityCode: [
      code('N', '2.16.840.1.113883.5.25', 'Normal'),
      code('MASQUE_PS', '1.2.250.1.213.1.1.4.13', 'Masqué aux professionnels de santé'),
      code('INVISIBLE_PATIENT', '1.2.250.1.213.1.1.4.13', 'Non visible par le patient'),
    ],
    languageCode: 'art',
    mimeType: 'text/xml',
    title: 'Source',
  };
  if (signature !== undefined) {
    const b = bytes(signature);
    meta.hash = createHash('sha1').update(b).digest('hex');
    meta.size = b.length;
  }
  return meta;
}
