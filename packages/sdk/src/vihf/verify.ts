/**
 * VIHF verification for the simulator (and for a client's self-check). Strict mode checks the XML-DSig
 * signature the way a relying party must: one same-document reference to the assertion that is read,
 * allowed transforms and algorithms only, unique IDs, the signature enveloped in that assertion, then
 * the digest and RSA value, then the certificate (signature usage, validity, optional trust anchors)
 * and the Issuer DN. In strict mode the context is decoded from the very element whose canonical form
 * was digested, so what is returned is exactly what was signed. Lenient mode skips every signature and
 * certificate check, for early integration against unsigned or reformatted tokens.
 *
 * The digest and signature are computed here on the one DOM already parsed (xml-crypto's exclusive
 * canonicaliser on our nodes, node:crypto for hash and RSA): xml-crypto's SignedXml re-parses the text
 * twice and resolves references with XPath, which cost ~4x the rest of the verification. SignedXml stays
 * available (`signatureEngine: 'xml-crypto'`) as the reference the tests hold this code to. The content of a SOAP
 * Body (most of an ITI-41 request) is left out of the DOM: the checks that look at the whole document (IDs, other
 * signatures) search it on the reader's tree. With this engine the DOM is not an xmldom parse but a read-only view of
 * the tree the safe reader already built (fast-dom.ts), so the text is parsed once; the reference engine keeps xmldom.
 */
import { createHash, verify as cryptoVerify } from 'node:crypto';
import type { Element, Node } from '@xmldom/xmldom';
import { ExclusiveCanonicalization, SignedXml } from 'xml-crypto';
import { checkCertificateTrust } from '../pki/chain.js';
import { sameDistinguishedName } from '../pki/dn.js';
import { signatureCertificateProblem } from '../pki/usage.js';
import { readCertificate, splitPemCertificates, type CertificateInfo } from '../pki/x509.js';
import { DIGEST_METHOD, DSIG, SIGNATURE_METHOD, VIHF_NS, type HashName } from './constants.js';
import type { VihfContext } from './context.js';
import { decodeVihf, locateAssertion, summarizeAssertion, type DecodeOptions, type SamlAssertionSummary } from './read.js';
import { VihfProblemError, vihfProblem, type VihfProblem } from './problems.js';
import type { XmlElement } from '../xml/fast-parse.js';
import { ViewElement } from './fast-dom.js';
import { allElements, attribute, childElements, firstChildElement, isElement, parseSafeXml, type ReadSafeXml } from './xml.js';

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
  /**
   * Who computes the digest and RSA check: dmpkit on the parsed DOM (default), or xml-crypto's SignedXml
   * (slower; kept as the reference implementation the differential tests compare against).
   */
  signatureEngine?: 'dmpkit' | 'xml-crypto';
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
  /** The element whose canonical form was digested and signed (dmpkit engine). */
  signedElement?: Element;
  /** Canonical text of what was signed (xml-crypto engine: decoded again from it). */
  signedXml?: string;
  info?: VihfVerification['signature'];
}

function dsChild(parent: Element | undefined, name: string): Element | undefined {
  return parent ? firstChildElement(parent, VIHF_NS.ds, name) : undefined;
}

/** A ds:Signature anywhere in the document, as the wrapping checks see it. */
interface SignatureFacts {
  /** A Reference descendant (any namespace) has this URI. */
  references: (uri: string) => boolean;
  /** Text of its first SignatureValue child (any namespace). */
  value: string | undefined;
}

/** What the signature checks need from the whole document, gathered in one walk. */
interface DocumentIndex {
  signatures: SignatureFacts[];
  /** Elements with an unprefixed ID, Id or id equal to the assertion's ID. */
  sameId: number;
  firstSignedInfo?: Element;
  /** The SOAP Body left out of the DOM (parseSafeXml omitSoapBody), read on the safe reader's tree instead. */
  omittedBody?: XmlElement;
  /** elementsWithId(root, id) for the assertion's ID, when the walk gathered it. */
  withId?: { id: string; elements: Array<Element | undefined> };
}

const ID_ATTRIBUTES = ['Id', 'ID', 'id'] as const;

