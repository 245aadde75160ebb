/**
 * Enveloped XML-DSig of the VIHF, as the DMP examples and the C# kit do it: Signature inserted right
 * after Issuer, one Reference to `#<assertion ID>`, transforms enveloped-signature + exc-c14n (with the
 * kit's InclusiveNamespaces `ds saml #default xsi`), exc-c14n SignedInfo, RSA-SHA256 by default
 * (RSA-SHA1 on demand, as the 2019 examples), KeyInfo/X509Data/X509Certificate.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { sameDistinguishedName } from '../pki/dn.js';
import type { SigningCredentials } from '../pki/credentials.js';
import { signatureCertificateProblem } from '../pki/usage.js';
import { buildVihfAssertion, type VihfBuildOptions } from './build.js';
import {
  DEFAULT_INCLUSIVE_PREFIXES,
  DIGEST_METHOD,
  DSIG,
  SIGNATURE_METHOD,
  VIHF_NS,
  type HashName,
} from './constants.js';
import type { VihfContext, VihfContextInput } from './context.js';
import { canonicalize, canonicalizeElement, digestBase64, rsaSignBase64 } from './dsig.js';
import { VIHF_PROBLEM_CODES, VihfProblemError } from './problems.js';
import { attribute, childElements, escapeXmlAttr, parseSafeXml, serializeXml } from './xml.js';

export interface SignVihfOptions {
  /** sha256 (default: RSA-SHA256 + SHA-256) or sha1 (RSA-SHA1 + SHA-1, as the 2019–2020 examples). */
  hash?: HashName;
  /** exc-c14n InclusiveNamespaces PrefixList of the reference transform; null for none. */
  inclusivePrefixes?: readonly string[] | null;
  /** Prefix of the Signature elements: `ds` (default) or '' for the default namespace (as the DMP signed sample). */
  signaturePrefix?: string;
  /**
   * Sign even with a certificate that is not a signature certificate. Only to produce tokens the
   * simulator must refuse; the DMP answers DMPInvalidCertificate.
   */
  allowNonSignatureCertificate?: boolean;
  /** Sign even when Issuer is not the certificate's DN (again only to produce invalid tokens). */
  allowIssuerMismatch?: boolean;
}

const NCNAME = /^[A-Za-z_][\w.-]*$/;

