/**
 * VIHF verification for the simulator (and for a client's self-check). Strict mode checks the XML-DSig
 * signature the way a relying party must: one same-document reference to the assertion that is read,
 * allowed transforms and algorithms only, unique IDs, the signature enveloped in that assertion, then
 * the digest and RSA value (xml-crypto), then the certificate (signature usage, validity, optional
 * trust anchors) and the Issuer DN. In strict mode the context is decoded from the signed bytes
 * themselves, so what is returned is exactly what was signed. Lenient mode skips every signature and
 * certificate check, for early integration against unsigned or reformatted tokens.
 */
import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { checkCertificateTrust } from '../pki/chain.js';
import { sameDistinguishedName } from '../pki/dn.js';
import { signatureCertificateProblem } from '../pki/usage.js';
import { readCertificate, splitPemCertificates, type CertificateInfo } from '../pki/x509.js';
import { DIGEST_METHOD, DSIG, SIGNATURE_METHOD, VIHF_NS, type HashName } from './constants.js';
import type { VihfContext } from './context.js';
import { decodeVihf, locateAssertion, summarizeAssertion, type DecodeOptions, type SamlAssertionSummary } from './read.js';
import { VihfProblemError, vihfProblem, type VihfProblem } from './problems.js';
import { allElements, attribute, childElements, firstChildElement, parseSafeXml } from './xml.js';

export interface VerifyVihfOptions extends DecodeOptions {
  /** strict (default): signature and certificate checked; lenient: attributes only. */
  mode?: 'strict' | 'lenient';
  /** Trust anchors (PEM, several per text allowed, or DER). Without them the chain is not checked. */
  trustedCertificates?: ReadonlyArray<string | Uint8Array>;
  /** Verification time (default now): certificate validity and Conditions. */
  at?: Date;
  /** Tolerance on NotBefore / NotOnOrAfter (default 0). */
  clockSkewSeconds?: number;
  /** Signature/digest hashes accepted (default sha1 and sha256: the examples use both). */
  acceptedHashes?: readonly HashName[];
  maxBytes?: number;
}