/** Elements of a subtree of the safe reader's tree, in document order. */
function* lightElements(root: XmlElement): Generator<XmlElement> {
  yield root;
  for (let c = root.firstElementChild; c; c = c.nextElementSibling) yield* lightElements(c);
}

/**
 * Every element of the document in document order: the DOM's from `root`, then the content of the Body left out of
 * it (its start tag is in the DOM), from the safe reader's tree.
 */
function eachElement(root: Element, omittedBody: XmlElement | undefined, dom: (el: Element) => void, light: (el: XmlElement) => void): void {
  const walk = (el: Element): void => {
    dom(el);
    for (let c = el.firstChild; c; c = c.nextSibling) if (isElement(c)) walk(c);
  };
  walk(root);
  for (let c = omittedBody?.firstElementChild; c; c = c.nextElementSibling) for (const el of lightElements(c)) light(el);
}

function indexDocument(root: Element, id: string, omittedBody: XmlElement | undefined): DocumentIndex {
  if ((root as unknown) instanceof ViewElement) return indexTree(root as unknown as ViewElement, id, omittedBody);
  const index: DocumentIndex = { signatures: [], sameId: 0, ...(omittedBody ? { omittedBody } : {}) };
  eachElement(
    root,
    omittedBody,
    (el) => {
      if (el.localName === 'Signature' && el.namespaceURI === VIHF_NS.ds) {
        index.signatures.push({
          references: (uri) => allElements(el).some((r) => r.localName === 'Reference' && attribute(r, 'URI') === uri),
          value: childrenByLocalName(el, 'SignatureValue')[0]?.textContent ?? undefined,
        });
      }
      if (!index.firstSignedInfo && el.localName === 'SignedInfo') index.firstSignedInfo = el;
      if (ID_ATTRIBUTES.some((a) => attribute(el, a) === id)) index.sameId++;
    },
    (el) => {
      if (el.localName === 'Signature' && el.namespaceURI === VIHF_NS.ds) {
        let value: string | undefined;
        for (let c = el.firstElementChild; c && value === undefined; c = c.nextElementSibling) if (c.localName === 'SignatureValue') value = c.textContent;
        index.signatures.push({ references: (uri) => [...lightElements(el)].some((r) => r !== el && r.localName === 'Reference' && r.getAttribute('URI') === uri), value });
      }
      if (ID_ATTRIBUTES.some((a) => el.attributes.some((x) => x.name === a && x.value === id))) index.sameId++;
    },
  );
  return index;
}

/**
 * Which of Id, ID and id (by local name, any namespace) carry `id` on a reader element, as bits 1, 2 and 4; bit 8
 * when one of them is unprefixed. Names are compared first: a value is read only for those three.
 */
function idBits(el: XmlElement, id: string): number {
  let bits = 0;
  const src = el.source;
  for (let k = el.attributeSlot, n = 0; n < el.attributeCount; n++, k += 3) {
    const q = src.nameAt(k);
    const bit = q.local === 'Id' ? 1 : q.local === 'ID' ? 2 : q.local === 'id' ? 4 : 0;
    if (bit === 0 || src.valueAt(k) !== id) continue;
    bits |= bit;
    if (q.prefix === null) bits |= 8;
  }
  return bits;
}

/** The view element of a reader element outside the omitted Body (views are made as they are walked). */
function viewOf(root: ViewElement, el: XmlElement): Element {
  const path: XmlElement[] = [];
  for (let p: XmlElement | null = el; p && p !== root.source; p = p.parentNode) path.push(p);
  let view = root;
  for (let i = path.length - 1; i >= 0; i--) view = view.childNodes.find((c): c is ViewElement => c instanceof ViewElement && c.source === path[i])!;
  return view as unknown as Element;
}

/**
 * indexDocument on a view of the safe reader's tree: the same facts, gathered in one walk of the reader's tree
 * (Body content included) without making view nodes or attribute objects. It also keeps the elements that carry the
 * assertion's ID as elementsWithId lists them, for the reference that points at it.
 */