/** Signs an assertion built by {@link buildVihfAssertion} (or any unsigned SAML 2.0 assertion text). */
export function signVihfAssertion(assertionXml: string, credentials: SigningCredentials, options: SignVihfOptions = {}): string {
  const hash = options.hash ?? 'sha256';
  const { doc } = parseSafeXml(assertionXml);
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== VIHF_NS.saml2 || root.localName !== 'Assertion') {
    throw new VihfProblemError('VIHF-ASSERTION-MISSING', 'the document element is not a SAML 2.0 Assertion');
  }
  const id = attribute(root, 'ID');
  if (!id || !NCNAME.test(id)) throw new VihfProblemError('VIHF-ASSERTION-INVALID', 'the Assertion has no usable ID (an NCName is required)');
  const issuer = childElements(root)[0];
  if (!issuer || issuer.namespaceURI !== VIHF_NS.saml2 || issuer.localName !== 'Issuer') {
    throw new VihfProblemError('VIHF-ASSERTION-INVALID', 'the first child of the Assertion must be Issuer');
  }
  if (childElements(root, VIHF_NS.ds, 'Signature').length > 0) {
    throw new VihfProblemError('VIHF-SIGNATURE-MISPLACED', 'the Assertion is already signed');
  }
  const cert = credentials.certificate;
  const usage = signatureCertificateProblem(cert);
  if (usage && !options.allowNonSignatureCertificate) {
    throw new VihfProblemError(
      'DMPInvalidCertificate',
      `${VIHF_PROBLEM_CODES.DMPInvalidCertificate} — ${cert.subjectDn}: ${usage}. Sign with the ORG SIGN (structure) or CPS signature certificate, not the authentication one.`,
    );
  }
  const issuerText = issuer.textContent ?? '';
  if (!options.allowIssuerMismatch && !sameDistinguishedName(issuerText, cert.subjectDn)) {
    throw new VihfProblemError('VIHF-ISSUER-MISMATCH', `Issuer "${issuerText}" is not the signing certificate's DN "${cert.subjectDn}"`);
  }

  const prefixes = options.inclusivePrefixes === undefined ? DEFAULT_INCLUSIVE_PREFIXES : options.inclusivePrefixes;
  // The document element is the first element with its ID: the XPath would select it.
  const digest = digestBase64(hash, canonicalizeElement(root, DSIG.excC14n, prefixes ?? []));

  const prefix = options.signaturePrefix ?? 'ds';
  const p = prefix ? `${prefix}:` : '';
  const nsDecl = prefix ? `xmlns:${prefix}="${VIHF_NS.ds}"` : `xmlns="${VIHF_NS.ds}"`;
  const inclusive = prefixes && prefixes.length > 0
    ? `<ec:InclusiveNamespaces xmlns:ec="${DSIG.excC14n}" PrefixList="${escapeXmlAttr(prefixes.join(' '))}"/>`
    : '';
  const signatureXml =
    `<${p}Signature ${nsDecl}><${p}SignedInfo>` +
    `<${p}CanonicalizationMethod Algorithm="${DSIG.excC14n}"/>` +
    `<${p}SignatureMethod Algorithm="${SIGNATURE_METHOD[hash]}"/>` +
    `<${p}Reference URI="#${id}"><${p}Transforms>` +
    `<${p}Transform Algorithm="${DSIG.envelopedSignature}"/>` +
    `<${p}Transform Algorithm="${DSIG.excC14n}">${inclusive}</${p}Transform>` +
    `</${p}Transforms><${p}DigestMethod Algorithm="${DIGEST_METHOD[hash]}"/><${p}DigestValue>${digest}</${p}DigestValue>` +
    `</${p}Reference></${p}SignedInfo><${p}SignatureValue/>` +
    `<${p}KeyInfo><${p}X509Data><${p}X509Certificate>${cert.base64}</${p}X509Certificate></${p}X509Data></${p}KeyInfo>` +
    `</${p}Signature>`;
  const signature = doc.importNode(new DOMParser().parseFromString(signatureXml, 'text/xml').documentElement!, true) as Element;
  root.insertBefore(signature, issuer.nextSibling);

  const signedInfo = childElements(signature, VIHF_NS.ds, 'SignedInfo')[0]!;
  // The XPath's first ds:SignedInfo is ours unless the Issuer (before it) holds one: then the XPath's way.
  const canonSignedInfo =
    doc.getElementsByTagNameNS(VIHF_NS.ds, 'SignedInfo')[0] === signedInfo
      ? canonicalizeElement(signedInfo, DSIG.excC14n)
      : canonicalize(doc, `//*[local-name(.)='SignedInfo' and namespace-uri(.)='${VIHF_NS.ds}']`, signedInfo, DSIG.excC14n);
  const value = childElements(signature, VIHF_NS.ds, 'SignatureValue')[0]!;
  value.appendChild(doc.createTextNode(rsaSignBase64(hash, canonSignedInfo, credentials.privateKey)));
  return serializeXml(doc);
}

export interface SignedVihf {
  xml: string;
  context: VihfContext;
}

/** Builds the assertion with Issuer = the certificate's RFC 2253 DN, then signs it. */
export function createSignedVihf(
  context: VihfContextInput,
  credentials: SigningCredentials,
  options: VihfBuildOptions & SignVihfOptions = {},
): SignedVihf {
  const built = buildVihfAssertion({ ...context, issuer: context.issuer ?? credentials.certificate.subjectDn }, options);
  return { xml: signVihfAssertion(built.xml, credentials, options), context: built.context };
}