export interface VihfCertificateSummary {
  subjectDn: string;
  issuerDn: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

export interface VihfVerification {
  /** No error-severity problem. */
  ok: boolean;
  mode: 'strict' | 'lenient';
  /** The signature was verified (strict mode, signature present and structurally acceptable). */
  signatureChecked: boolean;
  signature?: { hash?: HashName; digestHash?: HashName; valid: boolean; certificate?: VihfCertificateSummary };
  /** The assertion as written. */
  summary?: SamlAssertionSummary;
  /**
   * The typed context: in strict mode only when the signature is valid (decoded from the signed bytes),
   * in lenient mode whenever the attributes decode.
   */
  context?: VihfContext;
  /** Spelling of the authentication-mode attribute in the token. */
  authModeAttributeName?: string;
  problems: VihfProblem[];
}

const byUri = (table: Readonly<Record<HashName, string>>, uri: string | undefined): HashName | undefined =>
  (Object.keys(table) as HashName[]).find((h) => table[h] === uri);

function certSummary(c: CertificateInfo): VihfCertificateSummary {
  return {
    subjectDn: c.subjectDn,
    issuerDn: c.issuerDn,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
  };
}

interface SignatureOutcome {
  problems: VihfProblem[];
  checked: boolean;
  valid: boolean;
  signedXml?: string;
  info?: VihfVerification['signature'];
}

function dsChild(parent: Element | undefined, name: string): Element | undefined {
  return parent ? firstChildElement(parent, VIHF_NS.ds, name) : undefined;
}

/** Structural checks, then the cryptographic check of the enveloped signature of `assertion`. */
function checkSignature(docRoot: Element, text: string, assertion: Element, options: VerifyVihfOptions): SignatureOutcome {
  const problems: VihfProblem[] = [];
  const fail = (): SignatureOutcome => ({ problems, checked: false, valid: false });
  const id = attribute(assertion, 'ID') ?? '';
  const signatures = childElements(assertion, VIHF_NS.ds, 'Signature');
  const everySignature = allElements(docRoot.ownerDocument!).filter((e) => e.namespaceURI === VIHF_NS.ds && e.localName === 'Signature');
  if (signatures.length === 0) {
    const elsewhere = everySignature.some((s) =>
      allElements(s).some((r) => r.localName === 'Reference' && attribute(r, 'URI') === `#${id}`),
    );
    problems.push(elsewhere ? vihfProblem('VIHF-SIGNATURE-WRAPPING', 'a Signature outside the assertion references it') : vihfProblem('VIHF-SIGNATURE-MISSING'));
    return fail();
  }
  if (signatures.length > 1) {
    problems.push(vihfProblem('VIHF-SIGNATURE-MISPLACED', `${signatures.length} Signature elements in the assertion`));
    return fail();
  }
  const sig = signatures[0]!;
  const kids = childElements(assertion);
  if (!(kids[0]?.localName === 'Issuer' && kids[1] === sig)) problems.push(vihfProblem('VIHF-SIGNATURE-MISPLACED'));

  const signedInfo = dsChild(sig, 'SignedInfo');
  const c14n = attribute(dsChild(signedInfo, 'CanonicalizationMethod') ?? sig, 'Algorithm');
  const sigMethod = attribute(dsChild(signedInfo, 'SignatureMethod') ?? sig, 'Algorithm');
  const accepted = options.acceptedHashes ?? (['sha1', 'sha256'] as const);
  const hash = byUri(SIGNATURE_METHOD, sigMethod);
  if (c14n !== DSIG.excC14n) problems.push(vihfProblem('VIHF-SIGNATURE-ALGORITHM', `CanonicalizationMethod ${c14n ?? '(none)'}`));
  if (!hash || !accepted.includes(hash)) problems.push(vihfProblem('VIHF-SIGNATURE-ALGORITHM', `SignatureMethod ${sigMethod ?? '(none)'}`));
  const refs = signedInfo ? childElements(signedInfo, VIHF_NS.ds, 'Reference') : [];
  let digestHash: HashName | undefined;
  if (refs.length !== 1) {
    problems.push(vihfProblem('VIHF-SIGNATURE-REFERENCE', `${refs.length} Reference elements`));
  } else {
    const ref = refs[0]!;
    const uri = attribute(ref, 'URI');
    if (uri !== `#${id}`) problems.push(vihfProblem('VIHF-SIGNATURE-WRAPPING', `the signature references "${uri ?? ''}", not the assertion read (ID ${id})`));
    const transforms = childElements(dsChild(ref, 'Transforms') ?? ref, VIHF_NS.ds, 'Transform').map((t) => attribute(t, 'Algorithm'));
    if (transforms.length !== 2 || transforms[0] !== DSIG.envelopedSignature || transforms[1] !== DSIG.excC14n) {
      problems.push(vihfProblem('VIHF-SIGNATURE-REFERENCE', `transforms ${transforms.join(', ') || '(none)'}; expected enveloped-signature then exc-c14n`));
    }
    const digestUri = attribute(dsChild(ref, 'DigestMethod') ?? ref, 'Algorithm');
    digestHash = byUri(DIGEST_METHOD, digestUri);
    if (!digestHash || !accepted.includes(digestHash)) problems.push(vihfProblem('VIHF-SIGNATURE-ALGORITHM', `DigestMethod ${digestUri ?? '(none)'}`));
  }
  const sameId = allElements(docRoot.ownerDocument!).filter((e) => ['ID', 'Id', 'id'].some((a) => attribute(e, a) === id));
  if (sameId.length > 1) problems.push(vihfProblem('VIHF-SIGNATURE-WRAPPING', `${sameId.length} elements carry the ID ${id}`));

  // Certificate: the first X509Certificate of KeyInfo signs; the others may be its chain.
  const certEls = allElements(dsChild(sig, 'KeyInfo') ?? sig).filter((e) => e.namespaceURI === VIHF_NS.ds && e.localName === 'X509Certificate');
  if (certEls.length === 0) {
    problems.push(vihfProblem('VIHF-CERTIFICATE-MISSING'));
    return fail();
  }
  let certs: CertificateInfo[];
  try {
    certs = certEls.map((e) => readCertificate((e.textContent ?? '').replace(/\s+/g, '')));
  } catch (e) {
    problems.push(vihfProblem('VIHF-CERTIFICATE-UNREADABLE', (e as Error).message));
    return fail();
  }
  const cert = certs[0]!;
  const info: SignatureOutcome['info'] = { valid: false, certificate: certSummary(cert), ...(hash ? { hash } : {}), ...(digestHash ? { digestHash } : {}) };
  problems.push(...certificateProblems(cert, certs.slice(1), assertion, options));
  if (problems.some((p) => p.code.startsWith('VIHF-SIGNATURE-'))) return { problems, checked: false, valid: false, info };

  const verifier = new SignedXml({ publicCert: cert.pem });
  let signedXml: string | undefined;
  try {
    verifier.loadSignature(sig as never);
    if (verifier.checkSignature(text)) {
      signedXml = verifier.getSignedReferences()[0];
    } else {
      const reason = verifier.getReferences()[0]?.validationError?.message ?? '';
      problems.push(/calculated digest/.test(reason) ? vihfProblem('VIHF-SIGNATURE-DIGEST-MISMATCH') : vihfProblem('VIHF-SIGNATURE-WRAPPING', 'the reference does not resolve'));
    }
  } catch (e) {
    const msg = (e as Error).message;
    if (/signature value .* is incorrect/.test(msg)) problems.push(vihfProblem('VIHF-SIGNATURE-INVALID'));
    else if (/wrapping/.test(msg)) problems.push(vihfProblem('VIHF-SIGNATURE-WRAPPING', 'duplicate IDs or signatures'));
    else problems.push(vihfProblem('VIHF-SIGNATURE-INVALID', msg.slice(0, 200)));
  }
  const valid = signedXml !== undefined;
  return { problems, checked: true, valid, ...(signedXml !== undefined ? { signedXml } : {}), info: { ...info, valid } };
}

function certificateProblems(cert: CertificateInfo, extra: CertificateInfo[], assertion: Element, options: VerifyVihfOptions): VihfProblem[] {
  const problems: VihfProblem[] = [];
  const usage = signatureCertificateProblem(cert);
  if (usage) problems.push(vihfProblem('DMPInvalidCertificate', `${cert.subjectDn}: ${usage}`));
  const at = options.at ?? new Date();
  if (at < cert.notBefore) problems.push(vihfProblem('VIHF-CERTIFICATE-NOT-YET-VALID', `valid from ${cert.notBefore.toISOString()}`));
  if (at > cert.notAfter) problems.push(vihfProblem('VIHF-CERTIFICATE-EXPIRED', `expired ${cert.notAfter.toISOString()}`));
  if (options.trustedCertificates) {
    const anchors = options.trustedCertificates.flatMap((t) =>
      typeof t === 'string' || Buffer.from(t).subarray(0, 11).toString('latin1') === '-----BEGIN ' ? splitPemCertificates(t).map((p) => readCertificate(p)) : [readCertificate(t)],
    );
    const trust = checkCertificateTrust(cert, anchors, extra, at);
    if (!trust.ok) problems.push(vihfProblem('VIHF-CERTIFICATE-UNTRUSTED', trust.reason));
  }
  const issuer = firstChildElement(assertion, VIHF_NS.saml2, 'Issuer')?.textContent ?? '';
  if (!sameDistinguishedName(issuer, cert.subjectDn)) problems.push(vihfProblem('VIHF-ISSUER-MISMATCH', `Issuer "${issuer}", certificate "${cert.subjectDn}"`, 'Issuer'));
  return problems;
}

function timeProblems(summary: SamlAssertionSummary, options: VerifyVihfOptions): VihfProblem[] {
  const at = (options.at ?? new Date()).getTime();
  const skew = (options.clockSkewSeconds ?? 0) * 1000;
  const out: VihfProblem[] = [];
  if (summary.notBefore && at + skew < Date.parse(summary.notBefore)) out.push(vihfProblem('VIHF-NOT-YET-VALID', summary.notBefore));
  if (summary.notOnOrAfter && at - skew >= Date.parse(summary.notOnOrAfter)) out.push(vihfProblem('VIHF-EXPIRED', summary.notOnOrAfter));
  return out;
}

/** Verifies a VIHF from a bare assertion, a wsse:Security element or a whole SOAP message. */
export function verifyVihf(input: string | Uint8Array, options: VerifyVihfOptions = {}): VihfVerification {
  const mode = options.mode ?? 'strict';
  const result = (r: Omit<VihfVerification, 'ok' | 'mode'>): VihfVerification => ({
    ok: !r.problems.some((p) => p.severity === 'error'),
    mode,
    ...r,
  });
  let parsed: ReturnType<typeof parseSafeXml>;
  try {
    parsed = parseSafeXml(input, { latin1Fallback: true, ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}) });
  } catch (e) {
    const err = e as VihfProblemError;
    return result({ signatureChecked: false, problems: err.problems?.length ? [...err.problems] : [vihfProblem('VIHF-XML-INVALID', err.message)] });
  }
  const located = locateAssertion(parsed.doc);
  const problems = [...parsed.problems, ...located.problems];
  const assertion = located.assertion;
  if (!assertion) return result({ signatureChecked: false, problems });
  const summary = summarizeAssertion(assertion);

  let signature: SignatureOutcome | undefined;
  let source: Element = assertion;
  if (mode === 'strict') {
    signature = checkSignature(parsed.doc.documentElement!, parsed.text, assertion, options);
    problems.push(...signature.problems);
    if (signature.signedXml !== undefined) {
      // Decode what was signed, not the surrounding document.
      const signedRoot = parseSafeXml(signature.signedXml).doc.documentElement!;
      if (attribute(signedRoot, 'ID') !== summary.id) problems.push(vihfProblem('VIHF-SIGNATURE-WRAPPING', 'the signed element is not the assertion read'));
      else source = signedRoot;
    }
  }
  const decoded = decodeVihf(source, options);
  problems.push(...decoded.problems, ...timeProblems(summary, options));
  const trusted = mode === 'lenient' || (signature?.valid === true && source !== assertion);
  return result({
    signatureChecked: signature?.checked ?? false,
    ...(signature?.info ? { signature: signature.info } : {}),
    summary,
    ...(decoded.context && trusted ? { context: decoded.context } : {}),
    ...(decoded.authModeAttributeName ? { authModeAttributeName: decoded.authModeAttributeName } : {}),
    problems,
  });
}

/** The context of a verification without error; otherwise throws VihfProblemError with the first error's code. */
export function assertVihfValid(verification: VihfVerification): VihfContext {
  const errors = verification.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0 && verification.context) return verification.context;
  const first = errors[0];
  throw new VihfProblemError(first?.code ?? 'VIHF-ATTRIBUTE-INVALID', errors.map((p) => `${p.code}: ${p.message}`).join('; ') || 'no context', errors);
}