function indexTree(root: ViewElement, id: string, omittedBody: XmlElement | undefined): DocumentIndex {
  const index: DocumentIndex = { signatures: [], sameId: 0, ...(omittedBody ? { omittedBody } : {}) };
  const withId: Array<XmlElement | undefined> = [];
  let firstSignedInfo: XmlElement | undefined;
  const walk = (el: XmlElement, inBody: boolean): void => {
    if (el.localName === 'Signature' && el.namespaceURI === VIHF_NS.ds) {
      let value: string | undefined;
      for (let c = el.firstElementChild; c && value === undefined; c = c.nextElementSibling) if (c.localName === 'SignatureValue') value = c.textContent;
      index.signatures.push({ references: (uri) => [...lightElements(el)].some((r) => r !== el && r.localName === 'Reference' && r.getAttribute('URI') === uri), value });
    }
    if (!inBody && !firstSignedInfo && el.localName === 'SignedInfo') firstSignedInfo = el;
    const bits = el.attributeCount ? idBits(el, id) : 0;
    if (bits & 8) index.sameId++;
    for (let b = 1; b <= 4; b <<= 1) if (bits & b) withId.push(inBody ? undefined : el);
    const body = inBody || el === omittedBody;
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) walk(c, body);
  };
  walk(root.source, false);
  if (firstSignedInfo) index.firstSignedInfo = viewOf(root, firstSignedInfo);
  index.withId = { id, elements: withId.map((el) => (el ? viewOf(root, el) : undefined)) };
  return index;
}

// Verdicts that depend only on immutable inputs, memoised: the same signer comes back with every request.
const MEMO_SIZE = 256;
function memo<K, V>(table: Map<K, V>, key: K, compute: () => V): V {
  if (table.has(key)) return table.get(key)!;
  const value = compute();
  if (table.size >= MEMO_SIZE) table.delete(table.keys().next().value!);
  table.set(key, value);
  return value;
}
// Parsed certificates by their base64 text: the same few signing certificates come with every request.
const certificateMemo = new Map<string, CertificateInfo>();
const cachedCertificate = (base64: string): CertificateInfo => memo(certificateMemo, base64, () => readCertificate(base64));

/** Trust anchors parsed once per PEM text (byte arrays are parsed each time: their contents may change). */
const anchorMemo = new Map<string, CertificateInfo[]>();
function trustAnchors(trusted: ReadonlyArray<string | Uint8Array>): CertificateInfo[] {
  const parse = (t: string | Uint8Array): CertificateInfo[] =>
    typeof t === 'string' || Buffer.from(t).subarray(0, 11).toString('latin1') === '-----BEGIN ' ? splitPemCertificates(t).map((p) => readCertificate(p)) : [readCertificate(t)];
  return trusted.flatMap((t) => (typeof t === 'string' ? memo(anchorMemo, t, () => parse(t)) : parse(t)));
}

/** Structural checks, then the cryptographic check of the enveloped signature of `assertion`. */
function checkSignature(docRoot: Element, text: string, assertion: Element, options: VerifyVihfOptions, omittedBody?: XmlElement): SignatureOutcome {
  const problems: VihfProblem[] = [];
  const fail = (): SignatureOutcome => ({ problems, checked: false, valid: false });
  const id = attribute(assertion, 'ID') ?? '';
  const signatures = childElements(assertion, VIHF_NS.ds, 'Signature');
  const sig = signatures.length === 1 ? signatures[0]! : undefined;
  const signedInfo = dsChild(sig, 'SignedInfo');
  const refs = signedInfo ? childElements(signedInfo, VIHF_NS.ds, 'Reference') : [];
  const doc = indexDocument(docRoot, id, omittedBody);
  if (signatures.length === 0) {
    const elsewhere = doc.signatures.some((s) => s.references(`#${id}`));
    problems.push(elsewhere ? vihfProblem('VIHF-SIGNATURE-WRAPPING', 'a Signature outside the assertion references it') : vihfProblem('VIHF-SIGNATURE-MISSING'));
    return fail();
  }
  if (!sig) {
    problems.push(vihfProblem('VIHF-SIGNATURE-MISPLACED', `${signatures.length} Signature elements in the assertion`));
    return fail();
  }
  const kids = childElements(assertion);
  if (!(kids[0]?.localName === 'Issuer' && kids[1] === sig)) problems.push(vihfProblem('VIHF-SIGNATURE-MISPLACED'));

  const c14n = attribute(dsChild(signedInfo, 'CanonicalizationMethod') ?? sig, 'Algorithm');
  const sigMethod = attribute(dsChild(signedInfo, 'SignatureMethod') ?? sig, 'Algorithm');
  const accepted = options.acceptedHashes ?? (['sha1', 'sha256'] as const);
  const hash = byUri(SIGNATURE_METHOD, sigMethod);
  if (c14n !== DSIG.excC14n) problems.push(vihfProblem('VIHF-SIGNATURE-ALGORITHM', `CanonicalizationMethod ${c14n ?? '(none)'}`));
  if (!hash || !accepted.includes(hash)) problems.push(vihfProblem('VIHF-SIGNATURE-ALGORITHM', `SignatureMethod ${sigMethod ?? '(none)'}`));
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
  if (doc.sameId > 1) problems.push(vihfProblem('VIHF-SIGNATURE-WRAPPING', `${doc.sameId} elements carry the ID ${id}`));

  // Certificate: the first X509Certificate of KeyInfo signs; the others may be its chain.
  const certEls = allElements(dsChild(sig, 'KeyInfo') ?? sig).filter((e) => e.namespaceURI === VIHF_NS.ds && e.localName === 'X509Certificate');
  if (certEls.length === 0) {
    problems.push(vihfProblem('VIHF-CERTIFICATE-MISSING'));
    return fail();
  }
  let certs: CertificateInfo[];
  try {
    certs = certEls.map((e) => cachedCertificate((e.textContent ?? '').replace(/\s+/g, '')));
  } catch (e) {
    problems.push(vihfProblem('VIHF-CERTIFICATE-UNREADABLE', (e as Error).message));
    return fail();
  }
  const cert = certs[0]!;
  const info: SignatureOutcome['info'] = { valid: false, certificate: certSummary(cert), ...(hash ? { hash } : {}), ...(digestHash ? { digestHash } : {}) };
  problems.push(...certificateProblems(cert, certs.slice(1), assertion, options));
  if (problems.some((p) => p.code.startsWith('VIHF-SIGNATURE-'))) return { problems, checked: false, valid: false, info };

  const crypto = options.signatureEngine === 'xml-crypto' ? withXmlCrypto(sig, text, cert) : withDmpkit(docRoot, sig, signedInfo!, doc, cert, hash!);
  problems.push(...crypto.problems);
  const valid = crypto.problems.length === 0;
  return { problems, checked: true, valid, ...(valid && crypto.signedElement ? { signedElement: crypto.signedElement } : {}), ...(valid && crypto.signedXml !== undefined ? { signedXml: crypto.signedXml } : {}), info: { ...info, valid } };
}

interface CryptoOutcome {
  problems: VihfProblem[];
  signedElement?: Element;
  signedXml?: string;
}

/** How SignedXml's messages map to our codes (the same for both engines, which throw the same messages). */
function cryptoProblem(e: unknown): VihfProblem {
  const msg = (e as Error).message;
  if (/signature value .* is incorrect/.test(msg)) return vihfProblem('VIHF-SIGNATURE-INVALID');
  if (/wrapping/.test(msg)) return vihfProblem('VIHF-SIGNATURE-WRAPPING', 'duplicate IDs or signatures');
  return vihfProblem('VIHF-SIGNATURE-INVALID', msg.slice(0, 200));
}

/** The reference implementation: xml-crypto's SignedXml on its own parse of the text. */
function withXmlCrypto(sig: Element, text: string, cert: CertificateInfo): CryptoOutcome {
  const verifier = new SignedXml({ publicCert: cert.pem });
  try {
    verifier.loadSignature(sig as never);
    if (verifier.checkSignature(text)) return { problems: [], signedXml: verifier.getSignedReferences()[0]! };
    const reason = verifier.getReferences()[0]?.validationError?.message ?? '';
    return { problems: [/calculated digest/.test(reason) ? vihfProblem('VIHF-SIGNATURE-DIGEST-MISMATCH') : vihfProblem('VIHF-SIGNATURE-WRAPPING', 'the reference does not resolve')] };
  } catch (e) {
    return { problems: [cryptoProblem(e)] };
  }
}

/** Children by local name in any namespace (how SignedXml reads DigestValue, SignatureValue...). */
function childrenByLocalName(parent: Node, localName: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c; c = c.nextSibling) if (isElement(c) && c.localName === localName) out.push(c);
  return out;
}

function firstDescendantByLocalName(parent: Node, localName: string): Element | undefined {
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (!isElement(c)) continue;
    if (c.localName === localName) return c;
    const deeper = firstDescendantByLocalName(c, localName);
    if (deeper) return deeper;
  }
  return undefined;
}

type AncestorNs = { prefix: string; namespaceURI: string };

/** Namespaces declared on the ancestors and not re-declared on `el` (xml-crypto's findAncestorNsForElement). */
function ancestorNamespaces(el: Element): AncestorNs[] {
  const seen = new Set<string>();
  const found: AncestorNs[] = [];
  for (let p = el.parentNode; p && isElement(p); p = p.parentNode) {
    const attrs = p.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (!/^xmlns:?/.test(a.nodeName)) continue;
      const prefix = a.nodeName.replace(/^xmlns:?/, '');
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      found.push({ prefix, namespaceURI: a.nodeValue || '' });
    }
  }
  const own = new Set<string>([el.prefix || '']);
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const name = attrs.item(i)!.nodeName;
    if (name === 'xmlns' || name.startsWith('xmlns:')) own.add(name.replace(/^xmlns:?/, ''));
  }
  return found.filter((ns) => ns.namespaceURI !== '' && !own.has(ns.prefix));
}

const DEFAULT_NS_FOR_PREFIX = { ds: VIHF_NS.ds };

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/**
 * Exclusive c14n of `el` without `omit` (the enveloped Signature), as SignedXml computes it. process() would
 * add the ancestors' declarations named in the PrefixList to the element itself, and SignedXml removes the
 * Signature from a deep copy: cloning an xmldom tree costs more than the canonicalisation, so the canonicaliser
 * is given a view of the root element instead (its attributes plus those declarations, its children minus the
 * Signature), the rest of the tree as it is, untouched.
 */
function excC14n(el: Element, omit: Node | undefined, listed: string[], ancestors: AncestorNs[]): string {
  let prefixes = listed;
  if (prefixes.length === 0) {
    // process() takes the PrefixList of a CanonicalizationMethod child when none is given (SignedInfo's).
    const method = childrenByLocalName(el, 'CanonicalizationMethod')[0];
    const inclusive = method && childrenByLocalName(method, 'InclusiveNamespaces')[0];
    if (inclusive) prefixes = (inclusive.getAttribute('PrefixList') || '').split(' ');
  }
  let root: unknown = el;
  if (omit && omit.parentNode !== el) {
    // Not a child (a reference to an outer element): fall back to a copy with the Signature removed.
    const path: number[] = [];
    for (let n: Node = omit; n !== el; n = n.parentNode!) path.push(Array.prototype.indexOf.call(n.parentNode!.childNodes, n) as number);
    const copy = el.cloneNode(true) as Element;
    const inCopy = path.reverse().reduce<Node>((node, k) => node.childNodes[k]!, copy);
    inCopy.parentNode!.removeChild(inCopy);
    root = copy;
    omit = undefined;
  }
  const extra: object[] = [];
  for (const p of new Set(prefixes)) {
    const a = ancestors.find((n) => n.prefix === p);
    if (a) extra.push({ nodeType: 2, name: `xmlns:${p}`, nodeName: `xmlns:${p}`, prefix: 'xmlns', localName: p, value: a.namespaceURI, nodeValue: a.namespaceURI, namespaceURI: XMLNS });
  }
  const source = root as Element;
  const view = {
    nodeType: 1,
    nodeName: source.nodeName,
    tagName: source.tagName,
    prefix: source.prefix,
    localName: source.localName,
    namespaceURI: source.namespaceURI,
    ownerDocument: source.ownerDocument,
    parentNode: source.parentNode,
    attributes: [...Array.from({ length: source.attributes.length }, (_, i) => source.attributes.item(i)!), ...extra],
    childNodes: Array.from({ length: source.childNodes.length }, (_, i) => source.childNodes.item(i)!).filter((c) => c !== omit),
    appendChild: () => {
      throw new Error('read-only view');
    },
    removeChild: () => {
      throw new Error('read-only view');
    },
  };
  return new ExclusiveCanonicalization().processInner(view, [], '', DEFAULT_NS_FOR_PREFIX, prefixes);
}

// The digests SignedXml knows; anything else it refuses with this message.
const REFERENCE_HASHES: Readonly<Record<string, string>> = { ...Object.fromEntries(Object.entries(DIGEST_METHOD).map(([h, u]) => [u, h])), 'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512' };

/**
 * Elements carrying ID, Id or id (any namespace) equal to `id`, counted per attribute name as SignedXml does; those
 * of an omitted Body count too (as `undefined`: never a reference's target, which must be the assertion).
 */
function elementsWithId(root: Element, id: string, omittedBody?: XmlElement): Array<Element | undefined> {
  const out: Array<Element | undefined> = [];
  eachElement(
    root,
    omittedBody,
    (el) => {
      const attrs = el.attributes;
      for (const name of ID_ATTRIBUTES) {
        for (let i = 0; i < attrs.length; i++) {
          const a = attrs.item(i)!;
          if (a.localName === name && a.value === id) {
            out.push(el);
            break;
          }
        }
      }
    },
    (el) => {
      for (const name of ID_ATTRIBUTES) if (el.attributes.some((a) => a.localName === name && a.value === id)) out.push(undefined);
    },
  );
  return out;
}

interface LoadedReference {
  uri: string;
  hash: string;
  digestValue: string;
  prefixes: string[];
}

/** SignedXml.loadReference: DigestMethod/@Algorithm, one DigestValue with a value, the last transform's PrefixList. */
function loadReference(ref: Element): LoadedReference {
  const method = childrenByLocalName(ref, 'DigestMethod')[0];
  if (!method) throw new Error('could not find DigestMethod in reference');
  const algorithm = method.getAttribute('Algorithm');
  if (!algorithm) throw new Error('could not find Algorithm attribute in DigestMethod');
  const values = childrenByLocalName(ref, 'DigestValue');
  if (values.length === 0) throw new Error('could not find DigestValue node in reference');
  if (values.length > 1) throw new Error('could not load reference for a node that contains multiple DigestValue nodes');
  const digestValue = values[0]!.textContent;
  if (!digestValue) throw new Error('could not find the value of DigestValue');
  const transformsEl = childrenByLocalName(ref, 'Transforms')[0];
  const transforms = transformsEl ? childrenByLocalName(transformsEl, 'Transform') : [];
  const last = transforms[transforms.length - 1];
  const prefixes = last
    ? childrenByLocalName(last, 'InclusiveNamespaces')
        .flatMap((n) => (n.getAttribute('PrefixList') ?? '').split(' '))
        .filter((p) => p.length > 0)
    : [];
  const hash = REFERENCE_HASHES[algorithm];
  if (!hash) throw new Error(`hash algorithm '${algorithm}' is not supported`);
  return { uri: ref.getAttribute('URI') ?? '', hash, digestValue, prefixes };
}

/**
 * Core validation (XML-DSig §3.2) on our DOM, step for step as SignedXml does it and with the same outcomes:
 * each reference resolved by ID attribute (a second element with that ID is wrapping), enveloped-signature
 * then exc-c14n (the structural checks allow only those transforms), its digest, then the RSA value over the
 * canonical SignedInfo. The outcome names the element that was digested.
 */
function withDmpkit(docRoot: Element, sig: Element, signedInfo: Element, doc: DocumentIndex, cert: CertificateInfo, hash: HashName): CryptoOutcome {
  try {
    const references = childrenByLocalName(signedInfo, 'Reference').map(loadReference);
    if (references.length === 0) throw new Error('could not find any Reference elements');
    // The enveloped Signature is found again by its SignatureValue; two with the same value is wrapping.
    const sigValueText = childrenByLocalName(sig, 'SignatureValue')[0]?.textContent;
    let signedElement: Element | undefined;
    for (const [i, ref] of references.entries()) {
      const id = ref.uri.startsWith('#') ? ref.uri.slice(1) : ref.uri;
      if (id.includes("'")) throw new Error('Cannot validate a uri with quotes inside it');
      const matches = id === '' ? [docRoot] : doc.withId?.id === id ? doc.withId.elements : elementsWithId(docRoot, id, doc.omittedBody);
      if (matches.length > 1) throw new Error('Cannot validate a document which contains multiple elements with the same value for the ID / Id / Id attributes, in order to prevent signature wrapping attack.');
      const target = matches[0];
      // SignedXml reports only the first reference's failure; a later one reads as unresolved.
      if (!target) return { problems: [vihfProblem('VIHF-SIGNATURE-WRAPPING', 'the reference does not resolve')] };
      if (sigValueText && doc.signatures.filter((s) => s.value === sigValueText).length > 1) {
        throw new Error('Cannot validate a document which contains multiple Signature elements with the same SignatureValue, in order to prevent signature wrapping attack.');
      }
      // Enveloped signature: SignedXml drops the Signature only when it finds it (by value) inside the target.
      const omit = sigValueText && isAncestor(target, sig) ? sig : undefined;
      const canonical = excC14n(target, omit, ref.prefixes, id === '' ? [] : ancestorNamespaces(target));
      const digest = createHash(ref.hash).update(canonical, 'utf8').digest();
      if (!digest.equals(Buffer.from(ref.digestValue, 'base64'))) {
        return { problems: [i === 0 ? vihfProblem('VIHF-SIGNATURE-DIGEST-MISMATCH') : vihfProblem('VIHF-SIGNATURE-WRAPPING', 'the reference does not resolve')] };
      }
      if (i === 0) signedElement = target;
    }
    // SignedInfo: canonical form with the namespaces in scope of the document's first SignedInfo, as SignedXml.
    const signedInfoCanonical = excC14n(signedInfo, undefined, [], doc.firstSignedInfo ? ancestorNamespaces(doc.firstSignedInfo) : []);
    const value = signatureValueText(sig);
    if (!cryptoVerify(hash, Buffer.from(signedInfoCanonical, 'utf8'), cert.publicKey, Buffer.from(value, 'base64'))) {
      throw new Error(`invalid signature: the signature value ${value} is incorrect`);
    }
    return { problems: [], signedElement: signedElement! };
  } catch (e) {
    return { problems: [cryptoProblem(e)] };
  }
}

function isAncestor(ancestor: Node, node: Node): boolean {
  for (let p = node.parentNode; p; p = p.parentNode) if (p === ancestor) return true;
  return false;
}

/** SignedXml reads `.//SignatureValue/text()`: the first text child of the first SignatureValue, line breaks removed. */
function signatureValueText(sig: Element): string {
  const el = firstDescendantByLocalName(sig, 'SignatureValue');
  for (let c = el?.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3) return (c as unknown as { data: string }).data.replace(/\r?\n/g, '');
    if (c.nodeType === 4) return '';
  }
  return '';
}

const sameDnMemo = new Map<string, boolean>();
const certificateIds = new WeakMap<CertificateInfo, number>();
let nextCertificateId = 0;
const idOf = (c: CertificateInfo): number => {
  let id = certificateIds.get(c);
  if (id === undefined) certificateIds.set(c, (id = ++nextCertificateId));
  return id;
};
/** Trust paths found, by (leaf, intermediates, anchors): which certificate issued which does not change with time. */
const trustPathMemo = new Map<string, CertificateInfo[]>();

/**
 * checkCertificateTrust, with the path it found remembered: the path does not depend on the time, only
 * the validity of its CAs does, and that is checked again at each call (a failure is never remembered).
 */
function trustProblem(cert: CertificateInfo, anchors: CertificateInfo[], extra: CertificateInfo[], at: Date): string | undefined {
  const key = `${idOf(cert)};${extra.map(idOf).join(',')};${anchors.map(idOf).join(',')}`;
  const path = trustPathMemo.get(key);
  if (path && path.slice(1).every((c) => c.notBefore.getTime() <= at.getTime() && at.getTime() <= c.notAfter.getTime())) return undefined;
  const trust = checkCertificateTrust(cert, anchors, extra, at);
  if (!trust.ok) return trust.reason;
  memo(trustPathMemo, key, () => trust.path);
  return undefined;
}

function certificateProblems(cert: CertificateInfo, extra: CertificateInfo[], assertion: Element, options: VerifyVihfOptions): VihfProblem[] {
  const problems: VihfProblem[] = [];
  const usage = signatureCertificateProblem(cert);
  if (usage) problems.push(vihfProblem('DMPInvalidCertificate', `${cert.subjectDn}: ${usage}`));
  const at = options.at ?? new Date();
  if (at < cert.notBefore) problems.push(vihfProblem('VIHF-CERTIFICATE-NOT-YET-VALID', `valid from ${cert.notBefore.toISOString()}`));
  if (at > cert.notAfter) problems.push(vihfProblem('VIHF-CERTIFICATE-EXPIRED', `expired ${cert.notAfter.toISOString()}`));
  if (options.trustedCertificates) {
    const untrusted = trustProblem(cert, trustAnchors(options.trustedCertificates), extra, at);
    if (untrusted) problems.push(vihfProblem('VIHF-CERTIFICATE-UNTRUSTED', untrusted));
  }
  const issuer = firstChildElement(assertion, VIHF_NS.saml2, 'Issuer')?.textContent ?? '';
  if (!memo(sameDnMemo, `${issuer}\u0000${cert.subjectDn}`, () => sameDistinguishedName(issuer, cert.subjectDn))) {
    problems.push(vihfProblem('VIHF-ISSUER-MISMATCH', `Issuer "${issuer}", certificate "${cert.subjectDn}"`, 'Issuer'));
  }
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

/**
 * Verifies a VIHF from a bare assertion, a wsse:Security element or a whole SOAP message: its text, its bytes, or
 * the safe reader's tree of them (decodeMessage's `xml`: the message is then not read a second time).
 */
export function verifyVihf(input: string | Uint8Array | ReadSafeXml, options: VerifyVihfOptions = {}): VihfVerification {
  const mode = options.mode ?? 'strict';
  const result = (r: Omit<VihfVerification, 'ok' | 'mode'>): VihfVerification => ({
    ok: !r.problems.some((p) => p.severity === 'error'),
    mode,
    ...r,
  });
  let parsed: ReturnType<typeof parseSafeXml>;
  try {
    // The reference engine re-parses the whole text itself: only ours can work with the Body left out.
    const omitSoapBody = options.signatureEngine !== 'xml-crypto';
    parsed = parseSafeXml(input, { latin1Fallback: true, omitSoapBody, view: omitSoapBody, ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}) });
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
  let signedSource = false;
  if (mode === 'strict') {
    signature = checkSignature(parsed.doc.documentElement!, parsed.text, assertion, options, parsed.omittedBody);
    problems.push(...signature.problems);
    if (signature.signedElement) {
      // Decode the element that was digested, not the surrounding document.
      if (signature.signedElement !== assertion) problems.push(vihfProblem('VIHF-SIGNATURE-WRAPPING', 'the signed element is not the assertion read'));
      else signedSource = true;
    } else if (signature.signedXml !== undefined) {
      // xml-crypto verified its own parse of the text: decode what it says was signed.
      const signedRoot = parseSafeXml(signature.signedXml).doc.documentElement!;
      if (attribute(signedRoot, 'ID') !== summary.id) problems.push(vihfProblem('VIHF-SIGNATURE-WRAPPING', 'the signed element is not the assertion read'));
      else {
        source = signedRoot;
        signedSource = true;
      }
    }
  }
  const decoded = decodeVihf(source, options);
  problems.push(...decoded.problems, ...timeProblems(summary, options));
  const trusted = mode === 'lenient' || (signature?.valid === true && signedSource);
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
